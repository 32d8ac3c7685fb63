"""A campaign's progress chart on Telegram: the card's and the dashboard's Progress button send
it as a photo, uploaded once per state and language."""

from __future__ import annotations

from core.ports import Clock
from tests.adapters.telegram.campaigns import CREATOR, live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot


async def test_progress_on_a_card_sends_the_chart_uploaded_once_per_state(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    campaign = await live_campaign(telegram_bot.services.uows, clock)
    await paid_pledge(telegram_bot.services.uows, clock, campaign, 50, 30_000)
    ada, bob = telegram_bot.person(42, "Ada"), telegram_bot.person(43, "Bob")
    card = await ada.says("/campaign lamp")
    uploads = telegram_bot.standin.photo_uploads

    answer = await ada.presses(card, "Progress")
    chart = await ada.reads()
    await bob.presses(await bob.says("/campaign lamp"), "Progress")
    again = await bob.reads()

    assert answer.text is None
    assert telegram_bot.picture(chart).size == (1200, 675)
    assert chart["caption"] == (
        "The Reading Lamp: funding day by day\n€300.00 of €1,000.00 · 1 backer"
    )
    assert chart["caption_entities"][0] == {"type": "bold", "offset": 0, "length": 36}
    assert again["photo"] == chart["photo"]
    assert telegram_bot.standin.photo_uploads == uploads + 1


async def test_a_french_reader_gets_the_chart_in_french(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")

    await amelie.presses(await amelie.says("/campaign lamp"), "Progression")
    chart = await amelie.reads()

    assert chart["caption"] == (
        "The Reading Lamp\u00a0: collecte jour après jour\n"
        "0,00\u00a0€ sur 1\u202f000,00\u00a0€ · 0 contributeur"
    )


async def test_the_creators_dashboard_sends_the_chart_too(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    creator = telegram_bot.person(int(CREATOR.user_id), "Ada")
    campaigns = await creator.says("/mycampaigns")
    await creator.presses(campaigns, "1. The Reading Lamp")
    dashboard = await creator.reads()

    await creator.presses(dashboard, "Progress")
    chart = await creator.reads()

    assert chart["caption"].startswith("The Reading Lamp: funding day by day\n")
    assert telegram_bot.picture(chart).size == (1200, 675)
