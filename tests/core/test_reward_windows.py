"""Rewards open for a limited time: refused before they open and once they close."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from core.campaigns import Campaign, RewardTier
from core.errors import DomainError, InvalidField, TierClosed, TierNotOpenYet
from core.i18n import use_locale
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import PledgeStatus
from core.usecases.managing import TierDraft, validate_draft
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, offer_pledge, start_pledge
from tests.core.conftest import caller, draft
from tests.fakes import FakeDatabase, FixedClock


def early_bird(db: FakeDatabase, campaign: Campaign, clock: FixedClock, **window: int) -> int:
    """Give the campaign's first tier a window, in hours from now; its id."""
    tier = db.state.campaigns[campaign.id].tiers[0]
    for name, hours in window.items():
        setattr(tier, name, clock.now() + timedelta(hours=hours))
    return tier.id


def message(error: DomainError, locale: str) -> str:
    """The refusal as a reader in that locale sees it."""
    with use_locale(locale):
        return error.user_message()


def test_a_window_is_open_from_its_opening_until_its_closing() -> None:
    clock = FixedClock()
    now = clock.now()
    tier = RewardTier(
        1, 1, "Early bird", "", Money(5_000, "EUR"), opens_at=now, closes_at=now + timedelta(days=2)
    )
    assert not tier.is_open(now - timedelta(seconds=1))
    assert tier.is_open(now)
    assert tier.is_open(now + timedelta(days=2) - timedelta(microseconds=1))
    assert not tier.is_open(now + timedelta(days=2))
    assert not replace(tier, quantity_limit=3, claimed=3).offered(now)
    with pytest.raises(ValueError, match="closes after it opens"):
        replace(tier, closes_at=now)


async def test_a_reward_not_open_yet_is_refused_with_its_opening_in_english_and_french(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier_id = early_bird(db, campaign, clock, opens_at=24)
    request = PledgeRequest(caller(1), campaign.id, tier_id)
    with pytest.raises(TierNotOpenYet) as refused:
        await start_pledge(db.unit_of_work(), clock, limits, request)
    assert message(refused.value, "en") == "This reward opens on Nov 2, 2026 at 12:00\u202fPM UTC."
    assert message(refused.value, "fr") == "Cette récompense ouvre le 2 nov. 2026 à 12:00 UTC."
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0
    assert not db.state.pledges
    clock.advance(timedelta(hours=24))
    await start_pledge(db.unit_of_work(), clock, limits, request)
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


async def test_a_closed_reward_is_refused_with_its_closing_in_english_and_french(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier_id = early_bird(db, campaign, clock, closes_at=48)
    clock.advance(timedelta(hours=48))
    with pytest.raises(TierClosed) as refused:
        await start_pledge(
            db.unit_of_work(), clock, limits, PledgeRequest(caller(1), campaign.id, tier_id)
        )
    assert message(refused.value, "en") == "This reward closed on Nov 3, 2026 at 12:00\u202fPM UTC."
    assert message(refused.value, "fr") == "Cette récompense a fermé le 3 nov. 2026 à 12:00 UTC."
    assert not db.state.pledges


async def test_a_tap_on_a_closed_reward_is_refused_before_any_link_is_made(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    tier_id = early_bird(db, campaign, clock, closes_at=1)
    offer = await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, tier_id)
    assert offer.tier is not None
    clock.advance(timedelta(hours=1))
    with pytest.raises(TierClosed):
        await offer_pledge(db.unit_of_work, clock, caller(1), campaign.id, tier_id)


async def test_a_checkout_started_before_the_close_is_the_same_pledge_after_it(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier_id = early_bird(db, campaign, clock, closes_at=1)
    request = PledgeRequest(caller(1), campaign.id, tier_id, link_key="link-1")
    started = await start_pledge(db.unit_of_work(), clock, limits, request)
    clock.advance(timedelta(hours=1, minutes=5))
    # The link followed again leads to the checkout it started, still holding its unit.
    assert (await start_pledge(db.unit_of_work(), clock, limits, request)).id == started.id
    with pytest.raises(TierClosed):
        await start_pledge(
            db.unit_of_work(), clock, limits, replace(request, link_key="link-2", caller=caller(2))
        )
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(-48, None), (None, 24 * 30), (10, 10), (10, 5)],
    ids=["before the start", "after the end", "closes as it opens", "closes before it opens"],
)
def test_a_window_outside_the_run_or_closing_before_it_opens_is_refused(
    clock: FixedClock, opens: int | None, closes: int | None
) -> None:
    def at(hours: int | None) -> datetime | None:
        return None if hours is None else clock.now() + timedelta(hours=hours)

    tier = TierDraft("Early bird", "", 5_000, opens_at=at(opens), closes_at=at(closes))
    with pytest.raises(InvalidField) as refused:
        validate_draft(draft(clock, tiers=(tier,)))
    assert message(refused.value, "en").startswith("Reward dates")


def test_a_window_within_the_run_is_accepted(clock: FixedClock) -> None:
    tier = TierDraft(
        "Early bird",
        "",
        5_000,
        opens_at=clock.now() - timedelta(days=1),
        closes_at=clock.now() + timedelta(days=2),
    )
    validate_draft(draft(clock, tiers=(tier,)))


async def test_a_checkout_started_before_the_close_is_paid_after_it(
    db: FakeDatabase, clock: FixedClock, limits: PledgeLimits, campaign: Campaign
) -> None:
    tier_id = early_bird(db, campaign, clock, closes_at=1)
    request = PledgeRequest(caller(1), campaign.id, tier_id)
    started = await start_pledge(db.unit_of_work(), clock, limits, request)
    # Paid within its 30-minute hold, which began before the close.
    clock.advance(timedelta(hours=1, minutes=20))
    await apply_payment_outcome(
        db.unit_of_work(), clock, PaymentOutcome(started.id, OutcomeKind.PAID)
    )
    assert db.state.pledges[started.id].status is PledgeStatus.PAID
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1
