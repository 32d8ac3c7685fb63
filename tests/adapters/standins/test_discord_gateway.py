"""The gateway protocol itself, spoken frame by frame: HELLO, heartbeats, IDENTIFY, close codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from adapters.standins.discord import DiscordStandin
from adapters.standins.discord.gateway import GUILD_MEMBERS, GUILDS
from tests.discord_fixtures import TOKEN

IDENTIFY_PROPERTIES = {"os": "linux", "browser": "test", "device": "test"}


@pytest.fixture
async def socket(discord_standin: DiscordStandin) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A raw websocket on the gateway, with HELLO already read."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{discord_standin.gateway_url}?v=10&encoding=json") as websocket,
    ):
        hello = await websocket.receive_json(timeout=5)
        assert hello["op"] == 10
        assert hello["d"]["heartbeat_interval"] > 0
        yield websocket


async def identify(socket: aiohttp.ClientWebSocketResponse, **changes: Any) -> None:
    """Send IDENTIFY, with changes to its fields."""
    data = {"token": TOKEN, "intents": GUILDS, "properties": IDENTIFY_PROPERTIES, **changes}
    await socket.send_json({"op": 2, "d": data})


async def next_dispatch(socket: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The next op-0 dispatch, skipping heartbeat ACKs."""
    while True:
        frame: dict[str, Any] = await socket.receive_json(timeout=5)
        if frame["op"] == 0:
            return frame


async def close_code(socket: aiohttp.ClientWebSocketResponse) -> tuple[int, str]:
    """The code and reason the stand-in closed the socket with, after any frames before it."""
    while (message := await socket.receive(timeout=5)).type is aiohttp.WSMsgType.TEXT:
        continue
    assert message.type is aiohttp.WSMsgType.CLOSE
    return int(message.data), str(message.extra)


async def test_a_heartbeat_is_acknowledged(socket: aiohttp.ClientWebSocketResponse) -> None:
    await socket.send_json({"op": 1, "d": None})

    assert (await socket.receive_json(timeout=5))["op"] == 11


async def test_identify_gets_ready_then_a_guild_create_per_server(
    discord_standin: DiscordStandin, socket: aiohttp.ClientWebSocketResponse
) -> None:
    guild = discord_standin.guild("Makers")

    await identify(socket)
    ready, created = await next_dispatch(socket), await next_dispatch(socket)

    assert (ready["t"], ready["s"]) == ("READY", 1)
    assert ready["d"]["guilds"] == [{"id": str(guild.id), "unavailable": True}]
    assert ready["d"]["resume_gateway_url"] == discord_standin.gateway_url
    assert ready["d"]["application"]["id"] == str(discord_standin.bot.id)
    assert (created["t"], created["s"], created["d"]["id"]) == ("GUILD_CREATE", 2, str(guild.id))
    assert created["d"]["owner_id"] == str(guild.owner_id)
    assert [m["user"]["id"] for m in created["d"]["members"]] == [str(discord_standin.bot.id)]


CLOSES = {
    "a wrong token": ({"token": "nope"}, 4004),
    "unknown intents": ({"intents": 1 << 30}, 4013),
    "a privileged intent not granted": ({"intents": GUILDS | GUILD_MEMBERS}, 4014),
    "no intents at all": ({"intents": None}, 4013),
}


@pytest.mark.parametrize(("changes", "code"), CLOSES.values(), ids=CLOSES.keys())
async def test_a_bad_identify_closes_with_discords_code(
    socket: aiohttp.ClientWebSocketResponse, changes: dict[str, Any], code: int
) -> None:
    await identify(socket, **changes)

    assert (await close_code(socket))[0] == code


async def test_the_disallowed_intent_close_says_so(socket: aiohttp.ClientWebSocketResponse) -> None:
    await identify(socket, intents=GUILDS | GUILD_MEMBERS)

    assert await close_code(socket) == (4014, "Disallowed intent(s).")


async def test_a_payload_before_identify_closes_with_4003(
    socket: aiohttp.ClientWebSocketResponse,
) -> None:
    await socket.send_json({"op": 3, "d": {"status": "online"}})

    assert (await close_code(socket))[0] == 4003


async def test_identifying_twice_closes_with_4005(socket: aiohttp.ClientWebSocketResponse) -> None:
    await identify(socket)
    await identify(socket)

    assert (await close_code(socket))[0] == 4005


async def test_undecodable_frames_and_unknown_opcodes_close_the_socket(
    discord_standin: DiscordStandin, socket: aiohttp.ClientWebSocketResponse
) -> None:
    await socket.send_str("{not json")
    assert (await close_code(socket))[0] == 4002

    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{discord_standin.gateway_url}?v=10") as second,
    ):
        await second.receive_json(timeout=5)
        await identify(second)
        await second.send_json({"op": 42, "d": None})
        assert (await close_code(second))[0] == 4001


async def test_an_old_api_version_is_refused_with_4012(discord_standin: DiscordStandin) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{discord_standin.gateway_url}?v=9") as websocket,
    ):
        assert (await close_code(websocket))[0] == 4012


async def test_resuming_an_unknown_session_is_an_invalid_session(
    socket: aiohttp.ClientWebSocketResponse,
) -> None:
    await socket.send_json({"op": 6, "d": {"token": TOKEN, "session_id": "gone", "seq": 3}})

    assert await socket.receive_json(timeout=5) == {"op": 9, "d": False, "s": None, "t": None}


async def test_members_can_be_requested_by_id(
    discord_standin: DiscordStandin, socket: aiohttp.ClientWebSocketResponse
) -> None:
    alice = discord_standin.user("alice")
    guild = discord_standin.guild("Makers", owner=alice)
    await identify(socket)
    await next_dispatch(socket)
    await next_dispatch(socket)

    request = {"guild_id": str(guild.id), "user_ids": [str(alice.id)], "limit": 0, "nonce": "n1"}
    await socket.send_json({"op": 8, "d": request})
    chunk = await next_dispatch(socket)

    assert chunk["t"] == "GUILD_MEMBERS_CHUNK"
    assert [m["user"]["id"] for m in chunk["d"]["members"]] == [str(alice.id)]
    assert chunk["d"]["nonce"] == "n1"
