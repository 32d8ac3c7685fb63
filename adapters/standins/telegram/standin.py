"""The Telegram stand-in: the Bot API over HTTP, and the driver tests and pages use."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, Literal

from aiohttp import web

from adapters.standins.serving import ServedStandin
from adapters.standins.telegram.accounts import BotAccount, BotProfile, UserRecord
from adapters.standins.telegram.api import BotApi
from adapters.standins.telegram.chats import ChatRecord
from adapters.standins.telegram.driver import DEFAULT_TIMEOUT, TestUser
from adapters.standins.telegram.enforcement import BOT_MESSAGES_PER_SECOND, SendRecord
from adapters.standins.telegram.events import ChatRef, EventStream, Listener
from adapters.standins.telegram.files import StoredDocument, StoredFile
from adapters.standins.telegram.members import MemberStatus, member_updated
from adapters.standins.telegram.methods.settings import menu
from adapters.standins.telegram.state import TelegramState
from adapters.standins.telegram.webhooks import DEFAULT_RETRY_DELAYS, WebhookSender

# Room for a 50 MB document and the rest of the multipart body.
_MAX_REQUEST_SIZE = 52 * 1024 * 1024


class BotApiStandin(ServedStandin):
    """A stateful, in-memory Telegram that python-telegram-bot talks to over real HTTP."""

    service = "Telegram"

    def __init__(
        self,
        *bots: BotProfile | str,
        clock: Callable[[], float] = time.time,
        webhook_retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        webhook_timeout: float = 10.0,
    ) -> None:
        super().__init__()
        profiles = [bot if isinstance(bot, BotProfile) else BotProfile(bot) for bot in bots]
        self._state = TelegramState(profiles, clock)
        self._webhooks = WebhookSender(self._state, webhook_retry_delays, webhook_timeout)

    @property
    def bots(self) -> tuple[BotProfile, ...]:
        """The bots served, the first being the default of every driver method."""
        return tuple(bot.profile for bot in self._state.bots.values())

    def app(self) -> web.Application:
        """The aiohttp application, to serve with `start()` or mount elsewhere."""
        app = web.Application(client_max_size=_MAX_REQUEST_SIZE)
        app.add_routes(BotApi(self._state, self._webhooks).routes())
        app.cleanup_ctx.append(self._webhook_client)
        app.on_shutdown.append(self._release_polls)
        return app

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str | None = "en",
        last_name: str | None = None,
    ) -> TestUser:
        """A person to drive; their id must be positive and unused."""
        if user_id <= 0 or user_id in self._state.users:
            raise ValueError(f"user ids are positive and unique; {user_id} is not")
        record = UserRecord(user_id, first_name, last_name, username, language_code)
        self._state.users[user_id] = record
        return TestUser(self._state, record)

    def private_chat(self, user: TestUser, bot: BotProfile | None = None) -> ChatRef:
        """The private chat of a user with a bot, as if the user had started the bot."""
        return self._state.private_chat(self._bot(bot), user.record).ref

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        creator: TestUser | None = None,
        admins: Iterable[TestUser] = (),
        members: Iterable[TestUser] = (),
        bots: Iterable[BotProfile] | None = None,
        bot_status: MemberStatus = "member",
        username: str | None = None,
        kind: Literal["supergroup", "group"] = "supergroup",
    ) -> ChatRef:
        """A group with its people; every bot is in it unless `bots` says which."""
        return self._shared_chat(
            ChatRef(chat_id, kind, title),
            username,
            _statuses(creator, admins, members),
            self._bot_statuses(bots, bot_status),
        )

    def channel(
        self,
        chat_id: int,
        title: str,
        *,
        creator: TestUser | None = None,
        admins: Iterable[TestUser] = (),
        subscribers: Iterable[TestUser] = (),
        username: str | None = None,
    ) -> ChatRef:
        """A channel; its bots are administrators, since only they can post there."""
        return self._shared_chat(
            ChatRef(chat_id, "channel", title),
            username,
            _statuses(creator, admins, subscribers),
            self._bot_statuses(None, "administrator"),
        )

    def set_status(self, chat: ChatRef, user: TestUser, status: MemberStatus) -> None:
        """Change someone's membership: promote, restrict, ban (`kicked`) or let them leave."""
        self._state.chat(chat).members[user.id] = status

    def document(self, file_id: str) -> StoredDocument | None:
        """The document a bot sent under that file id, with its bytes."""
        found = self._state.files.get(file_id)
        return found if isinstance(found, StoredDocument) else None

    def photo(self, file_id: str) -> StoredFile | None:
        """The photo a bot sent under that file id (any of its sizes'), with its bytes when
        uploaded."""
        found = self._state.files.get(file_id)
        return found if isinstance(found, StoredFile) else None

    @property
    def photo_uploads(self) -> int:
        """How many photos bots uploaded so far (sent by file id or URL, they do not count)."""
        return self._state.files.photo_uploads

    def expire_file(self, file_id: str) -> None:
        """Stop honouring a file id, as Telegram may: sending it again is refused."""
        self._state.files.expire(file_id)

    def messages(self, chat: ChatRef) -> list[dict[str, Any]]:
        """The chat's messages as they are now, oldest first.

        Each is the Bot API Message, plus `html`: the text or caption exactly as the bot sent
        it, when it used parse_mode=HTML.
        """
        return [stored.view() for stored in self._state.chat(chat).messages.values()]

    async def next_message(
        self,
        chat: ChatRef,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - every wait of the driver is bounded
    ) -> dict[str, Any]:
        """The next message the bot sent or edited in the chat that no call has returned yet."""
        record = self._state.chat(chat)
        return await record.changed.until(lambda: _next_bot_message(record), timeout, "message")

    def commands(
        self,
        scope: dict[str, Any] | None = None,
        language_code: str = "",
        *,
        bot: BotProfile | None = None,
    ) -> list[dict[str, str]]:
        """The command menu set for exactly this scope (default: the default scope) and language."""
        return menu(self._bot(bot), scope, language_code)

    def description(
        self, language_code: str = "", *, short: bool = False, bot: BotProfile | None = None
    ) -> str:
        """The bot's description (or short description) for a language; empty when unset."""
        account = self._bot(bot)
        texts = account.short_descriptions if short else account.descriptions
        return texts.get(language_code, "")

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every ChatEvent from now on; returns the unsubscribe function."""
        return self._state.hub.subscribe(listener)

    def changes(self, chat: ChatRef | None = None) -> EventStream:
        """Every ChatEvent from now on (of one chat, if given), as an async iterator to close."""
        return self._state.hub.stream(None if chat is None else (lambda event: event.chat == chat))

    def enforce_rate_limits(
        self, enabled: bool = True, *, messages_per_second: int = BOT_MESSAGES_PER_SECOND
    ) -> None:
        """Refuse with 429 past 30 messages/s per bot (or as many as a test chooses, to run at
        scale in less time), 1/s per private chat, 20/min per group."""
        self._state.enforcement.rate_limits = enabled
        self._state.enforcement.bot_messages_per_second = messages_per_second

    def block(self, user: TestUser, bot: BotProfile | None = None) -> None:
        """The user blocks the bot: sending to them fails with 403 until they write again."""
        self._state.enforcement.blocked.add((self._bot(bot).id, user.id))

    def unblock(self, user: TestUser, bot: BotProfile | None = None) -> None:
        """The user unblocks the bot."""
        self._state.enforcement.blocked.discard((self._bot(bot).id, user.id))

    def deactivate(self, user: TestUser) -> None:
        """The user deletes their account: sending to them fails with 403."""
        self._state.enforcement.deactivated.add(user.id)

    def inject_flood(self, retry_after: int, times: int = 1) -> None:
        """Answer the next `times` messages of any bot with 429, limits enforced or not."""
        if retry_after < 1 or times < 1:
            raise ValueError("a flood lasts at least a second and refuses at least one message")
        self._state.enforcement.flood(retry_after, times)

    def garble_answers(self, chat: ChatRef, times: int = 1) -> None:
        """Deliver the next `times` messages to a chat, but answer each with a garbled 200."""
        self._state.enforcement.garble(chat.id, times)

    def kick_bot(self, chat: ChatRef, by: TestUser, bot: BotProfile | None = None) -> None:
        """An admin bans the bot: it is told (my_chat_member), and sends there fail with 403."""
        record = self._state.chat(chat)
        account = self._bot(bot)
        if record.private or record.status(by.id) not in ("creator", "administrator"):
            raise PermissionError(f"{by!r} cannot ban members of {chat}")
        old = record.bots.get(account.id, "left")
        record.bots[account.id] = "kicked"
        update = member_updated(
            record.to_json(), by.record, account.user, old, "kicked", self._state.now()
        )
        account.updates.push("my_chat_member", update)

    @property
    def throttled_count(self) -> int:
        """How many calls were refused with 429 so far."""
        return self._state.enforcement.throttled

    @property
    def send_log(self) -> list[SendRecord]:
        """Every message bots sent, with monotonic timestamps, to measure achieved rates."""
        return list(self._state.enforcement.sent)

    def pending_updates(self, bot: BotProfile | None = None) -> list[dict[str, Any]]:
        """The updates a bot has not yet confirmed (or its webhook not yet taken)."""
        return [dict(update) for update in self._bot(bot).updates.pending]

    def _bot(self, profile: BotProfile | None) -> BotAccount:
        return self._state.bot(profile.id if profile else None)

    def _bot_statuses(
        self, bots: Iterable[BotProfile] | None, status: MemberStatus
    ) -> dict[int, MemberStatus]:
        chosen = self.bots if bots is None else bots
        return {bot.id: status for bot in chosen}

    def _shared_chat(
        self,
        ref: ChatRef,
        username: str | None,
        members: dict[int, MemberStatus],
        bots: dict[int, MemberStatus],
    ) -> ChatRef:
        if ref.id >= 0 or ref.id in self._state.shared_chats:
            raise ValueError(f"group and channel ids are negative and unique; {ref.id} is not")
        self._state.shared_chats[ref.id] = ChatRecord(
            ref, username=username, members=members, bots=bots
        )
        return ref

    async def _webhook_client(self, _app: web.Application) -> AsyncIterator[None]:
        self._state.closing = False
        self._webhooks.open()
        yield
        await self._webhooks.close()

    async def _release_polls(self, _app: web.Application) -> None:
        # Held getUpdates calls answer at once rather than keep the shutdown waiting.
        self._state.closing = True
        for bot in self._state.bots.values():
            bot.updates.arrived.notify()


def _statuses(
    creator: TestUser | None, admins: Iterable[TestUser], members: Iterable[TestUser]
) -> dict[int, MemberStatus]:
    statuses: dict[int, MemberStatus] = {member.id: "member" for member in members}
    statuses.update({admin.id: "administrator" for admin in admins})
    if creator is not None:
        statuses[creator.id] = "creator"
    return statuses


def _next_bot_message(chat: ChatRecord) -> dict[str, Any] | None:
    while chat.read_position < len(chat.history):
        event = chat.history[chat.read_position]
        chat.read_position += 1
        if event.by_bot and event.kind in ("sent", "edited") and event.message is not None:
            return event.message
    return None
