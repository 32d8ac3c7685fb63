"""Buttons are routed by custom id: they work after a restart, and stale ones are explained."""

from __future__ import annotations

import discord
import pytest

from adapters.discord.layout import static_view
from core.identity import Caller
from core.money import Money
from core.payments import PaymentUnavailable
from core.pledges import Pledge
from core.ports import Clock, PaymentGateway
from tests.adapters.discord.campaigns import live_campaign, paid_pledge
from tests.adapters.discord.people import (
    RunningBot,
    button,
    embed,
    identity,
    labels,
    press,
    reply,
)
from tests.fakes import FakeGateway

STALE = "This button has expired. Please open the campaign again."


class BrokenGateway(FakeGateway):
    """A payment provider whose refunds fail in a way nobody planned for."""

    async def refund(
        self, pledge: Pledge, idempotency_key: str, amount: Money | None = None
    ) -> None:
        """Fail as a bug would."""
        raise RuntimeError("the provider's client broke")


@pytest.fixture
def payment_gateway() -> PaymentGateway | None:
    """Refunds fail unexpectedly; every other payment call works."""
    return BrokenGateway()


async def test_cards_and_lists_posted_before_a_restart_still_answer(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    listing = await reply(await ada.slash("discover"))
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    await discord_bot.restart()
    resorted = await reply(await press(ada, listing, "New"))
    offer = await reply(await press(ada, card, "Early bird · €50.00 · 100 left"))

    assert (resorted.id, embed(resorted)["title"]) == (listing.id, "New")
    link = discord_bot.verify(button(offer, "Pledge: Early bird · €50.00 · 100 left")["url"])
    assert (link.campaign_id, link.tier_id) == (lamp.id, lamp.tiers[0].id)


async def test_buttons_naming_nothing_or_malformed_are_explained_to_the_member(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")
    assert discord_bot.bot is not None
    channel = await discord_bot.bot.client.fetch_channel(ada.channel.id)
    assert isinstance(channel, discord.TextChannel)
    # A message as an older Backit may have left it: a vanished campaign, data it cannot read.
    await channel.send(
        "An old card",
        view=static_view(
            [
                discord.ui.Button(label="Gone", custom_id="p:999999:1"),
                discord.ui.Button(label="Garbled", custom_id="zz:?"),
                discord.ui.Button(label="Old update", custom_id="update:everyone:0123abcd"),
            ]
        ),
    )
    [old] = await discord_bot.standin.wait_for_messages(ada.channel)

    answers = [await reply(await press(ada, old, label)) for label in labels(old)]

    assert [answer.content for answer in answers] == [
        STALE,
        STALE,
        "This draft has expired: please write the update again.",
    ]
    assert all(answer.visible_to == ada.user.id for answer in answers)


async def test_an_unexpected_failure_is_logged_with_its_context_and_apologised_for(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")
    caller = Caller(identity(ada), "ada", "en")
    pledge = await paid_pledge(discord_bot.services.uows, clock, lamp, caller, 900)
    listing = await reply(await ada.slash("mypledges"))
    confirm = await reply(await press(ada, listing, "Cancel: The Reading Lamp (€9.00)"))

    sorry = await reply(await press(ada, confirm, "Cancel pledge"))

    assert sorry.visible_to == ada.user.id
    assert sorry.content == "Sorry, something went wrong. Please try again."
    [record] = discord_bot.errors.records
    assert record.getMessage().startswith(
        f"discord: component 'y:{pledge.id}' by user {ada.user.id} in server {guild.id}"
    )
    assert record.exc_info is not None
    assert "provider's client broke" in str(record.exc_info[1])
    assert not isinstance(record.exc_info[1], PaymentUnavailable)
    discord_bot.errors.records.clear()
