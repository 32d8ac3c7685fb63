"""A typed handler context exposing Backit's services instead of globals."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from adapters.chat_services import ChatServices
from adapters.telegram.photos import Photos
from core.views.pictures import CardPicture
from core.views.progress_chart import ProgressChart

SERVICES_KEY = "backit_services"
CARD_PHOTOS_KEY = "backit_card_photos"
CHART_PHOTOS_KEY = "backit_chart_photos"


class BackitContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context every Backit handler receives."""

    @property
    def services(self) -> ChatServices:
        """Core's ports and settings."""
        return cast(ChatServices, self.bot_data[SERVICES_KEY])

    @property
    def card_photos(self) -> Photos[CardPicture]:
        """Campaigns' card pictures, and the photos Telegram made of them for this bot."""
        return cast(Photos[CardPicture], self.bot_data[CARD_PHOTOS_KEY])

    @property
    def chart_photos(self) -> Photos[ProgressChart]:
        """Campaigns' progress charts, and the photos Telegram made of them for this bot."""
        return cast(Photos[ProgressChart], self.bot_data[CHART_PHOTOS_KEY])

    @property
    def bot_username(self) -> str:
        """The bot's @username, for deep links."""
        return self.bot.username


CONTEXT_TYPES = ContextTypes(context=BackitContext)
