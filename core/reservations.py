"""Reward units held for pledges still at checkout, and how long each is held."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# A pending pledge holds its reward unit for this long from its start, and no longer: it is
# the provider's shortest checkout page (Stripe's minimum `expires_at` is 30 minutes after the
# page is made). The stale sweep closes the page and gives the unit back once this has passed,
# at its next run (the scheduler's interval, 30 seconds by default); the page itself is asked to
# expire a little later (see checkout._session_expiry), so it never outlives the hold by more
# than that sweep.
CHECKOUT_LIFETIME = timedelta(minutes=30)


def hold_ends(started_at: datetime) -> datetime:
    """When a pledge started at that moment stops holding its reward unit."""
    return started_at + CHECKOUT_LIFETIME


@dataclass(frozen=True, slots=True)
class Reservations:
    """The units of a tier held by pledges still at checkout: how many, and the oldest's start."""

    count: int
    oldest_started_at: datetime

    def minutes_to_first_release(self, now: datetime) -> int:
        """Whole minutes, at least one, until the oldest hold ends and its unit may come back."""
        left = hold_ends(self.oldest_started_at) - now
        # A hold past its end is given back at the sweep's next run, within a minute.
        return max(1, math.ceil(left / timedelta(minutes=1)))
