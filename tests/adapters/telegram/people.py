"""People talking to Backit's bot through the stand-in, and what they read in its messages."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from adapters.chat_services import ChatServices
from adapters.standins.telegram import BotApiStandin, CallbackAnswer, ChatRef, TestUser
from adapters.telegram.application import BackitApplication
from adapters.telegram.deep_links import StartPayload, decode
from core.backers import Backer
from core.identity import Identity, Platform
from core.pledge_links import PledgeLink, TopUpLink
from tests.adapters.error_log import ErrorLog

# Listed as an operator in the bot's services: may post updates to any campaign.
OPERATOR = Identity(Platform.TELEGRAM, "9000")


@dataclass
class RunningBot:
    """Backit's bot running on the stand-in, with the services it was given."""

    standin: BotApiStandin
    services: ChatServices
    application: BackitApplication
    errors: ErrorLog = field(default_factory=ErrorLog)

    def person(self, user_id: int, first_name: str, *, language_code: str = "en") -> Person:
        """Someone who has opened a private chat with the bot."""
        user = self.standin.user(user_id, first_name, language_code=language_code)
        return Person(self.standin, user)

    async def backer(self, person: Person) -> Backer:
        """The backer Backit recorded for a person."""
        async with self.services.uows() as uow:
            found = await uow.backers.by_identity(person.identity)
        assert found is not None, f"Backit does not know {person.user!r}"
        return found

    def picture(self, message: dict[str, Any]) -> Image.Image:
        """The PNG a photo message shows, as the bot uploaded it."""
        stored = self.standin.photo(message["photo"][-1]["file_id"])
        assert stored is not None, "not a photo"
        assert stored.data is not None, "sent by URL, not uploaded"
        image = Image.open(io.BytesIO(stored.data))
        assert image.format == "PNG"
        return image

    def verify(self, url: str) -> PledgeLink:
        """The pledge link a personal URL carries, checked with the bot's own signer."""
        signer = self.services.signer
        assert signer is not None
        prefix = f"{self.services.public_url}/pledge/"
        assert url.startswith(prefix), url
        return signer.verify(url.removeprefix(prefix), self.services.clock.now())

    def verify_top_up(self, url: str) -> TopUpLink:
        """The top-up link a personal URL carries, checked with the bot's own signer."""
        signer = self.services.signer
        assert signer is not None
        prefix = f"{self.services.public_url}/pledge/top-up/"
        assert url.startswith(prefix), url
        return signer.verify_top_up(url.removeprefix(prefix), self.services.clock.now())


class Person:
    """A person in their private chat with the bot: writes, presses buttons, reads replies."""

    def __init__(self, standin: BotApiStandin, user: TestUser) -> None:
        self.standin = standin
        self.user = user
        self.chat: ChatRef = standin.private_chat(user)

    @property
    def identity(self) -> Identity:
        """Who Backit knows them as."""
        return Identity(Platform.TELEGRAM, str(self.user.id))

    async def says(self, text: str, chat: ChatRef | None = None) -> dict[str, Any]:
        """Send a message (in private unless `chat` is given) and return the bot's reply."""
        where = chat or self.chat
        await self.user.send(where, text)
        return await self.standin.next_message(where)

    async def presses(self, message: dict[str, Any], label: str) -> CallbackAnswer:
        """Press a button by its label and return how the bot answered the press."""
        press = await self.user.press(message, label)
        return await press.answer()

    async def reads(self, chat: ChatRef | None = None) -> dict[str, Any]:
        """The bot's next message or edit in the chat (private unless given)."""
        return await self.standin.next_message(chat or self.chat)


def labels(message: dict[str, Any]) -> list[str]:
    """A message's button labels, row by row."""
    return [button["text"] for row in rows(message) for button in row]


def rows(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """A message's inline keyboard rows."""
    keyboard: list[list[dict[str, Any]]] = message.get("reply_markup", {}).get(
        "inline_keyboard", []
    )
    return keyboard


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    """The button with that label."""
    found = [b for row in rows(message) for b in row if b["text"] == label]
    assert found, f"no button {label!r} among {labels(message)}"
    return found[0]


def start_command(url: str) -> str:
    """The message Telegram sends for the person when they open a deep link to the bot."""
    return f"/start {parse_qs(urlsplit(url).query)['start'][0]}"


def start_payload(url: str, bot_username: str) -> StartPayload:
    """What a t.me deep link to the bot asks it to open."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", f"/{bot_username}"), url
    payload = decode(parse_qs(parts.query)["start"][0])
    assert payload is not None, url
    return payload
