"""Creator updates written in a form and waiting for their audience, for a while, in memory."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

# As long as a form's answer may still be followed up; a draft older than this is dropped.
LIFETIME = 15 * 60.0


@dataclass(frozen=True, slots=True)
class Draft:
    """An update's text for a campaign, with the key its audience buttons carry."""

    key: str
    campaign_id: int
    title: str
    text: str
    written_at: float


class UpdateDrafts:
    """One draft per author at a time; a newer one replaces theirs, as a new /update does."""

    def __init__(
        self, lifetime: float = LIFETIME, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lifetime = lifetime
        self._clock = clock
        self._by_author: dict[int, Draft] = {}

    def keep(self, author_id: int, campaign_id: int, title: str, text: str) -> Draft:
        """Hold a draft until its audience is chosen, forgetting drafts that were abandoned."""
        now = self._clock()
        self._by_author = {
            author: draft
            for author, draft in self._by_author.items()
            if now - draft.written_at < self._lifetime
        }
        draft = Draft(secrets.token_hex(4), campaign_id, title, text, now)
        self._by_author[author_id] = draft
        return draft

    def take(self, author_id: int, key: str) -> Draft | None:
        """The author's draft with that key, now theirs to send; None if it is gone."""
        draft = self._by_author.get(author_id)
        if draft is None or draft.key != key or self._clock() - draft.written_at >= self._lifetime:
            return None
        del self._by_author[author_id]
        return draft
