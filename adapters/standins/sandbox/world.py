"""The sandbox's world: you on Telegram and Discord, your language, and the pages watching."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Literal

from adapters.standins.discord import DiscordStandin
from adapters.standins.sandbox.live import LiveFeed
from adapters.standins.sandbox.places import (
    DiscordPlaces,
    TelegramPlaces,
    discord_places,
    telegram_places,
)
from adapters.standins.telegram import BotApiStandin, InlineAnswer

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
# Telegram sends a language code; Discord a client locale, and it has no plain "en".
_DISCORD_LOCALES: dict[Language, str] = {"en": "en-US", "fr": "fr"}
# Inline answers a page may still pick a result from; older ones are forgotten.
_KEPT_INLINE_ANSWERS = 20


@dataclass
class SandboxWorld:
    """Everything the page acts on: your places on each stand-in, and the language you use."""

    telegram: TelegramPlaces
    discord: DiscordPlaces | None
    language: Language = "en"
    inline_answers: OrderedDict[str, InlineAnswer] = field(default_factory=OrderedDict)
    feeds: set[LiveFeed] = field(default_factory=set)

    def set_language(self, language: Language) -> None:
        """Use that language from your next action on: Telegram's language_code, Discord's
        locale."""
        self.language = language
        you = self.telegram.you
        # The driver sends `record` as the `from` of each update, so the next one carries it.
        you.record = replace(you.record, language_code=language)
        if self.discord is not None:
            self.discord.you.locale = _DISCORD_LOCALES[language]

    def keep_inline_answer(self, answer: InlineAnswer) -> None:
        """Remember a bot's inline answer, for the page to choose one of its results."""
        self.inline_answers[answer.query_id] = answer
        while len(self.inline_answers) > _KEPT_INLINE_ANSWERS:
            self.inline_answers.popitem(last=False)

    def open_feed(self) -> LiveFeed:
        """Every change in your chats from now on, until the feed is closed."""
        feed = LiveFeed(self.telegram, self.discord, on_close=self.feeds.discard)
        self.feeds.add(feed)
        return feed

    def close(self) -> None:
        """End every open feed, so that the web server's pages let it stop at once."""
        for feed in list(self.feeds):
            feed.close()


def build_world(telegram: BotApiStandin, discord: DiscordStandin | None) -> SandboxWorld:
    """Create you, your chats, your group and your Discord server on the stand-ins."""
    return SandboxWorld(
        telegram_places(telegram), discord_places(discord) if discord is not None else None
    )
