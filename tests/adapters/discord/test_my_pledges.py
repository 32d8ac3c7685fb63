"""/mypledges: the member's pledges for them alone, and cancelling with a confirmation."""

from __future__ import annotations

import pytest

from core.identity import Caller
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from tests.adapters.discord.campaigns import live_campaign, paid_pledge
from tests.adapters.discord.people import RunningBot, embed, identity, labels, press, reply
from tests.fakes import FakeGateway


@pytest.fixture
def payment_gateway() -> PaymentGateway | None:
    """A payment provider that records refunds."""
    return FakeGateway()


async def test_a_paid_pledge_is_listed_privately_and_cancelled_after_confirmation(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    empty = await reply(await ada.slash("mypledges"))
    assert embed(empty)["description"] == "You have not backed any campaign yet."
    assert labels(empty) == ["Discover campaigns"]
    caller = Caller(identity(ada), "ada", "en")
    pledge = await paid_pledge(discord_bot.services.uows, clock, lamp, caller, 2_500)

    listing = await reply(await ada.slash("mypledges"))
    assert listing.visible_to == ada.user.id
    assert embed(listing)["title"] == "Your pledges"
    assert embed(listing)["description"] == ("**1. The Reading Lamp**\n€25.00 · Paid · backer #1")
    assert labels(listing) == ["1. The Reading Lamp", "Cancel: The Reading Lamp (€25.00)"]

    asked = await reply(await press(ada, listing, "Cancel: The Reading Lamp (€25.00)"))
    assert asked.visible_to == ada.user.id
    assert asked.content == "Cancel your €25.00 pledge to “The Reading Lamp”?"
    assert labels(asked) == ["Cancel pledge", "Keep it"]
    kept = await reply(await press(ada, asked, "Keep it"))
    assert (kept.id, kept.content, labels(kept)) == (asked.id, "Your pledge stays as it is.", [])
    async with discord_bot.services.uows() as uow:
        still = await uow.pledges.get(pledge.id)
    assert still is not None
    assert still.status is PledgeStatus.PAID

    confirm = await reply(await press(ada, listing, "Cancel: The Reading Lamp (€25.00)"))
    done = await reply(await press(ada, confirm, "Cancel pledge"))

    assert done.id == confirm.id
    assert done.content == "Your pledge is cancelled."
    assert embed(done)["description"] == "**1. The Reading Lamp**\n€25.00 · Refunded · backer #1"
    assert labels(done) == ["1. The Reading Lamp"]
    async with discord_bot.services.uows() as uow:
        refunded = await uow.pledges.get(pledge.id)
    assert refunded is not None
    assert refunded.status is PledgeStatus.REFUNDED


async def test_a_pledge_for_a_reward_is_listed_by_the_rewards_name_and_price(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    caller = Caller(identity(ada), "ada", "en")
    await paid_pledge(discord_bot.services.uows, clock, lamp, caller, tier_id=lamp.tiers[0].id)

    listing = await reply(await ada.slash("mypledges"))

    assert embed(listing)["description"] == (
        "**1. The Reading Lamp**\nEarly bird · €50.00 · Paid · backer #1"
    )
