"""Channel messages: Discord's limits on embeds, content and components, mentions, DMs, events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest

from adapters.standins.discord import DiscordStandin, Guild, Overwrite, Pings
from adapters.standins.discord.permissions import MENTION_EVERYONE, SEND_MESSAGES, VIEW_CHANNEL
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A server with a general channel, and a channel the bot may read but not write in."""
    guild = discord_standin.guild("Makers")
    bot_role = guild.role("Backit")
    discord_standin.channel(
        guild, "rules", overwrites=[Overwrite(bot_role.id, 0, deny=SEND_MESSAGES)]
    )
    discord_standin.channel(guild, "mods", overwrites=[Overwrite(guild.id, 0, deny=VIEW_CHANNEL)])
    return guild


@pytest.fixture
async def bot(discord_standin: DiscordStandin, guild: Guild) -> AsyncIterator[discord.Client]:
    """A connected client that tests drive directly."""
    client = discord.Client(
        intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT
    )
    async with running(client):
        yield client


def channel_of(bot: discord.Client, guild: Guild, name: str) -> discord.TextChannel:
    """discord.py's view of one of the server's channels."""
    channel = bot.get_channel(guild.channel(name).id)
    assert isinstance(channel, discord.TextChannel)
    return channel


def embed_at_every_limit() -> discord.Embed:
    """An embed using each limit: title, description, author, 25 fields, 6000 characters in all."""
    embed = discord.Embed(title="t" * 256, description="d" * 4096)
    embed.set_author(name="a" * 256)
    for index in range(25):
        embed.add_field(name=f"field {index:02d}", value="v" * 40)
    # 256 + 4096 + 256 + 25 × (8 + 40) = 5808: the footer brings it to exactly 6000.
    return embed.set_footer(text="f" * 192)


async def test_embeds_at_every_limit_are_accepted(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    general = channel_of(bot, guild, "general")

    sent = await general.send(embed=embed_at_every_limit())
    longest = await general.send(
        embeds=[discord.Embed(description="x" * 500) for _ in range(9)]
        + [discord.Embed().add_field(name="n" * 256, value="v" * 1024)]
    )
    footer = await general.send(embed=discord.Embed().set_footer(text="f" * 2048))

    stored = discord_standin.channel_messages(guild.channel("general"))
    assert [message.id for message in stored] == [sent.id, longest.id, footer.id]
    assert len(stored[0].embeds[0]["fields"]) == 25
    assert stored[0].embeds[0]["fields"][0] == {
        "name": "field 00",
        "value": "v" * 40,
        "inline": True,
    }
    assert len(stored[1].embeds) == 10


def oversized(**change: Any) -> list[discord.Embed]:
    """One embed with a single field over its limit."""
    embed = discord.Embed(title=change.get("title"), description=change.get("description"))
    if "author" in change:
        embed.set_author(name=change["author"])
    if "footer" in change:
        embed.set_footer(text=change["footer"])
    for name, value in change.get("fields", []):
        embed.add_field(name=name, value=value)
    return [embed]


OVER = {
    "title": (oversized(title="t" * 257), "embeds.0.title"),
    "description": (oversized(description="d" * 4097), "embeds.0.description"),
    "26 fields": (oversized(fields=[("n", "v")] * 26), "embeds.0.fields"),
    "field name": (oversized(fields=[("n" * 257, "v")]), "embeds.0.fields.0.name"),
    "field value": (oversized(fields=[("n", "v" * 1025)]), "embeds.0.fields.0.value"),
    "footer": (oversized(footer="f" * 2049), "embeds.0.footer.text"),
    "author": (oversized(author="a" * 257), "embeds.0.author.name"),
    "6001 in all": (
        [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 2001)],
        "embeds",
    ),
}


@pytest.mark.parametrize(("embeds", "where"), OVER.values(), ids=OVER.keys())
async def test_an_embed_over_a_limit_is_refused_with_50035(
    discord_standin: DiscordStandin,
    bot: discord.Client,
    guild: Guild,
    embeds: list[discord.Embed],
    where: str,
) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await channel_of(bot, guild, "general").send(embeds=embeds)

    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {where}:" in refused.value.text
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_content_is_limited_to_2000_characters_and_may_not_be_empty(
    bot: discord.Client, guild: Guild
) -> None:
    general = channel_of(bot, guild, "general")

    await general.send("x" * 2000)
    with pytest.raises(discord.HTTPException) as too_long:
        await general.send("x" * 2001)
    with pytest.raises(discord.HTTPException) as empty:
        await general.send("")

    assert too_long.value.code == 50035
    assert "In content: Must be 2000 or fewer in length." in too_long.value.text
    assert (empty.value.code, empty.value.text) == (50006, "Cannot send an empty message")


def button(**fields: Any) -> dict[str, Any]:
    """A primary button with a custom_id, with changes."""
    return {"type": 2, "style": 1, "label": "Back", "custom_id": "back", **fields}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    """An action row."""
    return {"type": 1, "components": list(components)}


def string_select(options: int) -> dict[str, Any]:
    """A string select with that many options."""
    choices = [{"label": f"o{i}", "value": f"o{i}"} for i in range(options)]
    return {"type": 3, "custom_id": "sort", "options": choices}


def numbered(count: int) -> list[dict[str, Any]]:
    """That many buttons with distinct custom_ids."""
    return [button(custom_id=f"b{i}") for i in range(count)]


COMPONENTS_OVER = {
    "6 rows": ([row(b) for b in numbered(6)], ("components",)),
    "6 buttons in a row": ([row(*numbered(6))], ("components", "0", "components")),
    "a button beside a select": (
        [row(string_select(2), button())],
        ("components", "0", "components"),
    ),
    "26 options": ([row(string_select(26))], ("components", "0", "components", "0", "options")),
    "custom_id of 101": (
        [row(button(custom_id="c" * 101))],
        ("components", "0", "components", "0", "custom_id"),
    ),
    "label of 81": ([row(button(label="l" * 81))], ("components", "0", "components", "0", "label")),
    "link with a custom_id": (
        [row(button(style=5, url="https://backit.test"))],
        ("components", "0", "components", "0", "custom_id"),
    ),
    "link without a url": (
        [row({"type": 2, "style": 5, "label": "Page"})],
        ("components", "0", "components", "0", "url"),
    ),
    "duplicate custom_ids": (
        [row(button(), button())],
        ("components", "0", "components", "1", "custom_id"),
    ),
    "a text input in a message": (
        [row({"type": 4, "custom_id": "amount", "style": 1, "label": "Amount"})],
        ("components", "0", "components", "0", "type"),
    ),
}


def card(components: list[dict[str, Any]]) -> dict[str, Any]:
    """A message body carrying those component rows."""
    return {"content": "card", "components": components}


BODIES_OVER = {
    "11 embeds": ({"embeds": [{"title": "t"}] * 11}, ("embeds",)),
    "embed colour as text": ({"embeds": [{"color": "red"}]}, ("embeds", "0", "color")),
    **{name: (card(rows), where) for name, (rows, where) in COMPONENTS_OVER.items()},
}


@pytest.mark.parametrize(("body", "where"), BODIES_OVER.values(), ids=BODIES_OVER.keys())
async def test_a_body_breaking_discords_rules_is_refused_with_50035_at_the_field(
    discord_standin: DiscordStandin,
    discord_http: aiohttp.ClientSession,
    guild: Guild,
    body: dict[str, Any],
    where: tuple[str, ...],
) -> None:
    url = f"channels/{guild.channel('general').id}/messages"
    async with discord_http.post(url, json=body) as answer:
        status, error = answer.status, await answer.json()

    node = error["errors"]
    for part in where:
        node = node[part]

    assert (status, error["code"]) == (400, 50035)
    assert node["_errors"]
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_five_rows_of_five_buttons_and_a_full_select_are_accepted(
    discord_http: aiohttp.ClientSession, guild: Guild
) -> None:
    buttons = numbered(20)
    rows = [row(*buttons[i : i + 5]) for i in range(0, 20, 5)] + [row(string_select(25))]
    url = f"channels/{guild.channel('general').id}/messages"
    async with discord_http.post(url, json={"content": "card", "components": rows}) as answer:
        sent = await answer.json()

    assert answer.status == 200
    assert [component["id"] for component in sent["components"][0]["components"]] == [2, 3, 4, 5, 6]
    assert sent["components"][4]["components"][0]["min_values"] == 1


async def test_allowed_mentions_are_recorded_and_can_silence_every_ping(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    alice = discord_standin.member(guild, discord_standin.user("alice")).user
    crew = discord_standin.role(guild, "crew", mentionable=True)
    general = channel_of(bot, guild, "general")
    text = f"@everyone <@{alice.id}> <@&{crew.id}> says **hi**"

    await general.send(text, allowed_mentions=discord.AllowedMentions.none())
    await general.send(
        text,
        allowed_mentions=discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(alice.id)]
        ),
    )
    await general.send(text)

    silent, only_alice, default = discord_standin.channel_messages(guild.channel("general"))
    assert silent.allowed_mentions == {"parse": []}
    assert silent.pings.nobody
    assert silent.content == text
    assert only_alice.pings == Pings(users=frozenset({alice.id}), roles=frozenset(), everyone=False)
    assert default.allowed_mentions is None
    # The bot may not mention @everyone here, so even by default that part stays silent.
    assert default.pings == Pings(frozenset({alice.id}), frozenset({crew.id}), everyone=False)


async def test_everyone_pings_only_with_the_permission_and_when_allowed(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    guild.role("Backit").permissions |= MENTION_EVERYONE
    general = channel_of(bot, guild, "general")

    await general.send("@everyone funded!")
    await general.send(
        "@everyone funded!", allowed_mentions=discord.AllowedMentions(everyone=False)
    )

    pinged, held = discord_standin.channel_messages(guild.channel("general"))
    assert pinged.pings.everyone
    assert not held.pings.everyone


async def test_a_dm_to_someone_with_closed_dms_is_forbidden_with_50007(
    discord_standin: DiscordStandin, bot: discord.Client
) -> None:
    open_to_dms = discord_standin.user("alice")
    closed = discord_standin.user("bob", accepts_dms=False)

    await (await bot.fetch_user(open_to_dms.id)).send("Your pledge is confirmed")
    await discord_standin.wait_for_messages(discord_standin.dm_channel(open_to_dms))
    with pytest.raises(discord.Forbidden) as refused:
        await (await bot.fetch_user(closed.id)).send("Your pledge is confirmed")

    assert (refused.value.status, refused.value.code) == (403, 50007)
    assert refused.value.text == "Cannot send messages to this user"
    assert [
        m.content for m in discord_standin.channel_messages(discord_standin.dm_channel(open_to_dms))
    ] == ["Your pledge is confirmed"]
    assert discord_standin.channel_messages(discord_standin.dm_channel(closed)) == []


async def test_the_bot_cannot_post_where_its_permissions_forbid(
    bot: discord.Client, guild: Guild
) -> None:
    rules = channel_of(bot, guild, "rules")

    with pytest.raises(discord.Forbidden) as read_only:
        await rules.send("hello")
    with pytest.raises(discord.Forbidden) as hidden:
        await bot.http.send_message(guild.channel("mods").id, params=_content("hello"))

    assert read_only.value.code == 50013
    assert hidden.value.code == 50001


def _content(text: str) -> Any:
    return discord.http.handle_message_parameters(content=text)


async def test_the_bot_edits_and_deletes_its_messages(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    general = channel_of(bot, guild, "general")
    sent = await general.send("draft")

    edited = await sent.edit(content="final")
    fetched = await general.fetch_message(sent.id)
    await fetched.delete()

    assert edited.edited_at is not None
    assert fetched.content == "final"
    assert discord_standin.channel_messages(guild.channel("general")) == []
    with pytest.raises(discord.NotFound):
        await general.fetch_message(sent.id)


async def test_a_stream_follows_a_channels_messages_as_they_change(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    events = discord_standin.stream(guild.channel("general"))
    kinds: list[str] = []
    unsubscribe = discord_standin.subscribe(lambda event: kinds.append(event.kind))
    general = channel_of(bot, guild, "general")

    sent = await general.send("draft")
    await sent.edit(content="final")
    await sent.delete()
    unsubscribe()

    contents = []
    async with asyncio.timeout(5):
        async for event in events:
            contents.append(event.message["content"] if event.message else None)
            if event.kind == "message_deleted":
                events.close()

    assert kinds == ["message_created", "message_edited", "message_deleted"]
    assert contents == ["draft", "final", "final"]


async def test_discord_py_receives_its_own_messages_over_the_gateway(
    bot: discord.Client, guild: Guild
) -> None:
    general = channel_of(bot, guild, "general")
    arrival = asyncio.create_task(bot.wait_for("message", timeout=5.0))

    sent = await general.send("hello")
    received = await arrival

    assert received.id == sent.id
    assert received.guild is not None
    assert received.guild.id == guild.id


async def test_a_deleted_channel_is_unknown_and_discord_py_hears_it_is_gone(
    discord_standin: DiscordStandin, bot: discord.Client, guild: Guild
) -> None:
    rules = guild.channel("rules")
    deletion = asyncio.create_task(bot.wait_for("guild_channel_delete", timeout=5.0))

    discord_standin.delete_channel(rules)
    removed = await deletion

    assert removed.id == rules.id
    assert bot.get_channel(rules.id) is None
    with pytest.raises(discord.NotFound) as unknown:
        await bot.http.send_message(rules.id, params=_content("hello"))
    assert (unknown.value.code, unknown.value.text) == (10003, "Unknown Channel")
    assert [c.name for c in guild.channels.values()] == ["general", "mods"]


def test_a_dm_channel_cannot_be_deleted(discord_standin: DiscordStandin) -> None:
    dm = discord_standin.dm_channel(discord_standin.user("alice"))

    with pytest.raises(ValueError, match="DM"):
        discord_standin.delete_channel(dm)
