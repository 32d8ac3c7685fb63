"""A coming-soon campaign on Telegram: members ask to be told, the scheduler launches it, and
each hears of it in their language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.images.card_images import card_images
from adapters.telegram.deep_links import ContinuePledge, encode
from adapters.telegram.notices import TelegramSender, telegram_sender
from bots.scheduler import DeadlineScheduler
from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.moments import date_time
from core.rate_limits import RateLimiter
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.managing import TierDraft
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import RunningBot, button, labels, start_command
from tests.adapters.telegram.test_notices import LOOSE_LIMITS
from tests.delivery_fakes import FakeLinks
from tests.fakes import FixedClock
from tests.telegram_fixtures import TOKEN

LAUNCH_IN = timedelta(hours=3)


async def coming_soon(telegram_bot: RunningBot, clock: FixedClock) -> Campaign:
    """The Reading Lamp, launching in three hours with an early bird for its first two days."""
    launch = clock.now() + LAUNCH_IN
    early_bird = TierDraft(
        "First lamps", "", 5_000, opens_at=launch, closes_at=launch + timedelta(days=2)
    )
    campaign = await live_campaign(
        telegram_bot.services.uows, clock, started=-LAUNCH_IN, tiers=(early_bird,)
    )
    assert campaign.status is CampaignStatus.COMING_SOON
    return campaign


@pytest.fixture
async def sender(telegram_bot: RunningBot) -> AsyncIterator[TelegramSender]:
    """The notification sender on the stand-in, drawing card pictures as `backit run` does."""
    async with telegram_sender(
        TOKEN, telegram_bot.standin.base_url, RateLimiter(LOOSE_LIMITS), card_images()
    ) as built:
        yield built


async def test_members_who_asked_to_be_notified_hear_of_the_launch_in_their_language(
    telegram_bot: RunningBot, clock: FixedClock, sender: TelegramSender
) -> None:
    lamp = await coming_soon(telegram_bot, clock)
    ada = telegram_bot.person(42, "Ada")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")

    card = await ada.says("/campaign lamp")
    assert "Launches in 3 hours" in card["caption"]
    assert labels(card) == ["Progress", "Notify me on launch"]
    answer = await ada.presses(card, "Notify me on launch")
    assert answer.text == "You will be told when “The Reading Lamp” launches."
    assert labels(await ada.reads())[-1] == "Don't notify me"
    card_fr = await amelie.says("/campaign lamp")
    answer_fr = await amelie.presses(card_fr, "Me prévenir au lancement")
    assert answer_fr.text == "Vous serez prévenu du lancement de «\u00a0The Reading Lamp\u00a0»."
    await amelie.reads()

    clock.advance(LAUNCH_IN)
    scheduler = DeadlineScheduler(telegram_bot.services.uows, clock, interval=30)
    assert [c.slug for c in (await scheduler.tick()).launched] == ["lamp"]
    assert (await scheduler.tick()).launched == []
    await Dispatcher(
        telegram_bot.services.uows, clock, [sender], FakeLinks(), DispatchSettings()
    ).drain()

    told = await ada.reads()
    told_fr = await amelie.reads()
    closes = clock.now() + timedelta(days=2)
    assert told["caption"].splitlines() == [
        "The Reading Lamp is live!",
        "",
        "A warm lamp for long nights.",
        f"It takes pledges until {date_time(lamp.ends_at)}.",
        f"Early bird: First lamps, €50.00, until {date_time(closes)}.",
    ]
    with use_locale("fr"):
        ends_fr, closes_fr = date_time(lamp.ends_at), date_time(closes)
    assert told_fr["caption"].splitlines() == [
        "«\u00a0The Reading Lamp\u00a0» est en ligne\u00a0!",
        "",
        "A warm lamp for long nights.",
        f"Elle accepte les contributions jusqu’au {ends_fr}.",
        f"Lève-tôt\u00a0: First lamps, 50,00\u00a0€, jusqu’au {closes_fr}.",
    ]
    assert "photo" in told
    assert labels(told) == ["Back it", "See the campaign"]
    # The notice leads to the card, whose early bird now takes pledges.
    live_card = await ada.says(start_command(button(told, "Back it")["url"]))
    assert labels(live_card)[0] == "First lamps · €50.00 · closes in 2 days"


async def test_a_reward_reached_before_the_launch_is_refused_with_its_time(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    lamp = await coming_soon(telegram_bot, clock)
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")

    # A link to a reward, as a group card's button would carry it.
    refused = await amelie.says(f"/start {encode(ContinuePledge(lamp.id, lamp.tiers[0].id))}")

    with use_locale("fr"):
        launch = date_time(lamp.starts_at)
    assert refused["text"] == (
        f"«\u00a0The Reading Lamp\u00a0» sera lancée le {launch}\u00a0: elle accepte les "
        "contributions à partir de ce moment-là."
    )


async def test_discover_lists_it_under_coming_soon_and_not_among_live_campaigns(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    await coming_soon(telegram_bot, clock)
    ada = telegram_bot.person(42, "Ada")

    listing = await ada.says("/discover")
    assert listing["text"].startswith("Trending\n\nNo campaign matches yet.")
    await ada.presses(listing, "Coming soon")
    soon = await ada.reads()
    assert soon["text"].startswith(
        "Coming soon\n\n1. The Reading Lamp\n0% · €0.00 of €1,000.00 · Launches in 3 hours\n"
    )
    assert "• Coming soon" in labels(soon)
