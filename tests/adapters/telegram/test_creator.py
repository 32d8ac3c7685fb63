"""Creator tools end to end: /mycampaigns with live figures, /ambassadors per share link."""

from __future__ import annotations

from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels


async def test_a_creator_sees_their_campaigns_with_live_figures(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await paid_pledge(telegram_bot.services.uows, clock, lamp, 60, 25_000)
    ada = telegram_bot.person(7, "Ada")

    mine = await ada.says("/mycampaigns")
    assert mine["text"] == (
        "Your campaigns\n\n1. The Reading Lamp\n25 % · €250.00 of €1,000.00 · 20 days left"
    )
    assert labels(mine) == ["1. The Reading Lamp"]
    bob = telegram_bot.person(43, "Bob")
    assert (await bob.says("/mycampaigns"))["text"] == (
        "Your campaigns\n\nYou have not created a campaign yet."
    )


async def test_ambassadors_shows_the_creator_every_link_and_a_sharer_their_own(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    bob = telegram_bot.person(43, "Bob")
    carol = telegram_bot.person(44, "Carol <3")
    for sharer in (bob, carol):
        await sharer.says("/campaign lamp")
    bob_code = (await telegram_bot.backer(bob)).referral_code
    carol_code = (await telegram_bot.backer(carol)).referral_code
    await paid_pledge(uows, clock, lamp, 60, 2_000, bob_code)
    await paid_pledge(uows, clock, lamp, 61, 3_000, bob_code)
    await paid_pledge(uows, clock, lamp, 62, 1_000, carol_code)
    ada = telegram_bot.person(7, "Ada")

    report = await ada.says("/ambassadors lamp")
    assert report["text"] == (
        "Ambassadors of “The Reading Lamp”\n\nBob: 2 backers, €50.00\nCarol <3: 1 backer, €10.00"
    )
    own = await carol.says("/ambassadors lamp")
    assert own["text"] == "Ambassadors of “The Reading Lamp”\n\nCarol <3: 1 backer, €10.00"
    dave = telegram_bot.person(45, "Dave")
    assert (await dave.says("/ambassadors lamp"))["text"] == (
        "Ambassadors of “The Reading Lamp”\n\nNobody has backed through a share link yet."
    )
    assert (await dave.says("/ambassadors"))["text"] == (
        "Which campaign's ambassadors?\n\nYou have not created a campaign yet."
    )
