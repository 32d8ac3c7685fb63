"""Delivering notifications: what a platform's sender does, and how a send can fail."""

from __future__ import annotations

from typing import Protocol

from core.identity import Platform
from core.outbox import Recipient
from core.views.model import Notice


class DeliveryFailed(Exception):
    """A send did not complete; the first `sent_parts` parts of the message had gone out."""

    def __init__(self, reason: str, *, sent_parts: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sent_parts = sent_parts


class TryAgainLater(DeliveryFailed):
    """A transient failure (network, 5xx, 429); `retry_after` is the platform's own wait."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, sent_parts: int = 0
    ) -> None:
        super().__init__(reason, sent_parts=sent_parts)
        self.retry_after = retry_after


class RecipientGone(DeliveryFailed):
    """A permanent failure: the person blocked the bot or left, or the channel is gone."""


class MessageSender(Protocol):
    """One platform's way of delivering notices, within that platform's limits."""

    @property
    def platform(self) -> Platform:
        """The platform this sender delivers on."""
        ...

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Deliver a notice, split into parts within the platform's limits, skipping the
        first `skip_parts` (sent by an earlier attempt); raises DeliveryFailed."""
        ...

    async def post_report(self, chat_id: str, text: str) -> str:
        """Post a plain-text status message to a person's own chat with the bot (`chat_id` is
        their user id: nobody else reads it); returns its message id."""
        ...

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Replace the text of a status message posted before."""
        ...
