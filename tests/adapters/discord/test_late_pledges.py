"""Late pledges on Discord: a creator opens them from the dashboard in one form, and the
campaign's card shows the late prices, until when, and what late pledges raised."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus
from core.identity import Identity
from core.usecases.closing import close_campaign
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import (
    RunningBot,
    embed,
    form_fields,
    identity,
    labels,
    press,
    reply,
)
from tests.fakes import FixedClock

UNTIL = "Dec 21, 2026 at 12:01\u202fPM UTC"


async def succeeded(bot: RunningBot, clock: FixedClock, ada_identity: Identity) -> Campaign:
    """The Reading Lamp, funded by one €10 backer, closed at its deadline."""
    uows = bot.services.uows
    lamp = await live_campaign(uows, clock, creators=(ada_identity,), goal=1_000, backers=1)
    clock.advance(lamp.ends_at - clock.now() + timedelta(minutes=1))
    closed = await close_campaign(uows(), clock, lamp.id)
    assert closed is not None
    assert closed.status is CampaignStatus.SUCCESSFUL
    return closed


async def test_a_creator_opens_late_pledges_in_a_form_and_the_card_shows_them(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    await succeeded(discord_bot, clock, identity(ada))

    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Reading Lamp"))
    assert "Open late pledges" in labels(board)
    opened = await press(ada, board, "Open late pledges")
    days, early, lamp = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Late pledges: The Reading Lamp"
    assert [days["label"], early["label"], lamp["label"]] == [
        "Days of late pledges (1 to 90)",
        "Early bird, late price",
        "Lamp, late price",
    ]
    done = await reply(
        await ada.submit_modal(
            opened, {days["custom_id"]: "30", early["custom_id"]: "", lamp["custom_id"]: "80"}
        )
    )
    assert done.visible_to == ada.user.id
    assert done.content == (f"“The Reading Lamp” takes late pledges until {UNTIL}: Lamp at €80.00.")

    card = await reply(await bob.slash("campaign", options={"name": "lamp"}))
    fields = {field["name"]: field["value"] for field in embed(card)["fields"]}
    assert fields["Late pledges"] == f"Open until {UNTIL}"
    assert fields["Raised after the campaign"] == "€0.00 from 0 backers"
    assert fields["Result"] == "Funded: raised €10.00 of €10.00 from 1 backer"
    assert [label for label in labels(card) if "€" in label] == ["Lamp · €80.00"]


async def test_a_late_period_out_of_bounds_is_refused_and_nothing_opens(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")
    lamp = await succeeded(discord_bot, clock, identity(ada))
    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Reading Lamp"))
    opened = await press(ada, board, "Open late pledges")
    days, _, price = await form_fields(opened)
    refused = await reply(
        await ada.submit_modal(opened, {days["custom_id"]: "91", price["custom_id"]: "80"})
    )
    assert refused.content == "Late period: send a whole number of days from 1 to 90"
    async with discord_bot.services.uows() as uow:
        stored = await uow.campaigns.get(lamp.id)
    assert stored is not None
    assert stored.late_until is None


async def test_a_live_campaigns_dashboard_offers_no_late_pledges(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Reading Lamp"))
    assert "Open late pledges" not in labels(board)
