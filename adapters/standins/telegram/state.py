"""Everything the stand-in knows: bots, people, chats, queries and files, and who sees what."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from adapters.standins.snapshots import snapshot
from adapters.standins.telegram.accounts import BotAccount, BotProfile, UserRecord
from adapters.standins.telegram.chats import ChatRecord, StoredMessage
from adapters.standins.telegram.enforcement import Enforcement
from adapters.standins.telegram.errors import bad_request, forbidden
from adapters.standins.telegram.events import (
    CallbackAnswer,
    ChatEvent,
    ChatRef,
    EventHub,
    EventKind,
)
from adapters.standins.telegram.files import FileStore
from adapters.standins.telegram.members import PRESENT, MemberStatus
from adapters.standins.telegram.queries import CallbackQueryRecord, InlineQueryRecord

_ADMINS = frozenset({"creator", "administrator"})


class TelegramState:
    """The stand-in's whole world, shared by the HTTP API and the test driver."""

    def __init__(self, profiles: Iterable[BotProfile], clock: Callable[[], float]) -> None:
        self.clock = clock
        self.bots = {profile.token: BotAccount(profile) for profile in profiles}
        if not self.bots:
            raise ValueError("the stand-in needs at least one bot token")
        self.users: dict[int, UserRecord] = {bot.id: bot.user for bot in self.bots.values()}
        self.private_chats: dict[tuple[int, int], ChatRecord] = {}
        self.shared_chats: dict[int, ChatRecord] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.inline_queries: dict[str, InlineQueryRecord] = {}
        self.inline_messages: dict[str, tuple[ChatRecord, int]] = {}
        self.files = FileStore()
        self.enforcement = Enforcement()
        self.hub = EventHub()
        self.closing = False
        self._query_ids = itertools.count(4_000_000_000_000_001)

    def now(self) -> int:
        """The current Unix time, as message dates carry it."""
        return int(self.clock())

    def next_query_id(self) -> str:
        """A fresh id for a callback or inline query."""
        return str(next(self._query_ids))

    def bot(self, bot_id: int | None = None) -> BotAccount:
        """A bot by id; the first bot given when None."""
        for bot in self.bots.values():
            if bot_id is None or bot.id == bot_id:
                return bot
        raise LookupError(f"no bot with id {bot_id}")

    def chat(self, ref: ChatRef) -> ChatRecord:
        """The chat a ChatRef names."""
        chat = (
            self.private_chats.get((ref.bot_id or 0, ref.id))
            if ref.type == "private"
            else self.shared_chats.get(ref.id)
        )
        if chat is None:
            raise LookupError(f"no chat {ref}")
        return chat

    def private_chat(self, bot: BotAccount, user: UserRecord) -> ChatRecord:
        """The private chat between a user and a bot, opened if new."""
        key = (bot.id, user.id)
        if key not in self.private_chats:
            ref = ChatRef(user.id, "private", bot_id=bot.id)
            members: dict[int, MemberStatus] = {user.id: "member", bot.id: "member"}
            self.private_chats[key] = ChatRecord(ref, user=user, members=members)
        return self.private_chats[key]

    def find_chat(self, bot: BotAccount, chat_id: int | str) -> ChatRecord:
        """The chat a bot names in a call, as far as that bot can see it."""
        if isinstance(chat_id, str):
            for shared in self.shared_chats.values():
                if shared.username and f"@{shared.username}".lower() == chat_id.lower():
                    chat: ChatRecord | None = shared
                    break
            else:
                chat = None
        elif chat_id > 0:
            chat = self.private_chats.get((bot.id, chat_id))
        else:
            chat = self.shared_chats.get(chat_id)
        if chat is None or (not chat.private and bot.id not in chat.bots):
            raise bad_request("chat not found")
        return chat

    def chat_to_send(self, bot: BotAccount, chat_id: int | str) -> ChatRecord:
        """The chat a bot sends to, refusing what Telegram refuses with 403."""
        if isinstance(chat_id, int) and chat_id > 0 and (bot.id, chat_id) not in self.private_chats:
            if chat_id in self.users:
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        chat = self.find_chat(bot, chat_id)
        if chat.user is not None:
            self.enforcement.check_recipient(bot.id, chat.user.id)
            return chat
        kind = chat.ref.type
        status = chat.bots[bot.id]
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {kind} chat")
        if status not in PRESENT:
            raise forbidden(f"bot is not a member of the {kind} chat")
        if kind == "channel" and status not in _ADMINS:
            raise bad_request("need administrator rights in the channel chat")
        return chat

    def publish(
        self,
        chat: ChatRecord,
        kind: EventKind,
        message_id: int,
        *,
        by_bot: bool,
        answer: CallbackAnswer | None = None,
    ) -> None:
        """Record a change in a chat and tell everyone following it."""
        stored = chat.messages.get(message_id)
        message = stored.view() if stored is not None and kind != "deleted" else None
        event = ChatEvent(kind, chat.ref, message_id, message, by_bot, answer)
        chat.history.append(event)
        chat.changed.notify()
        self.hub.publish(event)

    def deliver(self, chat: ChatRecord, stored: StoredMessage) -> None:
        """Send a user's new message as an update to every bot in the chat that may see it."""
        kind = "channel_post" if chat.ref.type == "channel" else "message"
        for bot in self._recipients(chat, stored):
            bot.updates.push(kind, snapshot(stored.message))

    def _recipients(self, chat: ChatRecord, stored: StoredMessage) -> list[BotAccount]:
        if chat.private:
            return [self.bot(chat.ref.bot_id)]
        recipients = []
        for bot_id, status in chat.bots.items():
            bot = self.bot(bot_id)
            sees_all = (
                chat.ref.type == "channel"
                or bot.profile.can_read_all_group_messages
                or status in _ADMINS
            )
            if status in PRESENT and (sees_all or _concerns(stored.message, bot)):
                recipients.append(bot)
        return recipients


def _concerns(message: dict[str, Any], bot: BotAccount) -> bool:
    """Whether a group message reaches a bot in privacy mode.

    It does when it is a command (for every bot, or addressed to this one), a reply to
    this bot, or a message sent through this bot's inline mode.
    """
    replied = message.get("reply_to_message", {})
    if replied.get("from", {}).get("id") == bot.id:
        return True
    if message.get("via_bot", {}).get("id") == bot.id:
        return True
    entities = message.get("entities", [])
    if not entities or entities[0]["type"] != "bot_command" or entities[0]["offset"] != 0:
        return False
    command = message["text"][: entities[0]["length"]]
    _, _, addressee = command.partition("@")
    return not addressee or addressee.lower() == bot.profile.username.lower()
