"""A campaign's public page, where share links land: what it shows, where its buttons lead, in
the reader's language, and what it refuses to show."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from html import unescape
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.telegram.deep_links import OpenCampaign
from adapters.telegram.links import bot_link
from adapters.web.app import WebServer, create_app
from adapters.web.services import WebLinks
from core.campaigns import Campaign
from core.i18n import use_locale
from core.identity import Caller
from core.moments import date_time
from core.money import Money
from core.usecases.closing import close_now
from core.usecases.following import follow
from core.usecases.late_pledges import open_late_pledges
from core.usecases.managing import TierDraft
from core.usecases.pledging import PledgeLimits
from tests.adapters.chat_campaigns import back_to_draft, live_campaign, paid_pledge
from tests.core.conftest import caller
from tests.payment_fixtures import CREATOR, Page, RunningBackit, fetch

BOT = "backit_test_bot"
INVITE = "https://discord.gg/AbCdEf"
HOSTILE = "<script>alert(1)</script> & co"


def campaign_link(slug: str, referral_code: str | None) -> str:
    """The bot's deep link, as the running Telegram bot builds it."""
    return bot_link(BOT, OpenCampaign(slug, referral_code))


@pytest.fixture
async def pages(backit: RunningBackit) -> AsyncIterator[str]:
    """Backit's web server with a Telegram bot and a Discord invite to send backers to."""
    links = WebLinks(backit.url, backit.signer, telegram=campaign_link, discord=INVITE)
    server = WebServer(create_app(replace(backit.services, links=links)), "127.0.0.1", 0)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def lamp(
    backit: RunningBackit,
    title: str = "The Reading Lamp",
    image_url: str = "https://images.example.org/lamp.jpg",
) -> Campaign:
    """A live campaign with a picture, a story, two backers and two rewards, one limited."""
    return await live_campaign(
        backit.services.uows,
        backit.clock,
        creators=(CREATOR,),
        title=title,
        description="Brass and linen, made in Lyon.",
        image_url=image_url,
        tiers=(
            TierDraft("Early bird", "One lamp, cheaper", 5_000, 100),
            TierDraft("Lamp", "", 7_500),
        ),
        backers=2,
    )


def links(page: Page) -> dict[str, str]:
    """Each link's text and where it leads."""
    found = re.findall(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>', page.text)
    return {unescape(text): unescape(href) for href, text in found}


def visible(page: Page) -> str:
    """The page's text, tags dropped."""
    return unescape(re.sub(r"<[^>]+>", " ", page.text.split("<body>")[1]))


async def test_a_share_link_shows_the_campaign_its_progress_and_rewards(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{pages}/c/lamp?ref=Ab_9-xY_")

    assert page.status == 200
    assert re.search(r'<img class="cover" src="/c/lamp/card\.png\?lang=en&amp;v=\w+"', page.text)
    text = " ".join(visible(page).split())
    for shown in (
        "The Reading Lamp",
        "by Ada · Design",
        "A warm lamp for long nights.",
        "Brass and linen, made in Lyon.",
        "Raised €20.00 of €1,000.00",
        "Backers 2",
        "Time left 20 days left",
        "Rewards",
        "Early bird €50.00 One lamp, cheaper Digital, no shipping 0 backers · 100 of 100 left",
        "Lamp €75.00",
    ):
        assert shown in text, shown
    assert '<progress max="100" value="2" aria-label="2%">' in page.text
    assert links(page)["Back it on Telegram"] == f"https://t.me/{BOT}?start=c_lamp_Ab_9-xY_"
    assert links(page)["Back it on Discord"] == INVITE
    assert "type /campaign lamp to see its rewards" in text

    async with browser.get(f"{pages}/c/lamp") as answer:
        policy = answer.headers["Content-Security-Policy"]
    # The card picture comes from this server, and nothing else runs or loads.
    assert policy.startswith("default-src 'none'")
    assert policy.endswith("img-src 'self'")


async def test_a_page_shows_each_payment_as_soon_as_it_is_committed(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    campaign = await lamp(backit)
    before = " ".join(visible(await fetch(browser, f"{pages}/c/lamp?ref=ada")).split())

    await paid_pledge(backit.services.uows, backit.clock, campaign, caller(77), 3_000)
    after = " ".join(visible(await fetch(browser, f"{pages}/c/lamp?ref=ada")).split())

    assert "Raised €20.00 of €1,000.00" in before
    assert "Backers 2" in before
    assert "Raised €50.00 of €1,000.00" in after
    assert "Backers 3" in after


async def test_each_sharer_is_credited_on_a_page_shown_many_times(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)

    for _ in range(2):
        for sharer in ("ada", "bob"):
            for language in ("en", "fr"):
                page = await fetch(browser, f"{pages}/c/lamp?ref={sharer}&lang={language}")
                back = "Back it on Telegram" if language == "en" else "La soutenir sur Telegram"
                assert links(page)[back] == f"https://t.me/{BOT}?start=c_lamp_{sharer}"
                other = "fr" if language == "en" else "en"
                assert f"/c/lamp?lang={other}&ref={sharer}" in links(page).values()


async def test_without_a_referral_the_telegram_button_opens_the_plain_campaign(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{pages}/c/lamp")

    assert links(page)["Back it on Telegram"] == f"https://t.me/{BOT}?start=c_lamp"


@pytest.mark.parametrize("ref", ['"><script>x</script>', "a" * 17, "ab cd", "é"])
async def test_a_referral_code_that_cannot_be_one_credits_nobody_and_is_not_repeated(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession, ref: str
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{pages}/c/lamp?{urlencode({'ref': ref})}")

    assert page.status == 200
    assert links(page)["Back it on Telegram"] == f"https://t.me/{BOT}?start=c_lamp"
    assert "<script>x" not in page.text
    assert ref not in unescape(page.text)


async def test_the_page_is_in_french_for_a_french_browser_and_switches_keeping_the_referral(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{pages}/c/lamp?ref=Ab_9", headers={"Accept-Language": "fr"})

    assert '<html lang="fr">' in page.text
    text = " ".join(visible(page).split())
    for shown in ("Contreparties", "encore 100 sur 100", "Temps restant", "par Ada"):
        assert shown in text, shown
    assert "tapez /campagne lamp pour voir ses contreparties" in text
    found = links(page)
    assert found["La soutenir sur Telegram"] == f"https://t.me/{BOT}?start=c_lamp_Ab_9"
    assert found["La soutenir sur Discord"] == INVITE
    assert found["English"] == "/c/lamp?lang=en&ref=Ab_9"
    english = await fetch(browser, pages + found["English"], headers={"Accept-Language": "fr"})
    assert "Back it on Telegram" in links(english)
    assert links(english)["Français"] == "/c/lamp?lang=fr&ref=Ab_9"


async def test_a_campaign_taking_late_pledges_offers_them_at_late_prices_with_its_late_figures(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    funded = await live_campaign(
        backit.services.uows,
        backit.clock,
        creators=(CREATOR,),
        goal=2_000,
        tiers=(TierDraft("Early bird", "", 5_000, 100), TierDraft("Lamp", "", 7_500)),
        backers=2,
    )
    backit.clock.advance(timedelta(days=21))
    await close_now(backit.services.uows, backit.clock, "lamp")
    owner = Caller(CREATOR, "Ada", "en")
    prices = {funded.tiers[1].id: Money(9_000, "EUR")}
    opened = await open_late_pledges(
        backit.services.uows, backit.clock, PledgeLimits(), (), owner, funded.id, 5, prices
    )
    assert opened.late_until is not None

    page = await fetch(browser, f"{pages}/c/lamp")

    text = " ".join(visible(page).split())
    with use_locale("en"):
        # Spaces as the page's text is read, the narrow one before AM among them.
        until = " ".join(date_time(opened.late_until).split())
    assert f"Late pledges Open until {until}" in text
    assert "Raised after the campaign €0.00 from 0 backers" in text
    assert "Lamp €90.00" in text
    assert "This campaign has ended" not in text
    assert "Back it on Telegram" in links(page)
    # The page is drawn as of the current minute.
    backit.clock.advance(timedelta(days=5, minutes=1))

    closed = await fetch(browser, f"{pages}/c/lamp")

    assert "This campaign has ended: it takes no more pledges." in visible(closed)
    assert "Back it on Telegram" not in links(closed)


async def test_an_ended_campaign_says_so_and_offers_no_way_to_back_it(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)
    backit.clock.advance(timedelta(days=21))
    await close_now(backit.services.uows, backit.clock, "lamp")

    page = await fetch(browser, f"{pages}/c/lamp?ref=Ab_9")

    text = " ".join(visible(page).split())
    assert "This campaign has ended: it takes no more pledges." in text
    assert "Result Ended: raised €20.00 of €1,000.00 from 2 backers" in text
    assert "left" not in text
    assert "Back it on Telegram" not in links(page)
    assert "Back it on Discord" not in links(page)


async def test_a_campaign_not_started_yet_says_when_pledges_open_in_the_readers_language(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    lamp = await live_campaign(
        backit.services.uows, backit.clock, creators=(CREATOR,), started=timedelta(days=-2)
    )
    for user in range(12):
        await follow(backit.services.uows(), backit.clock, caller(300 + user), lamp.id)

    page = await fetch(browser, f"{pages}/c/lamp?lang=fr")

    text = " ".join(visible(page).split())
    assert "En attente 12 personnes attendent" in text
    assert "Les contributions ouvrent le " in text
    assert "Bientôt en ligne Lancement dans 2 jours" in text
    # Its rewards are still to be had, not those of a campaign that has ended.
    assert "0 contributeur · encore 100 sur 100" in text
    assert "La soutenir sur Telegram" not in links(page)


async def test_with_no_chat_configured_the_page_shows_no_button(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{backit.url}/c/lamp?ref=Ab_9")

    assert page.status == 200
    assert 'class="button' not in page.text
    assert "Early bird" in page.text


async def test_the_creators_words_are_shown_as_text_never_as_markup(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await lamp(backit, title=HOSTILE, image_url='https://x.example/a.jpg");}body{display:none')

    page = await fetch(browser, f"{pages}/c/lamp")

    assert "<script>" not in page.text
    # The page shows the card picture Backit draws, never an address the creator gave.
    assert "x.example" not in page.text
    assert f"<h1>{HOSTILE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}" in (
        page.text
    )


async def test_a_draft_stays_hidden_behind_the_same_page_as_an_unknown_campaign(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await back_to_draft(backit.services.uows, await lamp(backit))

    draft = await fetch(browser, f"{pages}/c/lamp?ref=Ab_9")
    unknown = await fetch(browser, f"{pages}/c/lamq?ref=Ab_9")

    assert (draft.status, unknown.status) == (404, 404)
    assert "Reading Lamp" not in draft.text
    assert "t.me" not in draft.text


@pytest.mark.parametrize("slug", ["%3Cscript%3Ealert(1)%3C%2Fscript%3E", "LAMP", "a" * 41, "-x"])
async def test_a_hostile_or_impossible_slug_is_not_found_and_never_echoed_as_markup(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession, slug: str
) -> None:
    await lamp(backit)

    page = await fetch(browser, f"{pages}/c/{slug}")

    assert page.status == 404
    assert "<script>" not in page.text
    assert "t.me" not in page.text


async def test_a_secret_reward_is_not_on_the_page(
    backit: RunningBackit, pages: str, browser: aiohttp.ClientSession
) -> None:
    await live_campaign(
        backit.services.uows,
        backit.clock,
        creators=(CREATOR,),
        tiers=(
            TierDraft("Lamp", "One lamp", 7_500),
            TierDraft("Backstage pass", "Meet the makers", 20_000, secret=True),
        ),
    )

    page = await fetch(browser, f"{pages}/c/lamp")

    assert "Lamp €75.00 One lamp" in " ".join(visible(page).split())
    assert "Backstage" not in page.text
    assert "Meet the makers" not in page.text
