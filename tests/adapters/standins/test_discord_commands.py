"""Command sync: Discord's validation of a bulk overwrite, and the commands it keeps and returns."""

from __future__ import annotations

from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from adapters.standins.discord import DiscordStandin
from tests.discord_fixtures import GUILD_READY_TIMEOUT, TOKEN, running

FRENCH = {"discover": "découvrir", "Browse live campaigns": "Parcourir les campagnes"}


class FrenchTranslator(app_commands.Translator):
    """Names and descriptions in French, from a table (or anything `names` says)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The French text, if the table has one."""
        return self.names.get(string.message) if locale is discord.Locale.french else None


class CatalogueBot(discord.Client):
    """A bot with a command, a group of subcommands and French names, synced in `setup_hook`."""

    def __init__(self, names: dict[str, str] = FRENCH) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)
        self.names = names
        backit = app_commands.Group(name="backit", description="Server setup")

        @backit.command(description="Link a campaign to this server")
        async def link(interaction: discord.Interaction, slug: str) -> None:
            """Link a campaign to the server."""
            await interaction.response.send_message(slug)

        @self.tree.command(description="Browse live campaigns")
        @app_commands.choices(sort=[app_commands.Choice(name="Newest", value="newest")])
        async def discover(interaction: discord.Interaction, sort: str = "newest") -> None:
            """Browse campaigns in the order picked."""
            await interaction.response.send_message(sort)

        self.tree.add_command(backit)

    async def setup_hook(self) -> None:
        """Translate, then sync the commands."""
        await self.tree.set_translator(FrenchTranslator(self.names))
        await self.tree.sync()


async def test_sync_returns_every_command_with_an_id_and_a_version(
    discord_standin: DiscordStandin,
) -> None:
    async with running(CatalogueBot()) as bot:
        fetched = await bot.tree.fetch_commands()
        synced = {command.name: command.payload for command in discord_standin.commands()}

        assert sorted(synced) == ["backit", "discover"]
        assert {command.name: command.id for command in fetched} == {
            name: int(payload["id"]) for name, payload in synced.items()
        }
        assert synced["discover"]["name_localizations"] == {"fr": "découvrir"}
        assert synced["discover"]["description_localizations"] == {"fr": "Parcourir les campagnes"}
        assert [option["type"] for option in synced["backit"]["options"]] == [1]
        assert all(payload["version"] for payload in synced.values())


async def test_syncing_again_keeps_ids_and_versions_of_unchanged_commands(
    discord_standin: DiscordStandin,
) -> None:
    async with running(CatalogueBot()) as bot:
        first = {c.name: c.payload["version"] for c in discord_standin.commands()}
        ids = {c.name: c.id for c in discord_standin.commands()}

        again = await bot.tree.sync()

        assert {c.name: c.id for c in again} == ids
        assert {c.name: c.payload["version"] for c in discord_standin.commands()} == first


async def test_a_server_gets_its_own_commands(discord_standin: DiscordStandin) -> None:
    guild = discord_standin.guild("Makers")
    async with running(CatalogueBot()) as bot:
        bot.tree.copy_global_to(guild=discord.Object(guild.id))

        synced = await bot.tree.sync(guild=discord.Object(guild.id))

        assert sorted(command.name for command in synced) == ["backit", "discover"]
        assert {c.payload["guild_id"] for c in discord_standin.commands(guild)} == {str(guild.id)}
        assert len(discord_standin.commands()) == 2


async def test_an_invalid_localized_name_fails_discord_pys_sync(
    discord_standin: DiscordStandin,
) -> None:
    client = CatalogueBot(names={"discover": "Découvrir"})

    with pytest.raises(app_commands.CommandSyncFailure) as failure:
        await client.login(TOKEN)
    await client.close()

    assert failure.value.status == 400
    assert failure.value.code == 50035
    assert "name_localizations.fr" in str(failure.value)
    assert discord_standin.commands() == []


def command(**changes: Any) -> dict[str, Any]:
    """A valid slash command definition, with changes."""
    definition: dict[str, Any] = {
        "type": 1,
        "name": "discover",
        "description": "Browse live campaigns",
        "options": [
            {"type": 3, "name": "category", "description": "Which kind", "autocomplete": True},
        ],
    }
    return {**definition, **changes}


def option(**changes: Any) -> dict[str, Any]:
    """A valid string option, with changes."""
    return {"type": 3, "name": "sort", "description": "Order", **changes}


INVALID = {
    "name too long": ([command(name="d" * 33)], ("0", "name")),
    "name in capitals": ([command(name="Discover")], ("0", "name")),
    "name with a space": ([command(name="dis cover")], ("0", "name")),
    "description missing": ([command(description="")], ("0", "description")),
    "description too long": ([command(description="x" * 101)], ("0", "description")),
    "26 choices": (
        [
            command(
                options=[option(choices=[{"name": f"c{i}", "value": f"c{i}"} for i in range(26)])]
            )
        ],
        ("0", "options", "0", "choices"),
    ),
    "choice value of the wrong type": (
        [command(options=[option(type=4, choices=[{"name": "one", "value": "1"}])])],
        ("0", "options", "0", "choices", "0", "value"),
    ),
    "choices with autocomplete": (
        [command(options=[option(autocomplete=True, choices=[{"name": "a", "value": "a"}])])],
        ("0", "options", "0", "autocomplete"),
    ),
    "required after optional": (
        [command(options=[option(), option(name="slug", required=True)])],
        ("0", "options", "1", "required"),
    ),
    "duplicate option names": (
        [command(options=[option(), option()])],
        ("0", "options", "1", "name"),
    ),
    "unknown locale": (
        [command(name_localizations={"fr-FR": "découvrir"})],
        ("0", "name_localizations", "fr-FR"),
    ),
    "localized description too long": (
        [command(description_localizations={"fr": "x" * 101})],
        ("0", "description_localizations", "fr"),
    ),
    "group inside a group": (
        [
            command(
                options=[
                    {
                        "type": 2,
                        "name": "setup",
                        "description": "Setup",
                        "options": [{"type": 2, "name": "deep", "description": "Too deep"}],
                    }
                ]
            )
        ],
        ("0", "options", "0", "options", "0", "type"),
    ),
    "subcommand beside an option": (
        [command(options=[option(), {"type": 1, "name": "link", "description": "Link"}])],
        ("0", "options"),
    ),
    "default permissions not a number": (
        [command(default_member_permissions="manage")],
        ("0", "default_member_permissions"),
    ),
    "unknown context": ([command(contexts=[0, 5])], ("0", "contexts", "1")),
    "duplicate command names": ([command(), command()], ("1", "name")),
}


@pytest.mark.parametrize(("body", "where"), INVALID.values(), ids=INVALID.keys())
async def test_an_invalid_overwrite_is_refused_with_50035_at_the_field(
    discord_standin: DiscordStandin,
    discord_http: aiohttp.ClientSession,
    body: list[dict[str, Any]],
    where: tuple[str, ...],
) -> None:
    url = f"applications/{discord_standin.bot.id}/commands"
    async with discord_http.put(url, json=body) as answer:
        status, error = answer.status, await answer.json()

    node = error["errors"]
    for part in where:
        node = node[part]

    assert status == 400
    assert (error["code"], error["message"]) == (50035, "Invalid Form Body")
    assert node["_errors"][0]["code"]
    assert discord_standin.commands() == []


async def test_more_than_100_slash_commands_are_refused_with_30032(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession
) -> None:
    body = [command(name=f"c{i}", options=[]) for i in range(101)]

    async with discord_http.put(
        f"applications/{discord_standin.bot.id}/commands", json=body
    ) as answer:
        error = await answer.json()

    assert error["code"] == 30032


async def test_another_applications_commands_are_not_the_bots_to_change(
    discord_standin: DiscordStandin, discord_http: aiohttp.ClientSession
) -> None:
    async with discord_http.put("applications/42/commands", json=[command()]) as answer:
        assert answer.status == 403
        assert (await answer.json())["code"] == 20012
