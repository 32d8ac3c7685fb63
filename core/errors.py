"""Domain errors: each carries a message the person can read in their own language."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from core.i18n import N_, LazyText, current_locale, gettext, ngettext
from core.moments import date_time
from core.money import Money


class DomainError(Exception):
    """A request the domain refuses; nothing has been written."""

    template: ClassVar[str] = N_("Something is not right with that request.")

    def __init__(self, **params: object) -> None:
        super().__init__(f"{type(self).__name__}({params})")
        self.params = params

    def user_message(self) -> str:
        """The reason, translated into the current locale."""
        params = {key: _shown(value) for key, value in self.params.items()}
        return gettext(self.template).format(**params)


def _shown(value: object) -> object:
    """A parameter as the reader should see it: translated, or money in their format."""
    if isinstance(value, LazyText):
        return value.translated()
    if isinstance(value, Money):
        return value.format(current_locale.get())
    if isinstance(value, datetime):
        return date_time(value)
    return value


class CampaignNotFound(DomainError):
    """No campaign has that slug or id."""

    template = N_("There is no campaign called “{slug}”.")


class CampaignNotLive(DomainError):
    """The campaign is not taking pledges (draft, ended or cancelled)."""

    template = N_("“{title}” is not taking pledges right now.")


class LatePledgesClosed(CampaignNotLive):
    """The campaign took late pledges until a moment now past."""

    template = N_("Late pledges to “{title}” closed on {date}.")


class NotOfferedLate(DomainError):
    """The reward has no late price: late backers cannot choose it."""

    template = N_("“{title}” is not offered to late backers.")


class CampaignNotLaunched(CampaignNotLive):
    """The campaign is coming soon: it takes pledges from its launch."""

    template = N_("“{title}” launches on {date}: it takes pledges from then on.")


class TierNotFound(DomainError):
    """The reward tier does not exist on this campaign."""

    template = N_("That reward is not offered by this campaign.")


class SecretLinkInvalid(DomainError):
    """A secret reward's code that is malformed, unknown, or of a campaign not shown."""

    template = N_("This reward link is not valid. Ask the creator who shared it for a new one.")


class TierSoldOut(DomainError):
    """Every unit of a limited tier is claimed."""

    template = N_("“{title}” is sold out.")


class TierNotOpenYet(DomainError):
    """The reward's window has not begun."""

    template = N_("This reward opens on {date}.")


class TierClosed(DomainError):
    """The reward's window is over: an early bird that has flown."""

    template = N_("This reward closed on {date}.")


class TierReserved(TierSoldOut):
    """Every unit left of a limited tier is held by other people's checkouts, for now."""

    def __init__(self, *, title: str, minutes: int) -> None:
        super().__init__(title=title, minutes=minutes)
        self.title, self.minutes = title, minutes

    def user_message(self) -> str:
        """The reason, with the wait in whole minutes."""
        return ngettext(
            "“{title}” is being checked out by others. Try again in {minutes} minute.",
            "“{title}” is being checked out by others. Try again in {minutes} minutes.",
            self.minutes,
        ).format(title=self.title, minutes=self.minutes)


class InvalidAmount(DomainError):
    """The amount is too large, or below the tier's price or what the provider can charge."""

    template = N_("The amount must be between {minimum} and {maximum}.")


class WrongCurrency(DomainError):
    """The amount is not in the campaign's currency."""

    template = N_("This campaign takes pledges in {currency} only.")


class TextTooLong(DomainError):
    """Some text is over its length limit."""

    template = N_("{field} can be at most {limit} characters long.")


class InvalidField(DomainError):
    """A field of a campaign or tier is missing or malformed."""

    template = N_("{field}: {reason}")


class NotAllowed(DomainError):
    """The caller lacks the right to do this."""

    template = N_("Only the campaign's creator or an operator can do that.")


class PledgeNotFound(DomainError):
    """No pledge of the caller's has that id."""

    template = N_("That pledge could not be found.")


class CannotCancel(DomainError):
    """The pledge or campaign can no longer be cancelled."""

    template = N_("This can no longer be cancelled: {reason}")


class NotAnAmount(InvalidAmount):
    """What was typed is not an amount at all."""

    template = N_("“{text}” is not an amount: type digits, e.g. {example}")


class TooManyDecimals(InvalidAmount):
    """A typed amount has more decimals than its currency's minor unit."""

    def __init__(self, *, text: str, currency: str, places: int) -> None:
        super().__init__(text=text, currency=currency, places=places)
        self.text, self.currency, self.places = text, currency, places

    def user_message(self) -> str:
        """The reason, with how many decimals the currency has."""
        if self.places == 0:
            template = gettext("“{text}” has decimals, but {currency} amounts are whole numbers.")
        else:
            template = gettext(
                "“{text}” has too many decimals: {currency} amounts have {places} at most."
            )
        return template.format(text=self.text, currency=self.currency, places=self.places)


class UnknownCurrency(InvalidAmount):
    """A typed amount names a currency that does not exist (or is not known here)."""

    template = N_("“{text}”: “{currency}” is not a currency; use a code such as EUR, USD or GBP.")


class AmountTooSmall(InvalidAmount):
    """A typed amount below the smallest accepted."""

    template = N_("“{text}” is less than {minimum}, the smallest amount accepted.")


class AmountTooLarge(InvalidAmount):
    """A typed amount above the largest accepted."""

    template = N_("“{text}” is more than {maximum}, the largest amount accepted.")


class AmountInOtherCurrency(InvalidAmount):
    """A typed amount is in another currency than the campaign's: a slip to correct by typing
    again, as any other invalid amount (WrongCurrency is a request no retyping fixes)."""

    template = N_("This campaign is in {currency}; “{text}” is in {typed}.")


class CannotChange(DomainError):
    """The pledge can no longer be changed, or not into that."""

    template = N_("Your pledge can no longer be changed: {reason}")


class CannotLower(CannotChange):
    """Less asked of a pledge paid in two payments: only the first could be refunded."""

    template = N_(
        "Your pledge was raised with a second payment: it can go up again, or be cancelled, "
        "but not come down."
    )
