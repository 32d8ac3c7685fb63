"""Intents: what a button asks core to do, each kind a class that writes and reads its own
compact text form, short enough for button data."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from core.categories import CATEGORIES
from core.errors import DomainError
from core.i18n import N_, SUPPORTED_LOCALES
from core.ids import parse_id
from core.ports import Sort
from core.secret_codes import SECRET_CODE

# Telegram's callback data holds 64 bytes; Discord's custom_id 100 characters.
MAX_ENCODED = 64
SEPARATOR = ":"
# Marks a page of updates that replaces the one its button was pressed on.
_TURN = "t"
# A command's name, as a picker's button carries it.
_PURPOSE = re.compile(r"[a-z]{1,16}")


class StaleButton(DomainError):
    """Button data that is malformed or no longer means anything."""

    template = N_("This button has expired. Please open the campaign again.")


def _id(text: str) -> int:
    number = parse_id(text)
    if number is None:
        raise StaleButton()
    return number


def _sort(text: str) -> Sort:
    try:
        return Sort(text)
    except ValueError:
        raise StaleButton() from None


def _category(text: str) -> str | None:
    if text and text not in CATEGORIES:
        raise StaleButton()
    return text or None


class Intent(ABC):
    """What a button asks for: `code` names the kind, `fields` its values as short texts."""

    code: ClassVar[str]
    __slots__ = ()

    @abstractmethod
    def fields(self) -> tuple[str, ...]:
        """This intent's values as they are written in button data."""

    @classmethod
    @abstractmethod
    def read(cls, fields: list[str]) -> Intent:
        """The intent these written values stand for; anything else is a stale button."""

    def encode(self) -> str:
        """The text to put in callback data or a custom id."""
        return SEPARATOR.join((self.code, *self.fields()))

    def __post_init__(self) -> None:
        if len(self.encode().encode()) > MAX_ENCODED:
            raise ValueError(f"intent too long for button data: {self.encode()!r}")


@dataclass(frozen=True, slots=True)
class Show(Intent):
    """Open a campaign's card."""

    code: ClassVar[str] = "s"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Show:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Pledge(Intent):
    """Back a campaign with one of its rewards; a secret one's button carries the code that
    revealed it, as its proof."""

    code: ClassVar[str] = "p"
    campaign_id: int
    tier_id: int
    secret_code: str | None = None

    def fields(self) -> tuple[str, ...]:
        secret = (self.secret_code,) if self.secret_code is not None else ()
        return (str(self.campaign_id), str(self.tier_id), *secret)

    @classmethod
    def read(cls, fields: list[str]) -> Pledge:
        campaign_id, tier_id, *secret = fields
        if len(secret) > 1 or not all(SECRET_CODE.match(code) for code in secret):
            raise StaleButton()
        return cls(_id(campaign_id), _id(tier_id), *secret)


@dataclass(frozen=True, slots=True)
class PledgeCustom(Intent):
    """Back a campaign with an amount of one's own, without a reward."""

    code: ClassVar[str] = "c"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> PledgeCustom:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Follow(Intent):
    """Hear about a campaign's milestones and updates."""

    code: ClassVar[str] = "f"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Follow:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Unfollow(Intent):
    """Stop hearing about a campaign."""

    code: ClassVar[str] = "u"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Unfollow:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class FundingChart(Intent):
    """A campaign's progress chart: its funding day by day."""

    code: ClassVar[str] = "h"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> FundingChart:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Browse(Intent):
    """A page of campaigns in an order, in one category or all (None)."""

    code: ClassVar[str] = "b"
    sort: Sort = Sort.TRENDING
    category: str | None = None
    offset: int = 0

    def fields(self) -> tuple[str, ...]:
        return (self.sort.value, self.category or "", str(self.offset))

    @classmethod
    def read(cls, fields: list[str]) -> Browse:
        sort, category, offset = fields
        return cls(_sort(sort), _category(category), _id(offset))


@dataclass(frozen=True, slots=True)
class Categories(Intent):
    """The category picker, keeping the order the list was in."""

    code: ClassVar[str] = "k"
    sort: Sort

    def fields(self) -> tuple[str, ...]:
        return (self.sort.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Categories:
        (sort,) = fields
        return cls(_sort(sort))


@dataclass(frozen=True, slots=True)
class CancelPledge(Intent):
    """Ask whether to cancel one of one's pledges."""

    code: ClassVar[str] = "x"
    pledge_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id),)

    @classmethod
    def read(cls, fields: list[str]) -> CancelPledge:
        (pledge_id,) = fields
        return cls(_id(pledge_id))


@dataclass(frozen=True, slots=True)
class ConfirmCancel(Intent):
    """Cancel one of one's pledges, once asked."""

    code: ClassVar[str] = "y"
    pledge_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id),)

    @classmethod
    def read(cls, fields: list[str]) -> ConfirmCancel:
        (pledge_id,) = fields
        return cls(_id(pledge_id))


@dataclass(frozen=True, slots=True)
class KeepPledge(Intent):
    """Answer the cancel question with no: the pledge stays."""

    code: ClassVar[str] = "z"
    pledge_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id),)

    @classmethod
    def read(cls, fields: list[str]) -> KeepPledge:
        (pledge_id,) = fields
        return cls(_id(pledge_id))


@dataclass(frozen=True, slots=True)
class Language(Intent):
    """Speak one of the supported languages with this person."""

    code: ClassVar[str] = "l"
    locale: str

    def fields(self) -> tuple[str, ...]:
        return (self.locale,)

    @classmethod
    def read(cls, fields: list[str]) -> Language:
        (locale,) = fields
        if locale not in SUPPORTED_LOCALES:
            raise StaleButton()
        return cls(locale)


@dataclass(frozen=True, slots=True)
class Updates(Intent):
    """A page of a campaign's updates; `turn` when it replaces the page it was pressed on."""

    code: ClassVar[str] = "n"
    campaign_id: int
    offset: int = 0
    turn: bool = False

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id), str(self.offset), *((_TURN,) if self.turn else ()))

    @classmethod
    def read(cls, fields: list[str]) -> Updates:
        campaign_id, offset, *turn = fields
        if turn not in ([], [_TURN]):
            raise StaleButton()
        return cls(_id(campaign_id), _id(offset), bool(turn))


@dataclass(frozen=True, slots=True)
class Manage(Intent):
    """A creator's dashboard of one of their campaigns."""

    code: ClassVar[str] = "m"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Manage:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class PostUpdate(Intent):
    """Write an update for one of one's campaigns."""

    code: ClassVar[str] = "o"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> PostUpdate:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Ambassadors(Intent):
    """What each share link brought a campaign."""

    code: ClassVar[str] = "r"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Ambassadors:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class ExportBackers(Intent):
    """Send a campaign's backers, as a CSV file, to its creator privately."""

    code: ClassVar[str] = "e"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> ExportBackers:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class OpenLatePledges(Intent):
    """Ask a campaign's creator for a late period and late prices, to take late pledges."""

    code: ClassVar[str] = "q"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> OpenLatePledges:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Pick(Intent):
    """A campaign picked from a list for a command (`purpose`, the command's name)."""

    code: ClassVar[str] = "w"
    purpose: str
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (self.purpose, str(self.campaign_id))

    @classmethod
    def read(cls, fields: list[str]) -> Pick:
        purpose, campaign_id = fields
        if not _PURPOSE.fullmatch(purpose):
            raise StaleButton()
        return cls(purpose, _id(campaign_id))


@dataclass(frozen=True, slots=True)
class ChangePledge(Intent):
    """Offer the ways to change one of one's pledges."""

    code: ClassVar[str] = "g"
    pledge_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id),)

    @classmethod
    def read(cls, fields: list[str]) -> ChangePledge:
        (pledge_id,) = fields
        return cls(_id(pledge_id))


@dataclass(frozen=True, slots=True)
class ChangeTo(Intent):
    """Move one of one's pledges to another reward."""

    code: ClassVar[str] = "t"
    pledge_id: int
    tier_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id), str(self.tier_id))

    @classmethod
    def read(cls, fields: list[str]) -> ChangeTo:
        pledge_id, tier_id = fields
        return cls(_id(pledge_id), _id(tier_id))


@dataclass(frozen=True, slots=True)
class ChangeAmount(Intent):
    """Ask for another amount for one of one's pledges."""

    code: ClassVar[str] = "a"
    pledge_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.pledge_id),)

    @classmethod
    def read(cls, fields: list[str]) -> ChangeAmount:
        (pledge_id,) = fields
        return cls(_id(pledge_id))


@dataclass(frozen=True, slots=True)
class SubmitForReview(Intent):
    """Send one of one's drafts for an operator's review."""

    code: ClassVar[str] = "d"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> SubmitForReview:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class Approve(Intent):
    """An operator publishes a campaign waiting for review; core checks who pressed it."""

    code: ClassVar[str] = "v"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> Approve:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


@dataclass(frozen=True, slots=True)
class RequestChanges(Intent):
    """An operator sends a campaign waiting for review back to its creator, saying why."""

    code: ClassVar[str] = "j"
    campaign_id: int

    def fields(self) -> tuple[str, ...]:
        return (str(self.campaign_id),)

    @classmethod
    def read(cls, fields: list[str]) -> RequestChanges:
        (campaign_id,) = fields
        return cls(_id(campaign_id))


KINDS: dict[str, type[Intent]] = {
    kind.code: kind
    for kind in (
        Show,
        Pledge,
        PledgeCustom,
        Follow,
        Unfollow,
        FundingChart,
        Browse,
        Categories,
        CancelPledge,
        ConfirmCancel,
        KeepPledge,
        Language,
        Updates,
        Manage,
        PostUpdate,
        Ambassadors,
        ExportBackers,
        OpenLatePledges,
        Pick,
        ChangePledge,
        ChangeTo,
        ChangeAmount,
        SubmitForReview,
        Approve,
        RequestChanges,
    )
}


def decode(data: str) -> Intent:
    """Read button data back; anything malformed or of an unknown kind is a stale button."""
    code, *fields = data.split(SEPARATOR)
    kind = KINDS.get(code)
    if kind is None or len(data.encode()) > MAX_ENCODED:
        raise StaleButton()
    try:
        return kind.read(fields)
    except ValueError:
        # A wrong number of fields fails to unpack.
        raise StaleButton() from None
