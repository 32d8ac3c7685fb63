"""Every answer of the web server, pages and errors alike, tells browsers what not to allow."""

from __future__ import annotations

from html import unescape

import aiohttp
import pytest

from tests.payment_fixtures import RunningBackit

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# A campaign's page shows its card picture, which the server itself draws.
PICTURED = EXPECTED | {
    "Content-Security-Policy": f"{EXPECTED['Content-Security-Policy']}; img-src 'self'"
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/c/nope", 404),
        ("GET", "/c/lamp/card.png", 200),
        ("GET", "/pledge/not-a-token", 400),
        ("HEAD", "/pledge/not-a-token", 200),
        ("GET", "/pledge/retry/not-a-token", 400),
        ("GET", "/pledge/success?session_id=cs_test_unknown", 404),
        ("GET", "/pledge/cancel", 400),
        ("GET", "/healthz", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/pledge/", 404),
        ("POST", "/pledge/not-a-token", 405),
        ("POST", "/stripe/webhook", 400),
    ],
)
async def test_every_answer_carries_the_security_headers(
    backit: RunningBackit, browser: aiohttp.ClientSession, method: str, path: str, status: int
) -> None:
    await backit.campaign()

    async with browser.request(method, f"{backit.url}{path}", allow_redirects=False) as answer:
        headers = {name: answer.headers.get(name) for name in EXPECTED}

    assert answer.status == status
    assert headers == EXPECTED


async def test_a_campaigns_page_may_show_pictures_from_this_server_only(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    await backit.campaign()

    async with browser.get(f"{backit.url}/c/lamp") as answer:
        headers = {name: answer.headers.get(name) for name in PICTURED}

    assert answer.status == 200
    assert headers == PICTURED


async def test_an_address_that_leads_nowhere_gets_a_page_in_the_readers_language(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    async with browser.get(f"{backit.url}/pledge/", headers={"Accept-Language": "fr"}) as answer:
        text = await answer.text()

    assert (answer.status, answer.content_type) == (404, "text/html")
    assert "<h1>Un problème est survenu</h1>" in text
    assert "Il n’y a aucune page à cette adresse." in unescape(text)
