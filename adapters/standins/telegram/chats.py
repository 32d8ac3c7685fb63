"""Chats and the messages in them, kept as the Bot API's Message objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.standins.events import Signal
from adapters.standins.snapshots import snapshot
from adapters.standins.telegram.accounts import UserRecord
from adapters.standins.telegram.events import ChatEvent, ChatRef
from adapters.standins.telegram.files import StoredDocument, StoredFile, photo_sizes
from adapters.standins.telegram.formatting import FormattedText
from adapters.standins.telegram.members import MemberStatus

_CONTENT_KEYS = (
    "text",
    "entities",
    "link_preview_options",
    "photo",
    "document",
    "caption",
    "caption_entities",
    "reply_markup",
)


@dataclass(frozen=True)
class Content:
    """What a message shows: a text, or a photo or document with its caption, and its inline
    keyboard."""

    text: FormattedText | None = None
    photo: StoredFile | None = None
    document: StoredDocument | None = None
    caption: FormattedText | None = None
    markup: dict[str, Any] | None = None
    link_preview: dict[str, Any] | None = None

    @property
    def html(self) -> str | None:
        """The text or caption as the bot wrote it, when it used parse_mode=HTML."""
        shown = self.text or self.caption
        return shown.html if shown else None

    def fields(self) -> dict[str, Any]:
        """The Message fields this content fills."""
        fields: dict[str, Any] = {}
        if self.text:
            fields.update(self.text.fields("text", "entities"))
        if self.link_preview:
            fields["link_preview_options"] = self.link_preview
        if self.photo:
            fields["photo"] = photo_sizes(self.photo)
        if self.document:
            fields["document"] = self.document.fields()
        if self.caption:
            fields.update(self.caption.fields("caption", "caption_entities"))
        if self.markup:
            fields["reply_markup"] = self.markup
        return fields


@dataclass
class StoredMessage:
    """A message as its chat shows it now."""

    message: dict[str, Any]
    content: Content
    # The bot whose buttons these are: the sender, or the bot an inline result came from.
    owner_bot_id: int | None
    inline_message_id: str | None = None

    @property
    def id(self) -> int:
        """The message id, unique within its chat."""
        message_id: int = self.message["message_id"]
        return message_id

    def view(self) -> dict[str, Any]:
        """A copy of the Message, plus `html`: the text as sent, when sent with HTML."""
        view = snapshot(self.message)
        html = self.content.html
        if html is not None:
            view["html"] = html
        return view


@dataclass
class ChatRecord:
    """A chat: who is in it, its messages now, and everything that happened in it."""

    ref: ChatRef
    username: str | None = None
    # The other side of a private chat.
    user: UserRecord | None = None
    members: dict[int, MemberStatus] = field(default_factory=dict)
    bots: dict[int, MemberStatus] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    history: list[ChatEvent] = field(default_factory=list)
    changed: Signal = field(default_factory=Signal)
    # How far next_message has read the history.
    read_position: int = 0
    last_message_id: int = 0

    @property
    def private(self) -> bool:
        """Whether this is a private chat between a user and a bot."""
        return self.ref.type == "private"

    def to_json(self) -> dict[str, Any]:
        """The Chat object."""
        chat: dict[str, Any] = {"id": self.ref.id, "type": self.ref.type}
        if self.user is not None:
            chat.update(
                {
                    key: value
                    for key, value in self.user.to_json().items()
                    if key in ("first_name", "last_name", "username")
                }
            )
        else:
            chat["title"] = self.ref.title
            if self.username:
                chat["username"] = self.username
        return chat

    def full_info(self) -> dict[str, Any]:
        """What getChat answers: the ChatFullInfo object."""
        return {
            **self.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def status(self, user_id: int) -> MemberStatus:
        """A user's or bot's membership; someone never seen has `left`."""
        return self.members.get(user_id) or self.bots.get(user_id) or "left"

    def post(
        self,
        sender: UserRecord,
        content: Content,
        *,
        date: int,
        owner_bot_id: int | None,
        extra: dict[str, Any] | None = None,
    ) -> StoredMessage:
        """Add a message; in a channel it is signed by the channel, as Telegram does."""
        self.last_message_id += 1
        message: dict[str, Any] = {"message_id": self.last_message_id}
        if self.ref.type == "channel":
            message["sender_chat"] = self.to_json()
        else:
            message["from"] = sender.to_json()
        message.update({"date": date, "chat": self.to_json(), **(extra or {})})
        message.update(content.fields())
        stored = StoredMessage(message, content, owner_bot_id)
        self.messages[stored.id] = stored
        return stored

    def edit(self, stored: StoredMessage, content: Content, *, date: int) -> None:
        """Change what a message shows, stamping the edit."""
        kept = {key: value for key, value in stored.message.items() if key not in _CONTENT_KEYS}
        stored.message = {**kept, "edit_date": date, **content.fields()}
        stored.content = content
