"""Work that runs long is deferred within Discord's three seconds, then the answer fills it in.

The bot here defers at once (`defer_after` 0), so every path through a deferral is taken.
"""

from __future__ import annotations

import pytest

from adapters.standins.discord import EventStream, Interaction, Message
from core.identity import Caller
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign, paid_pledge
from tests.adapters.discord.people import RunningBot, embed, identity, labels, press

DEFERRED_MESSAGE, DEFERRED_UPDATE = 5, 6


@pytest.fixture
def defer_after() -> float:
    """Defer before any work."""
    return 0.0


async def settled(stream: EventStream, interaction: Interaction, deferral: int) -> Message:
    """The message the deferral left, once the bot has filled it in or changed it."""
    assert (await interaction.response())["type"] == deferral
    await stream.next("message_edited")
    message = interaction.original
    assert message is not None
    return message


async def test_deferred_answers_keep_their_visibility_and_are_filled_in(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    stream = discord_bot.standin.stream(ada.channel)

    listing = await settled(stream, await ada.slash("discover"), DEFERRED_MESSAGE)
    assert not listing.ephemeral
    assert embed(listing)["title"] == "Trending"
    page = await settled(stream, await press(ada, listing, "New"), DEFERRED_UPDATE)
    assert (page.id, embed(page)["title"]) == (listing.id, "New")
    card = await settled(stream, await press(ada, page, "1. The Reading Lamp"), DEFERRED_MESSAGE)
    assert card.visible_to == ada.user.id
    assert labels(card)[-1] == "Follow"
    stream.close()


async def test_a_refusal_after_a_deferred_edit_goes_to_the_member_alone(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    await paid_pledge(
        discord_bot.services.uows, clock, lamp, Caller(identity(ada), "ada", "en"), 900
    )
    stream = discord_bot.standin.stream(ada.channel)
    listing = await settled(stream, await ada.slash("mypledges"), DEFERRED_MESSAGE)
    confirm = await settled(
        stream, await press(ada, listing, "Cancel: The Reading Lamp (€9.00)"), DEFERRED_MESSAGE
    )
    stream.close()

    # No payment provider here: cancelling is refused, and the confirmation stays as it was.
    pressed = await press(ada, confirm, "Cancel pledge")
    assert (await pressed.response())["type"] == DEFERRED_UPDATE
    [refusal] = await pressed.followups()

    assert refusal.visible_to == ada.user.id
    assert (
        refusal.content == "Payments are unavailable right now. Please try again in a few minutes."
    )
    assert labels(confirm) == ["Cancel pledge", "Keep it"]
