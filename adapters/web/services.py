"""What the web server's routes need, passed in by the composition root."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.campaigns import Campaign
from core.payments import PaymentOutcome
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.pledging import PledgeLimits


class WebhookReader(Protocol):
    """Turns a verified provider event into an outcome for a pledge."""

    async def outcome_of_event(self, event: Mapping[str, Any]) -> PaymentOutcome | None:
        """The outcome an event reports; None for events Backit does not use."""
        ...


class ChatLinks(Protocol):
    """Links from the browser back into the chat surfaces."""

    def share_url(self, campaign: Campaign, referral_code: str) -> str:
        """A link to a campaign that credits the backer who shares it."""
        ...

    def chat_url(self, campaign: Campaign | None) -> str | None:
        """Where to continue in the chat (a campaign's card, or the bot), if a bot runs."""
        ...


@dataclass(frozen=True, slots=True)
class WebServices:
    """Everything the routes use, built once by the composition root."""

    uows: UnitOfWorkFactory
    clock: Clock
    gateway: PaymentGateway
    webhooks: WebhookReader
    webhook_secret: str
    signer: PledgeLinkSigner
    limits: PledgeLimits
    links: ChatLinks
    public_url: str


class WebShareLinks:
    """Share links to the campaign's public page, for when no chat bot is configured."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url.rstrip("/")

    def share_url(self, campaign: Campaign, referral_code: str) -> str:
        """The campaign's public page, carrying the referral code."""
        return f"{self._public_url}/c/{campaign.slug}?ref={referral_code}"

    def chat_url(self, campaign: Campaign | None) -> str | None:
        """No chat to return to."""
        return None
