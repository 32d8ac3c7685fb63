"""Creator tools: /mycampaigns, and /ambassadors in full for the creator, one's own for others."""

from __future__ import annotations

from adapters.standins.discord import Member
from core.campaigns import Campaign
from core.identity import Caller
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.ports import Clock
from core.usecases.backers import remember
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, identity, labels, reply


def caller(member: Member) -> Caller:
    """A member as core sees them."""
    return Caller(identity(member), member.user.name, "en")


async def referred(
    bot: RunningBot, clock: Clock, campaign: Campaign, member: Member, ambassador: Member
) -> None:
    """The member backs the campaign through the ambassador's share link, and pays."""
    code = (await remember(bot.services.uows, caller(ambassador))).referral_code
    request = PledgeRequest(caller(member), campaign.id, None, Money(2_500, "EUR"), code)
    pledge = await start_pledge(bot.services.uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(
        bot.services.uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.PAID)
    )


async def test_a_creator_lists_their_campaigns_for_themselves(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    mine = await reply(await ada.slash("mycampaigns"))
    none = await reply(await bob.slash("mycampaigns"))

    assert mine.visible_to == ada.user.id
    assert embed(mine)["title"] == "Your campaigns"
    assert labels(mine) == ["1. The Reading Lamp"]
    assert embed(none)["description"] == "You have not created a campaign yet."


async def test_ambassadors_shows_the_creator_every_link_and_others_their_own(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob, cy, dee = (discord_bot.member(guild, name) for name in ("ada", "bob", "cy", "dee"))
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await referred(discord_bot, clock, lamp, cy, bob)

    full = await reply(await ada.slash("ambassadors", options={"name": "lamp"}))
    own = await reply(await bob.slash("ambassadors", options={"name": "lamp"}))
    nothing = await reply(await dee.slash("ambassadors", options={"name": "lamp"}))

    assert full.visible_to == ada.user.id
    assert embed(full)["title"] == "Ambassadors of “The Reading Lamp”"
    assert embed(full)["description"] == "bob: 1 backer, €25.00"
    assert embed(own)["description"] == "bob: 1 backer, €25.00"
    assert embed(nothing)["description"] == "Nobody has backed through a share link yet."
