"""The web server itself: bound and released, healthy, and the campaign pages shared links open."""

from __future__ import annotations

import asyncio
import time
from html import unescape

import aiohttp
import pytest

from adapters.web.app import SHUTDOWN_TIMEOUT, WebServer, create_app
from tests.adapters.chat_campaigns import back_to_draft
from tests.payment_fixtures import RunningBackit, fetch


async def test_the_server_binds_a_free_port_answers_health_and_releases_it(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    server = WebServer(create_app(backit.services), "127.0.0.1", 0)
    await server.start()
    url = f"http://127.0.0.1:{server.port}/healthz"
    try:
        async with browser.get(url) as answer:
            health = (answer.status, await answer.json())
    finally:
        await server.stop()

    assert health == (200, {"status": "ok"})
    with pytest.raises(aiohttp.ClientConnectionError):
        await fetch(browser, url)


async def test_a_shared_link_opens_the_campaign_page(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    await backit.campaign(goal=10_000)

    page = await fetch(browser, f"{backit.url}/c/lamp?ref=abc")

    assert page.status == 200
    assert "<h1>The Lamp</h1>" in page.text
    assert "A warm lamp for long nights." in page.text


async def test_an_unknown_campaign_page_is_not_found_in_the_readers_language(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    page = await fetch(browser, f"{backit.url}/c/nope", headers={"Accept-Language": "fr"})

    assert page.status == 404
    assert "<h1>Un problème est survenu</h1>" in page.text
    assert "Aucune campagne ne s’appelle «\u00a0nope\u00a0»." in unescape(page.text)


async def test_a_draft_campaign_page_is_as_missing_as_an_unknown_one(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    await back_to_draft(backit.services.uows, await backit.campaign())

    draft = await fetch(browser, f"{backit.url}/c/lamp")
    unknown = await fetch(browser, f"{backit.url}/c/lamq")

    assert (draft.status, unknown.status) == (404, 404)
    assert "The Lamp" not in draft.text
    assert draft.text == unknown.text.replace("lamq", "lamp")


async def test_a_client_that_never_finishes_its_request_holds_a_stop_no_longer_than_its_timeout(
    backit: RunningBackit,
) -> None:
    server = WebServer(create_app(backit.services), "127.0.0.1", 0, shutdown_timeout=0.5)
    await server.start()
    _, writer = await asyncio.open_connection("127.0.0.1", server.port)
    # Headers announce a body that never comes: the handler waits for it.
    writer.write(b"POST /stripe/webhook HTTP/1.1\r\nHost: backit\r\nContent-Length: 100\r\n\r\n{")
    await writer.drain()
    await asyncio.sleep(0.1)

    started = time.monotonic()
    async with asyncio.timeout(5):
        await server.stop()
    writer.close()

    assert SHUTDOWN_TIMEOUT == 10
    assert 0.4 < time.monotonic() - started < 3
