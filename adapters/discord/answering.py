"""Answering an interaction: within three seconds, in the member's language, refusals politely."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec

import discord

from adapters.discord.callers import BackitInteraction, caller_of
from adapters.discord.failures import apologise
from adapters.discord.replies import Mode, Reply, defer, deliver, message_fields, notice
from core.errors import CampaignNotFound, DomainError
from core.i18n import use_locale
from core.identity import Caller
from core.views.intents import StaleButton

Work = Callable[[Caller], Awaitable[Reply]]
P = ParamSpec("P")


def in_hand(
    respond: Callable[Concatenate[BackitInteraction, P], Awaitable[None]],
) -> Callable[Concatenate[BackitInteraction, P], Awaitable[None]]:
    """Count the answer as in hand while it runs; once the bot is stopping, start none (Discord
    tells the member the interaction failed, and they try again)."""

    @functools.wraps(respond)
    async def held(interaction: BackitInteraction, /, *args: P.args, **kwargs: P.kwargs) -> None:
        work = interaction.client.in_hand
        if work.stopping:
            work.dropped += 1
            return
        with work.track():
            await respond(interaction, *args, **kwargs)

    return held


def refusal(interaction: BackitInteraction, error: DomainError) -> str:
    """Why the domain refused, in words; a button naming a vanished campaign is just stale."""
    from_button = interaction.type is not discord.InteractionType.application_command
    if from_button and isinstance(error, CampaignNotFound):
        error = StaleButton()
    return error.user_message()


@in_hand
async def answer(interaction: BackitInteraction, mode: Mode, work: Work) -> None:
    """Run `work` for the caller and send its reply, deferring first when it runs long."""
    task = asyncio.create_task(_produce(interaction, work))
    try:
        done, _ = await asyncio.wait({task}, timeout=interaction.client.defer_after)
        if not done:
            await defer(interaction, mode)
        await deliver(interaction, mode, await task)
    except Exception as error:  # Anything else is a bug or an outage: logged, then apologised for.
        await apologise(interaction, error)
    finally:
        task.cancel()


async def _produce(interaction: BackitInteraction, work: Work) -> Reply:
    with interaction.client.services.reads.one_reading():
        caller = await caller_of(interaction)
        with use_locale(caller.locale):
            try:
                return await work(caller)
            except DomainError as error:
                return notice(refusal(interaction, error))


@in_hand
async def open_form(
    interaction: BackitInteraction, build: Callable[[Caller], Awaitable[discord.ui.Modal]]
) -> None:
    """Open a form (a modal must be the very first answer), or say why it cannot open."""
    try:
        caller = await caller_of(interaction)
        with use_locale(caller.locale):
            try:
                form = await build(caller)
            except DomainError as error:
                refused = notice(refusal(interaction, error))
                await interaction.response.send_message(ephemeral=True, **message_fields(refused))
                return
        await interaction.response.send_modal(form)
    except Exception as error:  # As in `answer`: logged, then apologised for.
        await apologise(interaction, error)
