"""The bot's own settings: command menus per scope and language, and its descriptions."""

from __future__ import annotations

import pytest
from telegram import BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeChat
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin
from tests.telegram_fixtures import application_builder

ENGLISH = [BotCommand("discover", "Find campaigns"), BotCommand("following", "What you follow")]
FRENCH = [BotCommand("discover", "Trouver des campagnes")]


async def test_command_menus_are_kept_per_scope_and_language(
    telegram_standin: BotApiStandin,
) -> None:
    admins = BotCommandScopeAllChatAdministrators()

    async with application_builder(telegram_standin).build() as app:
        await app.bot.set_my_commands(ENGLISH)
        await app.bot.set_my_commands(FRENCH, language_code="fr")
        await app.bot.set_my_commands([BotCommand("link", "Link a campaign")], scope=admins)
        french = await app.bot.get_my_commands(language_code="fr")
        german = await app.bot.get_my_commands(language_code="de")
        await app.bot.delete_my_commands(language_code="fr")

    assert french == tuple(FRENCH)
    # Telegram answers exactly the menu set for that language, without falling back.
    assert german == ()
    assert telegram_standin.commands() == [command.to_dict() for command in ENGLISH]
    assert telegram_standin.commands(language_code="fr") == []
    assert telegram_standin.commands({"type": "all_chat_administrators"}) == [
        {"command": "link", "description": "Link a campaign"}
    ]


async def test_a_chat_scope_is_kept_per_chat(telegram_standin: BotApiStandin) -> None:
    async with application_builder(telegram_standin).build() as app:
        await app.bot.set_my_commands(FRENCH, scope=BotCommandScopeChat(-1001))

    assert telegram_standin.commands({"type": "chat", "chat_id": -1001}) == [
        {"command": "discover", "description": "Trouver des campagnes"}
    ]
    assert telegram_standin.commands({"type": "chat", "chat_id": -1002}) == []


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (BotCommand("Discover", "Capitals are refused"), "Bot_command_invalid"),
        (BotCommand("x" * 33, "Too long"), "Bot_command_invalid"),
        (BotCommand("discover", ""), "Bot_command_description_invalid"),
    ],
)
async def test_commands_are_lowercase_names_with_descriptions(
    telegram_standin: BotApiStandin, command: BotCommand, reason: str
) -> None:
    async with application_builder(telegram_standin).build() as app:
        with pytest.raises(BadRequest, match=reason):
            await app.bot.set_my_commands([command])


async def test_descriptions_are_kept_per_language(telegram_standin: BotApiStandin) -> None:
    async with application_builder(telegram_standin).build() as app:
        await app.bot.set_my_description("Back campaigns from chat.")
        await app.bot.set_my_description("Soutenez des campagnes.", language_code="fr")
        await app.bot.set_my_short_description("Crowdfunding in chat")
        french = await app.bot.get_my_description(language_code="fr")
        with pytest.raises(BadRequest, match="Short description is too long"):
            await app.bot.set_my_short_description("x" * 121)

    assert french.description == "Soutenez des campagnes."
    assert telegram_standin.description() == "Back campaigns from chat."
    assert telegram_standin.description(short=True) == "Crowdfunding in chat"
    assert telegram_standin.description("de") == ""
