"""Fakes of what delivering notifications needs: a recording sender and notice links."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from core.campaigns import Campaign
from core.delivery import DeliveryFailed
from core.identity import Platform
from core.outbox import Recipient
from core.views.model import Notice
from core.views.pictures import CardPicture


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notice handed to the sender, and how many parts it was told to skip."""

    recipient: Recipient
    notice: Notice
    skip_parts: int


@dataclass(frozen=True, slots=True)
class Report:
    """A status message posted or edited."""

    chat_id: str
    message_id: str
    text: str


class RecordingSender:
    """core.delivery.MessageSender for one platform: records what it delivers, fails the
    addresses it is told to, and holds every send while its `gate` is closed."""

    def __init__(self, platform: Platform, gate: asyncio.Event | None = None) -> None:
        self._platform = platform
        self.gate = gate
        self.started: list[Delivery] = []
        self.delivered: list[Delivery] = []
        self.posted: list[Report] = []
        self.edited: list[Report] = []
        self.report_error: DeliveryFailed | None = None
        self._failures: dict[str, list[Exception]] = {}

    @property
    def platform(self) -> Platform:
        """The platform chosen at construction."""
        return self._platform

    def fail(self, address: str, error: Exception, times: int = 1) -> None:
        """Raise `error` for the next `times` sends to `address`."""
        self._failures.setdefault(address, []).extend([error] * times)

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Record the send once the gate opens, or raise the failure planned for it."""
        delivery = Delivery(recipient, notice, skip_parts)
        self.started.append(delivery)
        if self.gate is not None:
            await self.gate.wait()
        planned = self._failures.get(recipient.address)
        if planned:
            raise planned.pop(0)
        self.delivered.append(delivery)

    async def post_report(self, chat_id: str, text: str) -> str:
        """Record a new status message; its id is "report-1", "report-2"..."""
        if self.report_error is not None:
            raise self.report_error
        report = Report(chat_id, f"report-{len(self.posted) + 1}", text)
        self.posted.append(report)
        return report.message_id

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Record an edit of a status message."""
        if self.report_error is not None:
            raise self.report_error
        self.edited.append(Report(chat_id, message_id, text))

    def delivered_to(self, address: str) -> list[Notice]:
        """The notices delivered to one address, in order."""
        return [d.notice for d in self.delivered if d.recipient.address == address]


class FakeLinks:
    """core.views.notices.NoticeLinks with readable URLs; records the retry links made."""

    def __init__(self) -> None:
        self.retries: list[tuple[int, datetime]] = []

    def campaign_url(self, campaign: Campaign, referral_code: str | None = None) -> str:
        """https://backit.test/c/<slug>, with ?ref=<code> when crediting someone."""
        url = f"https://backit.test/c/{campaign.slug}"
        return f"{url}?ref={referral_code}" if referral_code else url

    def retry_url(self, pledge_id: int, expires_at: datetime) -> str:
        """https://backit.test/retry/<pledge id>."""
        self.retries.append((pledge_id, expires_at))
        return f"https://backit.test/retry/{pledge_id}"

    def picture_url(self, campaign: Campaign, picture: CardPicture) -> str:
        """https://backit.test/c/<slug>/card.png, with ?m=<milestone> when it announces one."""
        url = f"https://backit.test/c/{campaign.slug}/card.png"
        return f"{url}?m={picture.milestone}" if picture.milestone else url
