"""Creator updates: news a creator sends to the people around a campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.identity import Identity

UPDATE_MAX_CHARS = 10_000


class UpdateAudience(StrEnum):
    """Who a creator update is for."""

    EVERYONE = "everyone"
    BACKERS = "backers"


@dataclass(slots=True)
class CreatorUpdate:
    """One update; public ones also go to linked communities."""

    id: int
    campaign_id: int
    author: Identity
    text: str
    audience: UpdateAudience
    created_at: datetime
    # The creator's user id: a status message in their own chat with the bot shows delivery
    # progress to them alone.
    report_chat: str | None = None
    report_message_id: str | None = None

    @property
    def public(self) -> bool:
        """Whether people who have not backed may read it."""
        return self.audience is UpdateAudience.EVERYONE
