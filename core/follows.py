"""Follows: a backer asking to hear about a campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class Follow:
    """A backer following a campaign; a muted follow gets receipts only."""

    backer_id: int
    campaign_id: int
    created_at: datetime
    muted: bool = False
