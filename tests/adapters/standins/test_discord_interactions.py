"""Slash commands end to end: options, answers, deferrals, follow-ups, autocomplete, deadlines."""

from __future__ import annotations

import asyncio
import statistics

import discord
import pytest
from discord import app_commands

from adapters.standins.discord import ActionRefused, DiscordStandin, Guild, User
from adapters.standins.discord.permissions import ADMINISTRATOR, MANAGE_GUILD
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running

CATEGORIES = ["design", "games", "music", "tech"]
FRENCH = {"discover": "découvrir"}


class NameTranslator(app_commands.Translator):
    """French command names from a table."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The French text, if the table has one."""
        return FRENCH.get(string.message) if locale is discord.Locale.french else None


class AnsweringBot(discord.Client):
    """Commands that answer in every way Discord allows, and note what discord.py raised."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)
        self.errors: asyncio.Queue[discord.HTTPException] = asyncio.Queue()
        self._commands()

    async def setup_hook(self) -> None:
        """Translate, then sync the commands."""
        await self.tree.set_translator(NameTranslator())
        await self.tree.sync()

    def _commands(self) -> None:
        tree = self.tree

        @tree.command(description="Say hello")
        async def hello(interaction: discord.Interaction, name: str) -> None:
            """Greet by name, in the member's locale."""
            await interaction.response.send_message(f"Hello {name} ({interaction.locale.value})")

        @tree.command(description="A private note")
        async def note(interaction: discord.Interaction) -> None:
            """Answer privately."""
            await interaction.response.send_message("only you", ephemeral=True)

        @tree.command(description="A public answer, then a private tip")
        async def tip(interaction: discord.Interaction) -> None:
            """Answer publicly, then follow up privately."""
            await interaction.response.send_message("for everyone")
            await interaction.followup.send("just for you", ephemeral=True)

        @tree.command(description="Think, then answer")
        async def report(interaction: discord.Interaction, private: bool = False) -> None:
            """Defer, then follow up."""
            await interaction.response.defer(ephemeral=private, thinking=True)
            await interaction.followup.send("figures", ephemeral=private)

        @tree.command(description="Browse live campaigns")
        @app_commands.choices(
            sort=[app_commands.Choice(name=s.title(), value=s) for s in ("newest", "ending")]
        )
        async def discover(
            interaction: discord.Interaction, sort: str, category: str | None = None
        ) -> None:
            """Browse campaigns in the order picked."""
            await interaction.response.send_message(f"{sort} {category}")

        @discover.autocomplete("category")
        async def categories(_: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
            """The categories containing what was typed."""
            return [app_commands.Choice(name=c.title(), value=c) for c in CATEGORIES if typed in c]

        @tree.command(description="Where to announce")
        async def where(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
            """Name the channel picked."""
            await interaction.response.send_message(f"#{channel.name} {channel.id}")

        @tree.command(description="Answers too late")
        async def late(interaction: discord.Interaction) -> None:
            """Answer after the deadline."""
            await asyncio.sleep(3.2)
            await self._noting(interaction.response.send_message("sorry"))

        @tree.command(description="Answers twice")
        async def twice(interaction: discord.Interaction) -> None:
            """Answer, then answer again through a second responder."""
            await interaction.response.send_message("once")
            # A second responder on the same interaction reaches Discord, as a second process would.
            await self._noting(discord.InteractionResponse(interaction).send_message("twice"))

        @tree.command(description="Edits and deletes what it posted")
        async def revise(interaction: discord.Interaction) -> None:
            """Edit, follow up, delete and read back."""
            await interaction.response.send_message("draft")
            await interaction.edit_original_response(content="final")
            extra = await interaction.followup.send("extra", wait=True)
            await extra.delete()
            original = await interaction.original_response()
            await interaction.followup.send(f"original says {original.content}")

        setup = app_commands.Group(
            name="backit",
            description="Server setup",
            default_permissions=discord.Permissions(manage_guild=True),
            guild_only=True,
        )

        @setup.command(description="Link a campaign")
        async def link(interaction: discord.Interaction, slug: str) -> None:
            """Link a campaign to the server."""
            allowed = interaction.permissions.manage_guild
            await interaction.response.send_message(f"{slug} manage_guild={allowed}")

        tree.add_command(setup)

    async def _noting(self, answer: object) -> None:
        try:
            await answer  # type: ignore[misc]
        except discord.HTTPException as error:
            await self.errors.put(error)


@pytest.fixture
def alice(discord_standin: DiscordStandin) -> User:
    """A member of the server."""
    return discord_standin.user("alice")


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A server with a general and a news channel."""
    return discord_standin.guild("Makers", channels=["general", "news"])


async def test_a_slash_command_is_answered_with_a_message(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        hello = await member.slash("hello", options={"name": "Bob"})
        answer = await hello.response()

    sent = hello.payload
    command = next(c for c in discord_standin.commands() if c.name == "hello")
    assert answer["type"] == 4
    assert [m.content for m in discord_standin.channel_messages(guild.channel("general"))] == [
        "Hello Bob (en-US)"
    ]
    assert sent["data"]["id"] == str(command.id)
    assert sent["data"]["options"] == [{"type": 3, "name": "name", "value": "Bob"}]
    assert {"id", "application_id", "token", "version", "app_permissions", "entitlements"} <= set(
        sent
    )
    assert sent["member"]["user"]["id"] == str(alice.id)
    assert int(sent["member"]["permissions"]) > 0
    assert (sent["locale"], sent["guild_locale"], sent["context"]) == ("en-US", "en-US", 0)
    assert sent["authorizing_integration_owners"] == {"0": str(guild.id)}


async def test_an_ephemeral_answer_is_seen_by_the_member_alone(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        note = await member.slash("note")
        await note.response()

    general = guild.channel("general")
    assert note.ephemeral
    assert discord_standin.channel_messages(general) == []
    assert [m.content for m in discord_standin.channel_messages(general, viewer=alice)] == [
        "only you"
    ]


async def test_an_ephemeral_follow_up_is_seen_by_the_member_alone(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        tip = await member.slash("tip")
        [private] = await tip.followups()

    general = guild.channel("general")
    assert private.ephemeral
    assert private.visible_to == alice.id
    assert [m.content for m in discord_standin.channel_messages(general)] == ["for everyone"]
    assert [m.content for m in tip.messages()] == ["for everyone", "just for you"]


@pytest.mark.parametrize("private", [False, True])
async def test_a_deferred_command_is_followed_up_in_place_of_thinking(
    discord_standin: DiscordStandin, guild: Guild, alice: User, private: bool
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        report = await member.slash("report", options={"private": private})
        answer = await report.response()
        [followup] = await report.followups()

    assert answer["type"] == 5
    assert (answer.get("data") or {}).get("flags", 0) == (64 if private else 0)
    assert followup is report.original
    assert followup.content == "figures"
    assert followup.ephemeral is private
    assert followup.flags & 128 == 0


async def test_subcommands_and_channel_options_reach_discord_py(
    discord_standin: DiscordStandin, guild: Guild
) -> None:
    admin = discord_standin.member(guild, discord_standin.user("ada"), permissions=ADMINISTRATOR)
    news = guild.channel("news")
    async with running(AnsweringBot()):
        link = await admin.slash("backit link", options={"slug": "reading-lamp"})
        where = await admin.slash("where", options={"channel": news})

        assert (await link.response())["data"]["content"] == "reading-lamp manage_guild=True"
        assert (await where.response())["data"]["content"] == f"#news {news.id}"
        assert where.payload["data"]["resolved"]["channels"][str(news.id)]["name"] == "news"


async def test_autocomplete_returns_the_bots_choices(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        choices = await member.autocomplete(
            "discover", "category", "si", options={"sort": "newest"}
        )

    assert choices == [{"name": "Design", "value": "design"}, {"name": "Music", "value": "music"}]


async def test_the_client_only_offers_a_commands_choices(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        with pytest.raises(ActionRefused):
            await member.slash("discover", options={"sort": "cheapest"})
        with pytest.raises(ActionRefused):
            await member.slash("discover")


async def test_default_permissions_hide_a_command_unless_an_admin_grants_it(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    manager = discord_standin.member(guild, discord_standin.user("max"), permissions=MANAGE_GUILD)
    async with running(AnsweringBot()):
        with pytest.raises(ActionRefused):
            await member.slash("backit", "link", options={"slug": "lamp"})
        discord_standin.grant_command(guild, "backit", alice)
        granted = await member.slash("backit", "link", options={"slug": "lamp"})
        managed = await manager.slash("backit", "link", options={"slug": "lamp"})

        assert (await granted.response())["data"]["content"] == "lamp manage_guild=False"
        assert (await managed.response())["data"]["content"] == "lamp manage_guild=True"


async def test_a_french_member_uses_the_french_name_and_is_answered_in_their_locale(
    discord_standin: DiscordStandin, guild: Guild
) -> None:
    amelie = discord_standin.member(guild, discord_standin.user("amelie", locale="fr"))
    async with running(AnsweringBot()):
        discover = await amelie.slash("découvrir", options={"sort": "ending"})
        hello = await amelie.slash("hello", options={"name": "Bob"})

        assert discover.payload["data"]["name"] == "discover"
        assert (await discover.response())["data"]["content"] == "ending None"
        assert (await hello.response())["data"]["content"] == "Hello Bob (fr)"


async def test_a_command_in_dms_carries_the_user_and_the_dm_context(
    discord_standin: DiscordStandin, alice: User
) -> None:
    async with running(AnsweringBot()):
        in_dms = discord_standin.dm(alice)
        hello = await in_dms.slash("hello", options={"name": "Bob"})
        await hello.response()
        with pytest.raises(ActionRefused):
            await in_dms.slash("backit link", options={"slug": "lamp"})

    assert hello.payload["user"]["id"] == str(alice.id)
    assert "member" not in hello.payload
    assert hello.payload["context"] == 1
    assert [
        m.content for m in discord_standin.channel_messages(discord_standin.dm_channel(alice))
    ] == ["Hello Bob (en-US)"]


async def test_an_answer_after_three_seconds_is_refused_with_10062(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()) as bot:
        late = await member.slash("late")
        refused = await late.refusal(within=5.0)
        error = await asyncio.wait_for(bot.errors.get(), timeout=5.0)

    assert refused == 10062
    assert isinstance(error, discord.NotFound)
    assert error.code == 10062
    assert late.callback is None
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_a_second_answer_is_refused_with_40060(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()) as bot:
        twice = await member.slash("twice")
        error = await asyncio.wait_for(bot.errors.get(), timeout=5.0)

    assert (error.status, error.code) == (400, 40060)
    assert error.text == "Interaction has already been acknowledged."
    assert twice.refused == [40060]
    assert [m.content for m in twice.messages()] == ["once"]


async def test_follow_ups_and_edits_of_the_original_are_applied(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        revise = await member.slash("revise")
        await revise.followups(count=2)

    shown = discord_standin.channel_messages(guild.channel("general"))
    assert [m.content for m in shown] == ["final", "original says final"]
    assert shown[0].payload["edited_timestamp"] is not None


async def test_every_acknowledgement_is_timed_well_inside_the_deadline(
    discord_standin: DiscordStandin, guild: Guild, alice: User
) -> None:
    member = discord_standin.member(guild, alice)
    async with running(AnsweringBot()):
        runs = [await member.slash("hello", options={"name": str(n)}) for n in range(40)]
        await asyncio.gather(*(run.response() for run in runs))

    times = discord_standin.acknowledgement_times()
    p99 = statistics.quantiles(times, n=100)[98]
    assert len(times) == len(discord_standin.interactions) == 40
    assert p99 < 3.0
