"""A faithful, stateful local Telegram Bot API for tests and the no-account sandbox."""

from adapters.standins.telegram.accounts import BotProfile
from adapters.standins.telegram.driver import CallbackPress, TestUser
from adapters.standins.telegram.enforcement import SendRecord
from adapters.standins.telegram.events import CallbackAnswer, ChatEvent, ChatRef, EventStream
from adapters.standins.telegram.members import MemberStatus
from adapters.standins.telegram.queries import InlineAnswer
from adapters.standins.telegram.standin import BotApiStandin

__all__ = [
    "BotApiStandin",
    "BotProfile",
    "CallbackAnswer",
    "CallbackPress",
    "ChatEvent",
    "ChatRef",
    "EventStream",
    "InlineAnswer",
    "MemberStatus",
    "SendRecord",
    "TestUser",
]
