"""A busy server stalls no one on Discord: discord.py answers each interaction in its own task
and nothing of Backit's serialises them; a stop lets the answers under way finish first."""

from __future__ import annotations

import asyncio
import logging

import pytest

from adapters.discord.client import DEFER_AFTER
from tests.adapters.discord.people import RunningBot

FLOOD = 60
# An answer, or a deferral when the work runs long (sixty at once take their time in SQLite).
CHANNEL_MESSAGE, DEFERRED_MESSAGE = 4, 5
# Discord's own bound, not a benchmark: an interaction not acknowledged within three seconds
# fails for the member. An answer held behind sixty others would come later.
PROMPTLY = 3.0


# Production's deferral: what keeps an answer inside Discord's three seconds under load.
@pytest.mark.parametrize("defer_after", [DEFER_AFTER])
async def test_a_direct_message_is_answered_while_a_server_floods_the_bot(
    discord_bot: RunningBot, defer_after: float
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    flood = [await ada.slash("discover") for _ in range(FLOOD)]
    bea = discord_bot.standin.dm(discord_bot.standin.user("bea"))

    alone = await bea.slash("discover")

    assert (await alone.response(within=PROMPTLY))["type"] in (CHANNEL_MESSAGE, DEFERRED_MESSAGE)
    answers = [await interaction.response(within=PROMPTLY) for interaction in flood]
    assert {answer["type"] for answer in answers} <= {CHANNEL_MESSAGE, DEFERRED_MESSAGE}


async def test_stopping_with_a_server_flood_in_hand_answers_or_drops_each_whole(
    discord_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    flood = [await ada.slash("discover") for _ in range(FLOOD)]
    await flood[0].response(within=PROMPTLY)

    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        await asyncio.wait_for(discord_bot.stop(), PROMPTLY)

    # None runs into the closed session (the fixture fails on any error logged): each was
    # answered before the session closed, or never started and is counted.
    answered = [i for i in flood if i.callback is not None]
    assert all(i.original is not None and i.original.embeds for i in answered)
    unanswered = FLOOD - len(answered)
    stopped = f"discord: stopped with {unanswered} interactions left unanswered and 0 cut short"
    assert caplog.messages == ([stopped] if unanswered else [])
