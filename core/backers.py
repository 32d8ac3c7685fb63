"""Backers: the people who follow and fund campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from core.identity import Identity


@dataclass(slots=True)
class Backer:
    """A person known to Backit on one platform, with their own referral code."""

    id: int
    identity: Identity
    display_name: str
    locale: str
    referral_code: str
    # Set by the person (/language); wins over what the platform reports.
    chosen_locale: str | None = None
    # False once the platform says messages cannot reach them (blocked, deleted, imported).
    reachable: bool = True

    @property
    def effective_locale(self) -> str:
        """The language to write to this person in."""
        return self.chosen_locale or self.locale
