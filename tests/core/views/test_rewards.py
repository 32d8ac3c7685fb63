"""What is left of a reward, in words, as the campaign page shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.campaigns import RewardTier
from core.i18n import use_locale
from core.money import Money
from core.reservations import Reservations
from core.views.rewards import availability

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def tier(limit: int | None, claimed: int = 0, held: Reservations | None = None) -> RewardTier:
    """A €50 reward with that many units, claimed and held at checkout."""
    return RewardTier(1, 1, "Lamp", "", Money(5_000, "EUR"), limit, claimed, reservations=held)


def test_a_reward_says_how_many_are_left_or_that_it_is_sold_out() -> None:
    assert availability(tier(None), NOW) is None
    assert availability(tier(1_200, claimed=10), NOW) == "1,190 left"
    assert availability(tier(2, claimed=2), NOW) == "Sold out"
    with use_locale("fr"):
        assert availability(tier(2, claimed=2), NOW) == "Épuisée"
        assert availability(tier(1_200, claimed=10), NOW) == "1\u202f190 restantes"


def test_units_held_at_checkout_say_when_one_may_come_back() -> None:
    held = Reservations(1, NOW - timedelta(minutes=25))

    assert availability(tier(2, claimed=2, held=held), NOW) == "At checkout · try again in 5 min"
