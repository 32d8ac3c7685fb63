"""The stand-in's answers against Discord's own OpenAPI description (shared/reference)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import pytest

from adapters.standins.discord import Contract, DiscordStandin, Guild, Member, Message, User
from adapters.standins.discord.gateway import GUILDS
from adapters.standins.discord.locales import LOCALES
from adapters.standins.discord.rest import PREFIX
from tests.discord_fixtures import TOKEN

COMMANDS = [
    {"name": "pledge", "description": "Back a campaign"},
    {
        "name": "find",
        "description": "Find a campaign",
        "options": [{"type": 3, "name": "query", "description": "Words", "autocomplete": True}],
    },
]


class Caller:
    """Calls the API as the bot and checks each answer against the spec's response schema."""

    def __init__(self, http: aiohttp.ClientSession, contract: Contract) -> None:
        self.http = http
        self.contract = contract
        self.checked: set[tuple[str, str]] = set()

    async def __call__(
        self,
        method: str,
        route: str,
        ids: Mapping[str, object] | None = None,
        *,
        status: int = 200,
        body: Any = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """Call `route` with its ids filled in; the answer, once checked."""
        path = route.format_map(ids or {}).lstrip("/")
        async with self.http.request(method, path, json=body, params=query) as answer:
            raw = await answer.read()
            decoded = json.loads(raw) if raw else None
            assert answer.status == status, decoded
            if decoded is not None:
                assert answer.headers["Content-Type"] == "application/json"
        assert self.contract.check_response(method, route, status, decoded) == [], route
        self.checked.add((method, route))
        return decoded


@pytest.fixture
def caller(discord_http: aiohttp.ClientSession, discord_contract: Contract) -> Caller:
    """The API, checked call by call."""
    return Caller(discord_http, discord_contract)


@pytest.fixture
async def socket(
    discord_standin: DiscordStandin,
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A raw gateway session, identified, with READY and GUILD_CREATEs still to read."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{discord_standin.gateway_url}?v=10&encoding=json") as websocket,
    ):
        await websocket.receive_json(timeout=5)
        identify = {"token": TOKEN, "intents": GUILDS, "properties": {}}
        await websocket.send_json({"op": 2, "d": identify})
        yield websocket


async def dispatched(socket: aiohttp.ClientWebSocketResponse, event: str) -> dict[str, Any]:
    """The data of the next dispatch of that event."""
    while True:
        frame = await socket.receive_json(timeout=5)
        if frame.get("t") == event:
            data: dict[str, Any] = frame["d"]
            return data


@pytest.fixture
def alice(discord_standin: DiscordStandin) -> User:
    """A person."""
    return discord_standin.user("alice")


@pytest.fixture
def guild(discord_standin: DiscordStandin, alice: User) -> Guild:
    """Alice's server."""
    return discord_standin.guild("Makers", channels=["general", "news"], owner=alice)


@pytest.fixture
def member(discord_standin: DiscordStandin, guild: Guild, alice: User) -> Member:
    """Alice, acting in her server."""
    return discord_standin.member(guild, alice)


async def test_every_route_answers_as_the_spec_describes(
    discord_standin: DiscordStandin,
    caller: Caller,
    socket: aiohttp.ClientWebSocketResponse,
    guild: Guild,
    member: Member,
    alice: User,
) -> None:
    app, channel = discord_standin.bot.id, guild.channel("general").id
    ids = {"application_id": app, "guild_id": guild.id, "channel_id": channel, "user_id": alice.id}
    await _read_only_routes(caller, ids)
    await caller("PUT", "/applications/{application_id}/commands", body=COMMANDS, ids=ids)
    await caller("GET", "/applications/{application_id}/commands", ids=ids)
    await caller(
        "PUT", "/applications/{application_id}/guilds/{guild_id}/commands", body=[], ids=ids
    )
    await caller("GET", "/applications/{application_id}/guilds/{guild_id}/commands", ids=ids)
    card = await _channel_message_routes(caller, ids)
    [stored] = discord_standin.channel_messages(guild.channel("general"))
    await _interaction_routes(caller, socket, member, stored, app)
    message = {**ids, "message_id": card["id"]}
    await caller("DELETE", "/channels/{channel_id}/messages/{message_id}", message, status=204)
    await caller("GET", "/channels/{channel_id}", {"channel_id": 1}, status=404)

    served = {
        (route.method, route.resource.canonical.removeprefix(PREFIX))
        for route in discord_standin.app().router.routes()
        if route.method not in ("*", "HEAD")
        and route.resource is not None
        and route.resource.canonical.startswith(PREFIX)
    }
    assert served <= caller.checked


async def _read_only_routes(caller: Caller, ids: dict[str, int]) -> None:
    await caller("GET", "/users/@me")
    await caller("GET", "/users/{user_id}", ids=ids)
    dm = await caller("POST", "/users/@me/channels", body={"recipient_id": str(ids["user_id"])})
    await caller("GET", "/channels/{channel_id}", {"channel_id": dm["id"]})
    await caller("GET", "/oauth2/applications/@me")
    await caller("GET", "/gateway")
    await caller("GET", "/gateway/bot")
    await caller("GET", "/channels/{channel_id}", ids=ids)
    await caller("GET", "/guilds/{guild_id}", ids=ids)
    await caller("GET", "/guilds/{guild_id}/channels", ids=ids)
    await caller("GET", "/guilds/{guild_id}/members/{user_id}", ids=ids)
    await caller("GET", "/guilds/{guild_id}/roles", ids=ids)


async def _channel_message_routes(caller: Caller, ids: dict[str, int]) -> dict[str, Any]:
    body = {
        "content": "Reading lamp",
        "embeds": [
            {
                "title": "Reading lamp",
                "description": "A warm lamp",
                "fields": [{"name": "Raised", "value": "€1,250"}],
                "footer": {"text": "Backit"},
                "author": {"name": "Ada", "icon_url": "https://backit.test/ada.png"},
                "image": {"url": "https://backit.test/lamp.png"},
                "timestamp": "2026-11-27T10:00:00+00:00",
                "color": 0x2B6CB0,
            }
        ],
        "components": [
            {
                "type": 1,
                "components": [{"type": 2, "style": 1, "label": "Back", "custom_id": "go"}],
            },
            {
                "type": 1,
                "components": [
                    {"type": 3, "custom_id": "sort", "options": [{"label": "New", "value": "new"}]}
                ],
            },
        ],
        "allowed_mentions": {"parse": []},
    }
    card: dict[str, Any] = await caller("POST", "/channels/{channel_id}/messages", ids, body=body)
    await caller("GET", "/channels/{channel_id}/messages", ids=ids)
    message = {**ids, "message_id": card["id"]}
    await caller("GET", "/channels/{channel_id}/messages/{message_id}", message)
    edit = {"content": "Lamp"}
    await caller("PATCH", "/channels/{channel_id}/messages/{message_id}", message, body=edit)
    too_long = {"content": "x" * 2001}
    await caller("POST", "/channels/{channel_id}/messages", ids, status=400, body=too_long)
    return card


async def _interaction_routes(
    caller: Caller,
    socket: aiohttp.ClientWebSocketResponse,
    member: Member,
    card: Message,
    app: int,
) -> None:
    callback = "/interactions/{interaction_id}/{interaction_token}/callback"
    webhook = "/webhooks/{webhook_id}/{webhook_token}"
    respond = {"with_response": "true"}

    deferred = await member.slash("pledge")
    ids = {"interaction_id": deferred.id, "interaction_token": deferred.token}
    await caller("POST", callback, body={"type": 5, "data": {"flags": 64}}, query=respond, ids=ids)
    again = {"type": 4, "data": {"content": "again"}}
    await caller("POST", callback, status=400, body=again, query=respond, ids=ids)
    hook = {"webhook_id": app, "webhook_token": deferred.token}
    wait = {"wait": "true"}
    sent = await caller("POST", webhook, body={"content": "Thanks"}, query=wait, ids=hook)
    await caller("GET", webhook + "/messages/@original", ids=hook)
    await caller("PATCH", webhook + "/messages/@original", body={"content": "Thanks!"}, ids=hook)
    extra = await caller("POST", webhook, body={"content": "More"}, query=wait, ids=hook)
    one = {**hook, "message_id": extra["id"]}
    await caller("GET", webhook + "/messages/{message_id}", ids=one)
    await caller("PATCH", webhook + "/messages/{message_id}", body={"content": "Less"}, ids=one)
    await caller("DELETE", webhook + "/messages/{message_id}", status=204, ids=one)
    await caller("DELETE", webhook + "/messages/@original", status=204, ids=hook)
    assert sent["flags"] & 64

    for action, answer in (
        (member.press(card, "go"), {"type": 7, "data": {"content": "Backed"}}),
        (member.select(card, "sort", ["new"]), {"type": 6}),
        (member.slash("pledge"), {"type": 9, "data": MODAL}),
        (member.slash("pledge"), {"type": 4, "data": {"content": "Hi"}}),
    ):
        interaction = await action
        ids = {"interaction_id": interaction.id, "interaction_token": interaction.token}
        await caller("POST", callback, body=answer, query=respond, ids=ids)

    suggestions = asyncio.create_task(member.autocomplete("find", "query", "la"))
    asked = await dispatched(socket, "INTERACTION_CREATE")
    while asked["type"] != 4:
        asked = await dispatched(socket, "INTERACTION_CREATE")
    choices = {"choices": [{"name": "Reading lamp", "value": "lamp"}]}
    ids = {"interaction_id": asked["id"], "interaction_token": asked["token"]}
    await caller("POST", callback, body={"type": 8, "data": choices}, query=respond, ids=ids)
    assert await suggestions == choices["choices"]


MODAL = {
    "custom_id": "pledge",
    "title": "Back it",
    "components": [
        {
            "type": 1,
            "components": [{"type": 4, "custom_id": "amount", "style": 1, "label": "Amount"}],
        }
    ],
}


def schema(name: str) -> dict[str, Any]:
    """A reference to one of the spec's named schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


async def test_gateway_objects_have_the_fields_of_their_rest_twins(
    discord_contract: Contract,
    discord_standin: DiscordStandin,
    discord_http: aiohttp.ClientSession,
    socket: aiohttp.ClientWebSocketResponse,
    guild: Guild,
    member: Member,
) -> None:
    check = discord_contract.responses.check
    ready = await dispatched(socket, "READY")
    created = await dispatched(socket, "GUILD_CREATE")
    url = f"applications/{discord_standin.bot.id}/commands"
    async with discord_http.put(url, json=COMMANDS) as synced:
        assert synced.status == 200
    await member.slash("pledge")
    interaction = await dispatched(socket, "INTERACTION_CREATE")

    assert check(schema("UserPIIResponse"), ready["user"]) == []
    assert check(schema("GuildResponse"), created) == []
    assert [check(schema("GuildRoleResponse"), role) for role in created["roles"]] == [[], []]
    assert [check(schema("GuildChannelResponse"), c) for c in created["channels"]] == [[], []]
    assert [check(schema("GuildMemberResponse"), m) for m in created["members"]] == [[]]
    assert check(schema("GuildMemberResponse"), interaction["member"]) == []
    assert check(schema("GuildChannelResponse"), interaction["channel"]) == []
    assert interaction["version"] == 1


def test_every_served_route_is_one_the_spec_describes(
    discord_contract: Contract, discord_standin: DiscordStandin
) -> None:
    served = {
        (route.method, route.resource.canonical.removeprefix(PREFIX))
        for route in discord_standin.app().router.routes()
        if route.method not in ("*", "HEAD")
        and route.resource is not None
        and route.resource.canonical.startswith(PREFIX)
    }

    assert {route for route in served if not discord_contract.covers(*route)} == set()


def test_the_stand_in_knows_exactly_discords_locales(discord_contract: Contract) -> None:
    listed = discord_contract.responses.check(schema("AvailableLocalesEnum"), "xx")

    assert set(listed[0].limit) == LOCALES


def test_the_contract_names_what_breaks_a_schema(discord_contract: Contract) -> None:
    message = {"id": "1", "content": 5, "embeds": [{"type": "rich", "title": 7}]}

    broken = discord_contract.responses.check(schema("MessageResponse"), message)
    found = {(".".join(map(str, v.path)), v.rule) for v in broken}

    assert ("content", "type") in found
    assert ("embeds.0.title", "type") in found
    assert ("author", "required") in found
    assert discord_contract.requests.check(schema("SnowflakeType"), 123) == []
    assert discord_contract.responses.check(schema("SnowflakeType"), 123) != []
