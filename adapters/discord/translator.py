"""Command names, descriptions and choices in every supported language, from core's catalog."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands

from core.i18n import DEFAULT_LOCALE, gettext, negotiate, use_locale

log = logging.getLogger(__name__)

_NAMES = frozenset(
    {
        app_commands.TranslationContextLocation.command_name,
        app_commands.TranslationContextLocation.group_name,
        app_commands.TranslationContextLocation.parameter_name,
    }
)
# Discord's rule for command and option names: lowercase letters, digits, - and _.
_NAME = re.compile(r"^[-_'\w]{1,32}$")


class CatalogTranslator(app_commands.Translator):
    """Translates with gettext; a language without a translation keeps the English text."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The text in `locale`, or None to leave Discord's default (English)."""
        language = negotiate(locale.value)
        if language == DEFAULT_LOCALE:
            return None
        with use_locale(language):
            translated = gettext(string.message)
        if translated == string.message:
            return None
        if context.location in _NAMES and (
            not _NAME.match(translated) or translated != translated.lower()
        ):
            log.warning("%r is not a valid command name in %s; kept in English", translated, locale)
            return None
        return translated
