"""What a method handler is given: the world, the calling bot and its parameters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from adapters.standins.telegram.accounts import BotAccount
from adapters.standins.telegram.parameters import Arguments
from adapters.standins.telegram.state import TelegramState
from adapters.standins.telegram.webhooks import WebhookSender


@dataclass(frozen=True)
class MethodCall:
    """One Bot API call by one bot."""

    state: TelegramState
    bot: BotAccount
    args: Arguments
    webhooks: WebhookSender


Handler = Callable[[MethodCall], Awaitable[Any]]
