"""Who is acting: a person on one chat platform."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.ids import parse_id


class Platform(StrEnum):
    """The chat platforms Backit speaks on."""

    TELEGRAM = "telegram"
    DISCORD = "discord"


@dataclass(frozen=True, slots=True)
class Identity:
    """A platform account; user ids are kept as text so snowflakes and ints fit alike."""

    platform: Platform
    user_id: str

    @classmethod
    def parse(cls, text: str) -> Identity:
        """Read "telegram:42" or "discord:80351110224678912"."""
        platform, sep, user_id = text.partition(":")
        if not sep or parse_id(user_id) is None:
            raise ValueError(f"not a platform identity (platform:user_id): {text!r}")
        return cls(Platform(platform), user_id)

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Caller:
    """The person behind one chat event, as the adapter saw them."""

    identity: Identity
    display_name: str
    locale: str
