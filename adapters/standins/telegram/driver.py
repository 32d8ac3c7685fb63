"""Test users: people who write to bots, press their buttons and use their inline mode."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from adapters.standins.snapshots import snapshot
from adapters.standins.telegram.accounts import BotAccount, BotProfile, UserRecord
from adapters.standins.telegram.chats import ChatRecord, Content, StoredMessage
from adapters.standins.telegram.events import CallbackAnswer, ChatRef
from adapters.standins.telegram.files import Upload
from adapters.standins.telegram.formatting import FormattedText, utf16_length
from adapters.standins.telegram.keyboards import find_button
from adapters.standins.telegram.members import PRESENT
from adapters.standins.telegram.queries import (
    CallbackQueryRecord,
    InlineAnswer,
    InlineQueryRecord,
)
from adapters.standins.telegram.state import TelegramState

DEFAULT_TIMEOUT = 5.0
# A command as Telegram marks it in a user's text: /name, or /name@botname.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,32})?(?![A-Za-z0-9_@])")
# What Telegram passes on from a t.me/<bot>?start=<payload> link; anything else is dropped.
_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LINK_HOSTS = ("t.me", "telegram.me")


class CallbackPress:
    """A button press on its way to the bot; `answer()` waits for how the bot answered it."""

    def __init__(self, record: CallbackQueryRecord, update: dict[str, Any] | None) -> None:
        self._record = record
        # None when the bot's allowed_updates leave callback queries out.
        self.update = update

    @property
    def id(self) -> str:
        """The callback query's id."""
        return self._record.id

    # Each wait names its own limit, so that no test can hang on a bot that never answers.
    async def answer(self, timeout: float = DEFAULT_TIMEOUT) -> CallbackAnswer:  # noqa: ASYNC109
        """The bot's answerCallbackQuery, waiting for it up to `timeout` seconds."""
        record = self._record
        return await record.answered.until(lambda: record.answer, timeout, "callback answer")


class TestUser:
    """A person, driven by a test: sends messages and commands, presses buttons, types inline."""

    # Not a test class, despite its name.
    __test__ = False

    def __init__(self, state: TelegramState, record: UserRecord) -> None:
        self._state = state
        self.record = record

    @property
    def id(self) -> int:
        """The user's id, which is also their private chats' id."""
        return self.record.id

    def __repr__(self) -> str:
        return f"TestUser({self.record.id}, {self.record.first_name!r})"

    async def send(
        self, chat: ChatRef, text: str, *, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Write a message, with a bot_command entity for each /command; returns the Message."""
        if not text.strip():
            raise ValueError("Telegram sends no empty messages")
        content = Content(text=FormattedText(text, _command_entities(text)))
        return self._post(chat, content, reply_to)

    async def send_photo(self, chat: ChatRef, jpeg: bytes, caption: str = "") -> dict[str, Any]:
        """Send a photo as Telegram's apps do, compressed to a JPEG; the bot gets its sizes,
        and getFile and the file's path give the largest back."""
        if not jpeg.startswith(b"\xff\xd8"):
            raise ValueError("Telegram's apps send a photo as a JPEG; send others as documents")
        photo = self._state.files.photo(Upload("photo.jpg", "image/jpeg", jpeg))
        return self._post(chat, Content(photo=photo, caption=_caption(caption)))

    async def send_document(
        self, chat: ChatRef, data: bytes, file_name: str, mime_type: str, caption: str = ""
    ) -> dict[str, Any]:
        """Send a file as it is (a picture "without compression" too)."""
        document = self._state.files.document(Upload(file_name, mime_type, data))
        return self._post(chat, Content(document=document, caption=_caption(caption)))

    def _post(
        self, chat: ChatRef, content: Content, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        state = self._state
        target = state.chat(chat)
        self._check_member(target, posting=True)
        if target.private:
            # Writing to a bot one blocked unblocks it, as Telegram's "Restart" button does.
            state.enforcement.blocked.discard((target.ref.bot_id or 0, self.id))
        extra = {}
        if reply_to is not None:
            replied = target.messages.get(reply_to["message_id"])
            if replied is None:
                raise LookupError(f"no message {reply_to['message_id']} in that chat now")
            extra["reply_to_message"] = {
                key: value for key, value in replied.message.items() if key != "reply_to_message"
            }
        stored = target.post(self.record, content, date=state.now(), owner_bot_id=None, extra=extra)
        return self._publish(target, stored)

    async def open_link(self, url: str) -> dict[str, Any]:
        """Follow a t.me link to a bot: its private chat opens and the user sends `/start`.

        As in Telegram's apps, the link's start payload follows `/start` when it is valid
        (1 to 64 of A-Za-z0-9_-) and is dropped otherwise.
        """
        parts = urlsplit(url)
        name = parts.path.strip("/")
        bots = [
            bot for bot in self._state.bots.values() if bot.profile.username.lower() == name.lower()
        ]
        if parts.netloc not in _LINK_HOSTS or not bots:
            raise ValueError(f"{url} is not a link to a bot of the stand-in")
        chat = self._state.private_chat(bots[0], self.record)
        payload = parse_qs(parts.query).get("start", [""])[0]
        text = f"/start {payload}" if _START_PAYLOAD.fullmatch(payload) else "/start"
        return await self.send(chat.ref, text)

    async def press(self, message: dict[str, Any], button: str) -> CallbackPress:
        """Press a callback button, named by its label or callback data, as the message is now."""
        state = self._state
        chat, stored = self._message(message)
        self._check_member(chat, posting=False)
        found = find_button(stored.content.markup, button)
        if "callback_data" not in found:
            raise ValueError(f"the button {found['text']!r} sends the bot nothing: {found}")
        bot = state.bot(stored.owner_bot_id)
        record = CallbackQueryRecord(
            state.next_query_id(), bot.id, chat.ref, stored.id, state.clock()
        )
        query: dict[str, Any] = {
            "id": record.id,
            "from": self.record.to_json(),
            "chat_instance": _chat_instance(bot.id, chat.ref.id),
            "data": found["callback_data"],
        }
        if stored.inline_message_id is not None:
            query["inline_message_id"] = stored.inline_message_id
        else:
            query["message"] = snapshot(stored.message)
        state.callback_queries[record.id] = record
        return CallbackPress(record, bot.updates.push("callback_query", query))

    async def inline_query(
        self,
        text: str,
        *,
        chat: ChatRef | None = None,
        offset: str = "",
        bot: BotProfile | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - every wait of the driver is bounded
    ) -> InlineAnswer:
        """Type `@bot text` (in `chat`, if given) and wait for the bot's answer."""
        state = self._state
        account = state.bot(bot.id if bot else None)
        record = InlineQueryRecord(state.next_query_id(), account.id, self.id, text)
        query: dict[str, Any] = {
            "id": record.id,
            "from": self.record.to_json(),
            "query": text,
            "offset": offset,
        }
        if chat is not None:
            query["chat_type"] = _inline_chat_type(chat, account, self.id)
        state.inline_queries[record.id] = record
        account.updates.push("inline_query", query)
        return await record.answered.until(lambda: record.answer, timeout, "inline answer")

    async def choose(self, answer: InlineAnswer, index: int, chat: ChatRef) -> dict[str, Any]:
        """Pick one of a bot's inline results: it is posted in `chat` as this user's message."""
        state = self._state
        content = state.inline_queries[answer.query_id].contents[index]
        if content is None:
            kind = answer.results[index].get("type")
            raise ValueError(f"the stand-in posts text and photo results, not {kind!r} ones")
        target = state.chat(chat)
        self._check_member(target, posting=True)
        bot = state.bot(answer.bot_id)
        stored = target.post(
            self.record,
            content,
            date=state.now(),
            owner_bot_id=bot.id,
            extra={"via_bot": bot.user.to_json()},
        )
        # Only messages with a keyboard get an id the bot can later edit them by.
        if content.markup is not None:
            stored.inline_message_id = _inline_message_id(bot.id, target.ref, stored.id)
            state.inline_messages[stored.inline_message_id] = (target, stored.id)
        if bot.profile.inline_feedback:
            chosen = {
                "result_id": answer.results[index]["id"],
                "from": self.record.to_json(),
                "query": answer.query,
            }
            if stored.inline_message_id is not None:
                chosen["inline_message_id"] = stored.inline_message_id
            bot.updates.push("chosen_inline_result", chosen)
        return self._publish(target, stored)

    def _publish(self, chat: ChatRecord, stored: StoredMessage) -> dict[str, Any]:
        self._state.publish(chat, "sent", stored.id, by_bot=False)
        self._state.deliver(chat, stored)
        return stored.view()

    def _message(self, message: dict[str, Any]) -> tuple[ChatRecord, StoredMessage]:
        """The chat and current state of a bot's message, given as the stand-in showed it."""
        chat_json = message["chat"]
        if chat_json["type"] == "private":
            sender = message.get("from", {})
            owner = message.get("via_bot") or (sender if sender.get("is_bot") else {})
            chat = self._state.private_chats.get((owner.get("id", 0), chat_json["id"]))
        else:
            chat = self._state.shared_chats.get(chat_json["id"])
        stored = chat.messages.get(message["message_id"]) if chat else None
        if chat is None or stored is None or stored.owner_bot_id is None:
            raise LookupError(f"no bot's message {message['message_id']} in that chat now")
        return chat, stored

    def _check_member(self, chat: ChatRecord, *, posting: bool) -> None:
        if chat.private:
            allowed = chat.user is not None and chat.user.id == self.id
        else:
            status = chat.status(self.id)
            allowed = status in PRESENT
            if posting and chat.ref.type == "channel":
                allowed = status in ("creator", "administrator")
        if not allowed:
            raise PermissionError(f"{self!r} cannot {'post' if posting else 'act'} in {chat.ref}")


def _caption(text: str) -> FormattedText | None:
    return FormattedText(text, _command_entities(text)) if text else None


def _command_entities(text: str) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in _COMMAND.finditer(text)
    )


def _chat_instance(bot_id: int, chat_id: int) -> str:
    # Telegram's chat_instance is stable per bot and chat, and says nothing else.
    digest = hashlib.sha256(f"{bot_id}:{chat_id}".encode()).digest()
    return str(int.from_bytes(digest[:8], "big", signed=True))


def _inline_message_id(bot_id: int, chat: ChatRef, message_id: int) -> str:
    raw = f"{bot_id}:{chat.id}:{chat.bot_id or 0}:{message_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _inline_chat_type(chat: ChatRef, bot: BotAccount, user_id: int) -> str:
    if chat.type == "private" and chat.bot_id == bot.id and chat.id == user_id:
        return "sender"
    return chat.type
