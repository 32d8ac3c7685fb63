"""A campaign's progress chart on the web: served as PNG with its version, in the reader's
language, not sent again while unchanged, changed by a payment, and refused for what is
hidden."""

from __future__ import annotations

import io

import aiohttp
from PIL import Image

from adapters.images.progress_charts import progress_path
from core.i18n import use_locale
from tests.adapters.chat_campaigns import back_to_draft, paid_pledge
from tests.adapters.web.test_campaign_page import lamp, pages
from tests.adapters.web.test_card_pictures import picture
from tests.core.conftest import caller
from tests.payment_fixtures import RunningBackit

__all__ = ["pages"]  # the fixture, used by name


async def test_the_chart_is_served_as_png_named_by_its_version(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    with use_locale("fr"):
        path = progress_path(campaign, await backit.services.progress_charts.chart(campaign))

    async with browser.get(f"{pages}{path}") as answer:
        png = await answer.read()
        assert answer.status == 200
        assert answer.content_type == "image/png"
        assert answer.headers["Cache-Control"] == "public, max-age=60"
        assert answer.headers["ETag"] == f'"{path.rsplit("v=", 1)[1]}"'
    assert path.startswith("/c/lamp/progress.png?lang=fr&v=")
    assert Image.open(io.BytesIO(png)).size == (1200, 675)


async def test_an_unchanged_chart_is_not_sent_again_and_a_payment_changes_it(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    address = f"{pages}/c/lamp/progress.png"
    first = await picture(browser, address)
    etag = first.headers["ETag"]

    unchanged = await picture(browser, address, **{"If-None-Match": etag})
    any_version = await picture(browser, address, **{"If-None-Match": "*"})
    await paid_pledge(backit.services.uows, backit.clock, campaign, caller(5), 3_000)
    changed = await picture(browser, address, **{"If-None-Match": etag})

    assert first.status == 200
    assert unchanged.status == any_version.status == 304
    assert changed.status == 200
    assert changed.headers["ETag"] != etag


async def test_each_language_has_its_own_chart(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)
    async with browser.get(f"{pages}/c/lamp/progress.png?lang=en") as english:
        english_png = await english.read()
    async with browser.get(
        f"{pages}/c/lamp/progress.png", headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    ) as french:
        french_png = await french.read()

    assert english.headers["ETag"] != french.headers["ETag"]
    assert english_png != french_png


async def test_a_draft_or_unknown_campaign_has_no_chart(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    await back_to_draft(backit.services.uows, campaign)

    for slug in ("lamp", "nope", "<script>", "a" * 300):
        answer = await picture(browser, f"{pages}/c/{slug}/progress.png")
        assert answer.status == 404, slug
        assert answer.content_type == "text/html"
