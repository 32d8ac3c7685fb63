"""/launchdate end to end: a creator names a campaign not yet live and says when it launches;
its run moves with it, and anyone else, a live campaign or an unreadable moment is refused."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus
from core.ports import Clock
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import RunningBot


async def stored(telegram_bot: RunningBot, slug: str) -> Campaign:
    """The campaign as the database holds it."""
    async with telegram_bot.services.uows() as uow:
        found = await uow.campaigns.by_slug(slug)
    assert found is not None
    return found


ASK = (
    "When should “The Reading Lamp” launch? Send a date and time in UTC, like 2026-12-20 "
    "18:00, or “now” to launch as soon as it is approved. Its end and its rewards' dates move "
    "with it. /cancel to stop."
)


async def test_the_creator_moves_a_drafts_launch_and_its_end_with_it(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await back_to_draft(telegram_bot.services.uows, lamp)
    ada = telegram_bot.person(7, "Ada")
    launch = (clock.now() + timedelta(days=5)).replace(hour=18, minute=0, second=0, microsecond=0)

    assert (await ada.says("/launchdate lamp"))["text"] == ASK
    assert (await ada.says("next friday"))["text"] == (
        "Launch: send a date and time in UTC, like 2026-12-20 18:00, or “now”"
    )
    answer = await ada.says(launch.strftime("%Y-%m-%d %H:%M"))

    moved = await stored(telegram_bot, "lamp")
    assert moved.starts_at == launch
    assert moved.ends_at - moved.starts_at == lamp.ends_at - lamp.starts_at
    # The clock stands at Nov 1, 2026, 12:00 UTC; the lamp runs for 21 days.
    assert answer["text"] == (
        "“The Reading Lamp” launches on Nov 6, 2026 at 6:00\u202fPM UTC once approved, and "
        "ends on Nov 27, 2026 at 6:00\u202fPM UTC."
    )


async def test_a_live_campaign_or_someone_elses_keeps_its_launch_in_french_too(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada", language_code="fr")
    bob = telegram_bot.person(8, "Bob")

    assert (await ada.says("/launchdate lamp"))["text"] == (
        "«\u00a0The Reading Lamp\u00a0» est déjà lancée\u00a0: son lancement ne peut plus changer."
    )
    assert (await bob.says("/launchdate lamp"))["text"] == (
        "Only the creator of “The Reading Lamp” can choose when it launches."
    )
    await back_to_draft(telegram_bot.services.uows, lamp)
    assert (await ada.says("/launchdate lamp"))["text"].startswith("Quand lancer")
    assert (await ada.says("/cancel"))["text"] == "La date de lancement ne change pas."
    kept = await stored(telegram_bot, "lamp")
    assert (kept.status, kept.starts_at) == (CampaignStatus.DRAFT, lamp.starts_at)
