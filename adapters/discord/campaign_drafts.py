"""Campaigns being drafted through forms and buttons, one per creator, for a while, in memory."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord

from core.covers import Cover
from core.usecases.managing import TierDraft
from core.usecases.reward_limits import DraftedReward

# A draft untouched for this long is dropped: the creator starts /newcampaign again.
LIFETIME = 60 * 60.0


@dataclass(slots=True)
class ChatDraft:
    """The answers so far, the reward being described, what the last form held, and the
    cover: the picture given with /newcampaign until it is made into one."""

    answers: dict[str, Any] = field(default_factory=dict)
    tiers: list[DraftedReward] = field(default_factory=list)
    tier: TierDraft | None = None
    # What the creator typed in the last form they sent, to give it back after a refusal.
    typed: dict[str, str] = field(default_factory=dict)
    touched_at: float = 0.0
    picture: discord.Attachment | None = None
    cover: Cover | None = None


class CampaignDrafts:
    """One draft per creator; /newcampaign starts theirs afresh."""

    def __init__(
        self, lifetime: float = LIFETIME, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lifetime = lifetime
        self._clock = clock
        self._by_creator: dict[int, ChatDraft] = {}

    def start(self, creator_id: int) -> ChatDraft:
        """A fresh draft, forgetting drafts that were abandoned."""
        now = self._clock()
        self._by_creator = {
            creator: draft
            for creator, draft in self._by_creator.items()
            if now - draft.touched_at < self._lifetime
        }
        draft = ChatDraft(touched_at=now)
        self._by_creator[creator_id] = draft
        return draft

    def get(self, creator_id: int) -> ChatDraft | None:
        """The creator's draft, still alive, now touched; None if there is none."""
        draft = self._by_creator.get(creator_id)
        now = self._clock()
        if draft is None or now - draft.touched_at >= self._lifetime:
            return None
        draft.touched_at = now
        return draft

    def drop(self, creator_id: int) -> None:
        """Forget the creator's draft: stored, or discarded."""
        self._by_creator.pop(creator_id, None)
