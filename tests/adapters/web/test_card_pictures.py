"""A campaign's card picture on the web: served with its version, in the reader's language,
named by the page's link preview, refreshed by a payment, and refused for what is hidden."""

from __future__ import annotations

import io
import re
from html import unescape

import aiohttp
from PIL import Image

from adapters.images.covers import cover_from_upload
from core.usecases.covering import set_cover
from tests.adapters.chat_campaigns import back_to_draft, paid_pledge
from tests.adapters.web.test_campaign_page import lamp, pages
from tests.core.conftest import caller
from tests.payment_fixtures import CREATOR, RunningBackit, fetch

__all__ = ["pages"]  # the fixture, used by name


async def picture(
    browser: aiohttp.ClientSession, url: str, **headers: str
) -> aiohttp.ClientResponse:
    """GET a picture; the response, its body read."""
    async with browser.get(url, headers=headers) as answer:
        await answer.read()
        return answer


def preview_image(page_text: str) -> str:
    """The address a pasted link's preview shows as its picture."""
    found = re.search(r'<meta property="og:image" content="([^"]+)">', page_text)
    assert found is not None, page_text
    return unescape(found[1])


async def test_the_page_previews_with_its_card_picture_which_is_served_as_png(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)
    page = await fetch(browser, f"{pages}/c/lamp?lang=fr")

    address = preview_image(page.text)
    assert address.startswith(f"{backit.url}/c/lamp/card.png?lang=fr&v=")
    path = address.removeprefix(backit.url)
    assert f'<img class="cover" src="{path.replace("&", "&amp;")}"' in page.text
    async with browser.get(f"{pages}{path}") as answer:
        png = await answer.read()
        assert answer.status == 200
        assert answer.content_type == "image/png"
        assert answer.headers["Cache-Control"] == "public, max-age=60"
        assert answer.headers["ETag"] == f'"{path.rsplit("v=", 1)[1]}"'
    assert Image.open(io.BytesIO(png)).size == (1200, 675)


async def test_an_unchanged_picture_is_not_sent_again_and_a_payment_changes_it(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    first = await picture(browser, f"{pages}/c/lamp/card.png")
    etag = first.headers["ETag"]

    unchanged = await picture(browser, f"{pages}/c/lamp/card.png", **{"If-None-Match": etag})
    any_version = await picture(browser, f"{pages}/c/lamp/card.png", **{"If-None-Match": "*"})
    await paid_pledge(backit.services.uows, backit.clock, campaign, caller(5), 3_000)
    changed = await picture(browser, f"{pages}/c/lamp/card.png", **{"If-None-Match": etag})

    assert unchanged.status == any_version.status == 304
    assert changed.status == 200
    assert changed.headers["ETag"] != etag
    version = changed.headers["ETag"].strip('"')
    page = await fetch(browser, f"{pages}/c/lamp")
    assert preview_image(page.text).endswith(f"v={version}")


async def test_each_language_has_its_own_picture(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)
    async with browser.get(f"{pages}/c/lamp/card.png?lang=en") as english:
        english_png = await english.read()
    async with browser.get(
        f"{pages}/c/lamp/card.png", headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    ) as french:
        french_png = await french.read()

    assert english.headers["ETag"] != french.headers["ETag"]
    assert english_png != french_png


async def test_a_draft_or_unknown_campaign_has_no_picture(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    await back_to_draft(backit.services.uows, campaign)

    for slug in ("lamp", "nope", "<script>", "a" * 300):
        answer = await picture(browser, f"{pages}/c/{slug}/card.png")
        assert answer.status == 404, slug
        assert answer.content_type == "text/html"


async def test_a_reached_milestone_has_its_own_picture_and_any_other_gives_the_card(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    await paid_pledge(backit.services.uows, backit.clock, campaign, caller(5), 30_000)
    card = await picture(browser, f"{pages}/c/lamp/card.png")

    async with browser.get(f"{pages}/c/lamp/card.png?m=25") as answer:
        celebration = Image.open(io.BytesIO(await answer.read()))
        etag = answer.headers["ETag"]
    unreached = [
        await picture(browser, f"{pages}/c/lamp/card.png?m={key}")
        for key in ("50", "100", "s1", "%3Cscript%3E", "9" * 5_000)
    ]

    assert celebration.size == (1200, 675)
    assert etag != card.headers["ETag"]
    assert {answer.status for answer in unreached} == {200}
    assert {answer.headers["ETag"] for answer in unreached} == {card.headers["ETag"]}


async def test_a_new_cover_changes_the_picture_which_shows_it(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)
    before = await picture(browser, f"{pages}/c/lamp/card.png")
    red = io.BytesIO()
    Image.new("RGB", (1600, 900), (230, 20, 20)).save(red, format="PNG")
    cover = cover_from_upload(red.getvalue())
    await set_cover(backit.services.uows(), CREATOR, "lamp", cover)

    async with browser.get(f"{pages}/c/lamp/card.png") as answer:
        png = await answer.read()
    assert answer.headers["ETag"] != before.headers["ETag"]
    drawn = Image.open(io.BytesIO(png)).convert("RGB")
    red_level, green, blue = drawn.getpixel((1160, 40))  # type: ignore[misc]
    assert red_level > 4 * max(green, blue)
