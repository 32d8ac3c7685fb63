"""A running Discord stand-in held to Discord's spec, and the real discord.py pointed at it.

A pytest plugin (see tests/conftest.py), so every test layer that talks to Discord uses the same
stand-in: its own tests, the Discord adapter's tests and the end-to-end tests.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import aiohttp
import discord
import pytest

from adapters.standins.discord import Contract, DiscordStandin, pointed_at

TOKEN = "MTA1NzY.standin.bot-token"
# Kept in the repository (tests/reference), so any clone checks the stand-in against it.
DISCORD_SPEC = Path(__file__).resolve().parent / "reference" / "discord-openapi.json"
ClientT = TypeVar("ClientT", bound=discord.Client)

# How long a client may take to log in, sync and receive READY and its servers.
READY_WITHIN = 5.0
# discord.py waits this long after the last GUILD_CREATE before `on_ready` (2 s by default).
GUILD_READY_TIMEOUT = 0.05


@pytest.fixture(scope="session")
def discord_contract() -> Contract:
    """Discord's OpenAPI description, read once per run."""
    return Contract.load(DISCORD_SPEC)


@pytest.fixture
async def discord_standin(discord_contract: Contract) -> AsyncIterator[DiscordStandin]:
    """A running stand-in that discord.py is pointed at; its answers must all match the spec."""
    standin = DiscordStandin(token=TOKEN, contract=discord_contract)
    await standin.start()
    with pointed_at(standin):
        yield standin
    await standin.stop()
    assert standin.contract_violations == []


@pytest.fixture
async def discord_http(discord_standin: DiscordStandin) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP client on the stand-in's API (paths relative: `users/@me`), as the bot."""
    async with aiohttp.ClientSession(
        base_url=f"{discord_standin.api_base}/", headers={"Authorization": f"Bot {TOKEN}"}
    ) as session:
        yield session


@contextlib.asynccontextmanager
async def running(client: ClientT, token: str = TOKEN) -> AsyncIterator[ClientT]:
    """Log a client in and connect it in a task until it is ready; close both on the way out."""
    try:
        await client.login(token)
        connection = asyncio.create_task(client.connect())
        try:
            await _ready(client, connection)
            yield client
        finally:
            await client.close()
            async with asyncio.timeout(READY_WITHIN):
                await connection
    finally:
        # Closing twice is harmless, and a failed login still leaves a session to close.
        await client.close()


async def _ready(client: discord.Client, connection: asyncio.Task[None]) -> None:
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        first = asyncio.FIRST_COMPLETED
        done, _ = await asyncio.wait({connection, ready}, timeout=READY_WITHIN, return_when=first)
    finally:
        ready.cancel()
    if connection in done:
        connection.result()
        raise RuntimeError("discord.py's gateway connection ended before it was ready")
    if ready not in done:
        raise TimeoutError(f"discord.py was not ready within {READY_WITHIN} s")
