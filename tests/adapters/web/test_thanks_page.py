"""The thank-you page names what was backed and leads back to the chat the backer came from."""

from __future__ import annotations

import re
from html import unescape

import aiohttp
import pytest
import stripe

from adapters.web.services import ChatHome
from core.campaigns import FundingModel
from core.identity import Platform
from core.usecases.managing import TierDraft
from tests.payment_fixtures import RunningBackit, fetch

TELEGRAM_PLEDGES = "https://t.me/backit_test_bot?start=mypledges"
DISCORD_MESSAGES = "https://discord.com/channels/@me"
REWARDS = (TierDraft("Deluxe edition", "", 7_900),)


class RunningBot:
    """A bot that runs, as the web pages see it: the address of a person's pledges in it."""

    def __init__(self, url: str | None) -> None:
        self.url = url

    def pledges_url(self) -> str | None:
        """The address given, or None for a bot still connecting."""
        return self.url


@pytest.fixture
def chat_homes() -> dict[Platform, ChatHome]:
    """Both bots run (a test may say one has not connected yet)."""
    return {
        Platform.TELEGRAM: RunningBot(TELEGRAM_PLEDGES),
        Platform.DISCORD: RunningBot(DISCORD_MESSAGES),
    }


def way_back(html: str) -> tuple[str, str] | None:
    """The page's button back to the chat: its address and label."""
    found = re.search(r'<a class="button" href="([^"]*)">([^<]*)</a>', html)
    return (unescape(found[1]), unescape(found[2])) if found else None


async def test_a_telegram_backer_reads_the_reward_and_goes_back_to_their_pledges(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    game = await backit.campaign("lanternfall", tiers=REWARDS)
    backer = await backit.backer(1)

    thanks = await backit.back(browser, backit.pledge_url(backer, game, game.tiers[0].id))

    assert thanks.status == 200
    assert "<h1>Thank you!</h1>" in thanks.text
    assert (
        "Your pledge of €79.00 for “Deluxe edition” to “The Lanternfall” is confirmed."
        in unescape(thanks.text)
    )
    assert way_back(thanks.text) == (TELEGRAM_PLEDGES, "Back to Telegram")


async def test_a_discord_backer_reads_it_in_french_and_goes_back_to_discord(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    game = await backit.campaign("lanternfall", tiers=REWARDS)
    backer = await backit.backer(2, "fr", Platform.DISCORD)

    thanks = await backit.back(browser, backit.pledge_url(backer, game, game.tiers[0].id))

    assert '<html lang="fr">' in thanks.text
    assert (
        "Votre contribution de 79,00\xa0€ pour «\xa0Deluxe edition\xa0» à "
        "«\xa0The Lanternfall\xa0» est confirmée." in unescape(thanks.text)
    )
    assert way_back(thanks.text) == (DISCORD_MESSAGES, "Retour sur Discord")


async def test_a_saved_card_names_the_reward_it_will_pay_for(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    game = await backit.campaign(
        "lanternfall", tiers=REWARDS, model=FundingModel.ALL_OR_NOTHING, goal=100_000
    )
    backer = await backit.backer(3, "fr")

    thanks = await backit.back(browser, backit.pledge_url(backer, game, game.tiers[0].id))

    assert (
        "Votre carte est enregistrée pour «\xa0Deluxe edition\xa0» (79,00\xa0€). Elle ne sera "
        "débitée que si «\xa0The Lanternfall\xa0» atteint son objectif." in unescape(thanks.text)
    )
    assert way_back(thanks.text) == (TELEGRAM_PLEDGES, "Retour sur Telegram")


async def test_a_pledge_without_a_reward_is_thanked_for_its_amount_alone(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    game = await backit.campaign("lanternfall", tiers=REWARDS)
    backer = await backit.backer(4)

    thanks = await backit.back(browser, backit.pledge_url(backer, game, amount=2_500))

    assert "Your pledge of €25.00 to “The Lanternfall” is confirmed." in unescape(thanks.text)


async def test_without_a_way_back_yet_the_page_says_to_close_it(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    chat_homes: dict[Platform, ChatHome],
) -> None:
    discord = chat_homes[Platform.DISCORD]
    assert isinstance(discord, RunningBot)
    discord.url = None
    game = await backit.campaign("lanternfall", tiers=REWARDS)
    backer = await backit.backer(5, platform=Platform.DISCORD)

    thanks = await backit.back(browser, backit.pledge_url(backer, game, game.tiers[0].id))

    assert way_back(thanks.text) is None
    assert "You can close this page and go back to the chat." in thanks.text


async def test_a_link_followed_again_and_a_checkout_left_lead_back_to_the_chat_too(
    backit: RunningBackit, browser: aiohttp.ClientSession, stripe_client: stripe.StripeClient
) -> None:
    game = await backit.campaign("lanternfall", tiers=REWARDS)
    paid = await backit.backer(6, platform=Platform.DISCORD)
    url = backit.pledge_url(paid, game, game.tiers[0].id)
    await backit.back(browser, url)

    again = await fetch(browser, url)

    assert "You have already backed “The Lanternfall” with this link." in unescape(again.text)
    assert way_back(again.text) == (DISCORD_MESSAGES, "Back to Discord")

    leaving = await backit.backer(7)
    assert (await fetch(browser, backit.pledge_url(leaving, game, game.tiers[0].id))).status == 303
    [pledge] = [p for p in await backit.pledges(game.id) if p.backer_id == leaving.id]
    assert pledge.checkout_session_id is not None
    session = await stripe_client.v1.checkout.sessions.retrieve_async(pledge.checkout_session_id)

    left = await fetch(browser, str(session.cancel_url))

    assert "<h1>Pledge cancelled</h1>" in left.text
    assert way_back(left.text) == (TELEGRAM_PLEDGES, "Back to Telegram")
