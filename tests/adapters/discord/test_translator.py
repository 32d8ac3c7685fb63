"""The translator gives Discord French names and descriptions from the catalog, valid or none."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.browsing import discover
from adapters.discord.translator import CatalogTranslator

NAME: app_commands.TranslationContextTypes = app_commands.TranslationContext(
    app_commands.TranslationContextLocation.command_name, discover
)
DESCRIPTION: app_commands.TranslationContextTypes = app_commands.TranslationContext(
    app_commands.TranslationContextLocation.command_description, discover
)


async def test_french_comes_from_the_catalog_and_english_stays_the_default() -> None:
    translator = CatalogTranslator()
    discover = app_commands.locale_str("discover")
    browse = app_commands.locale_str("Browse campaigns")

    assert await translator.translate(discover, discord.Locale.french, NAME) == "découvrir"
    assert await translator.translate(browse, discord.Locale.french, DESCRIPTION) == (
        "Parcourir les campagnes"
    )
    assert await translator.translate(browse, discord.Locale.american_english, DESCRIPTION) is None
    assert await translator.translate(browse, discord.Locale.german, DESCRIPTION) is None


async def test_a_translation_that_is_no_valid_name_leaves_the_name_in_english() -> None:
    translator = CatalogTranslator()
    sentence = app_commands.locale_str("Browse campaigns")

    assert await translator.translate(sentence, discord.Locale.french, NAME) is None
    untranslated = app_commands.locale_str("backit")
    assert await translator.translate(untranslated, discord.Locale.french, NAME) is None
