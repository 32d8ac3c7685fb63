"""Outcomes applied together come to what applying them one after the other comes to."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.backers import Backer
from core.campaigns import Campaign, FundingModel
from core.identity import Identity, Platform
from core.money import Money
from core.payments import (
    CheckoutMode,
    OutcomeKind,
    PaymentOutcome,
    PaymentRefs,
    ReportedTerms,
)
from core.payouts import DisputeReport, DisputeState
from core.pledges import Pledge, PledgeStatus
from core.usecases.managing import TierDraft, create_campaign, publish_campaign
from core.usecases.payments import AppliedOutcome, apply_payment_outcome, apply_payment_outcomes
from tests.core.conftest import draft
from tests.fakes import FakeDatabase, FixedClock, State

CLOCK = FixedClock()
UNKNOWN_PLEDGE = 999_999


@dataclass(frozen=True)
class Planned:
    """A pledge of the world every example starts from; `tops_up` is another's position."""

    campaign: str
    backer: int
    amount: int
    tier: bool = False
    referred_by: int | None = None
    tops_up: int | None = None


# Backers with two pledges on one campaign, a referral, a reward, a top-up, and an
# all-or-nothing campaign beside a flexible one: each goal is low enough to cross.
PLANNED = (
    Planned("lamp", 1, 4_000),
    Planned("lamp", 2, 3_000, referred_by=1),
    Planned("lamp", 2, 2_000),
    Planned("lamp", 3, 5_000, tier=True),
    Planned("lamp", 3, 1_000, tops_up=3),
    Planned("aon", 4, 6_000),
    Planned("aon", 1, 5_000, referred_by=4),
    Planned("lamp", 4, 2_500),
    Planned("lamp", 1, 1_500),
)
STATUSES = st.tuples(
    *[st.sampled_from([*[PledgeStatus.PENDING] * 3, PledgeStatus.AUTHORIZED, PledgeStatus.PAID])]
    * len(PLANNED)
)
PLAIN_KINDS = [
    OutcomeKind.PAID,
    OutcomeKind.AUTHORIZED,
    OutcomeKind.FAILED,
    OutcomeKind.EXPIRED,
    OutcomeKind.CANCELLED,
]


async def world(statuses: tuple[PledgeStatus, ...]) -> tuple[FakeDatabase, list[int]]:
    """The planned pledges in the statuses given, the campaigns' figures agreeing with them."""
    db = FakeDatabase()
    tier = TierDraft("Early bird", "One lamp", 5_000, quantity_limit=10)
    campaigns: dict[str, Campaign] = {}
    for slug, model in (("lamp", FundingModel.FLEXIBLE), ("aon", FundingModel.ALL_OR_NOTHING)):
        changes = {
            "slug": slug,
            "funding_model": model,
            "goal": Money(10_000, "EUR"),
            "stretch_goals": (15_000,),
        }
        await create_campaign(db.unit_of_work(), draft(CLOCK, tiers=(tier,), **changes))
        campaigns[slug] = await publish_campaign(db.unit_of_work(), CLOCK, slug)
    async with db.unit_of_work() as uow:
        backers = {
            number: await uow.backers.add(
                Backer(0, Identity(Platform.TELEGRAM, str(number)), "", "en", f"ref-{number}")
            )
            for number in (1, 2, 3, 4)
        }
        ids: list[int] = []
        for number, (plan, status) in enumerate(zip(PLANNED, statuses, strict=True)):
            campaign = campaigns[plan.campaign]
            stored = await uow.pledges.add(
                Pledge(
                    id=0,
                    backer_id=backers[plan.backer].id,
                    campaign_id=campaign.id,
                    tier_id=campaign.tiers[0].id if plan.tier else None,
                    amount=Money(plan.amount, "EUR"),
                    status=status,
                    created_at=CLOCK.now(),
                    updated_at=CLOCK.now(),
                    referral_code=None if plan.referred_by is None else f"ref-{plan.referred_by}",
                    checkout_session_id=f"cs_{number}",
                    tops_up=None if plan.tops_up is None else ids[plan.tops_up],
                )
            )
            assert stored is not None
            ids.append(stored.id)
            if stored.counted:
                counted = uow.working.campaigns[campaign.id]
                counted.raised += plan.amount
        for campaign in uow.working.campaigns.values():
            counted_backers = {
                p.backer_id
                for p in uow.working.pledges.values()
                if p.campaign_id == campaign.id and p.counted
            }
            campaign.backers_count = len(counted_backers)
        await uow.commit()
    return db, ids


@st.composite
def outcomes(draw: st.DrawFn, plain: bool) -> list[tuple[int, PaymentOutcome]]:
    """Reports by pledge position (-1: a pledge Backit does not know), with event ids that
    repeat, references and terms that may not be the pledge's, refunds and disputes."""
    # A plain group is mostly payments, on their own pages and for their own money, so that
    # most of its outcomes move their pledges.
    kinds = (
        [*PLAIN_KINDS, OutcomeKind.PAID]
        if plain
        else [*PLAIN_KINDS, OutcomeKind.REFUNDED, OutcomeKind.DISPUTE]
    )
    everyone = range(-1, len(PLANNED))
    positions = st.sampled_from(
        [p for p in everyone if p >= 0 and PLANNED[p].tops_up is None] if plain else everyone
    )
    drawn = []
    for index in range(draw(st.integers(2, 12))):
        position, kind = draw(positions), draw(st.sampled_from(kinds))
        amount = PLANNED[position].amount if position >= 0 else 1_000
        own = [None, f"cs_{position}"] * (3 if plain else 1)
        session = draw(st.sampled_from([*own, "cs_elsewhere"]))
        terms = draw(
            st.sampled_from(
                [
                    *[None] * (4 if plain else 1),
                    ReportedTerms(amount, "EUR", CheckoutMode.PAYMENT),
                    ReportedTerms(amount, "USD", CheckoutMode.PAYMENT),
                ]
            )
        )
        dispute = None
        if kind is OutcomeKind.DISPUTE:
            state = draw(st.sampled_from(list(DisputeState)))
            dispute = DisputeReport(state, amount, "fraudulent", None)
        outcome = PaymentOutcome(
            pledge_id=UNKNOWN_PLEDGE,
            kind=kind,
            event_id=draw(st.sampled_from([None, f"evt_{index}", "evt_a", "evt_b", "evt_c"])),
            refunded_total=draw(st.sampled_from([amount // 2, amount])),
            refs=PaymentRefs(checkout_session_id=session, customer_id=f"cus_{position}"),
            event_type="checkout.session.completed",
            terms=terms,
            dispute=dispute,
        )
        drawn.append((position, outcome))
    if plain:
        # A plain group names each pledge once.
        drawn = list({position: (position, o) for position, o in drawn}.values())
    return drawn


def comparable(state: State) -> dict[str, Any]:
    """What the database holds, leaving out what only the fake's shared id sequence decides
    (the ids of messages and anomalies) and their order across campaigns (one campaign's
    outcomes are applied before the next campaign's)."""
    return {
        "campaigns": state.campaigns,
        "pledges": state.pledges,
        "milestones": state.milestones,
        "payment_events": state.payment_events,
        "outbox": Counter(repr(replace(m, id=0)) for m in state.outbox),
        "anomalies": Counter(repr(replace(a, id=0)) for a in state.payment_anomalies),
    }


def outcome_of(result: AppliedOutcome | Exception) -> object:
    return (type(result), result.args) if isinstance(result, Exception) else result


async def both_ways(
    statuses: tuple[PledgeStatus, ...], drawn: list[tuple[int, PaymentOutcome]]
) -> None:
    together, ids = await world(statuses)
    one_by_one = copy.deepcopy(together)
    reports = [
        replace(o, pledge_id=ids[position] if position >= 0 else UNKNOWN_PLEDGE)
        for position, o in drawn
    ]

    commits = together.commits
    results = await apply_payment_outcomes(together.unit_of_work, CLOCK, reports)

    expected: list[AppliedOutcome | Exception] = []
    for report in reports:
        try:
            expected.append(await apply_payment_outcome(one_by_one.unit_of_work(), CLOCK, report))
        except Exception as error:
            expected.append(error)
    assert [outcome_of(r) for r in results] == [outcome_of(r) for r in expected]
    assert comparable(together.state) == comparable(one_by_one.state)
    if not any(isinstance(r, Exception) for r in expected):
        # Applied in one go, not again outcome by outcome after a failure.
        assert (together.commits, together.savepoints) == (commits + 1, 0)


@settings(max_examples=100, deadline=None)
@given(STATUSES, outcomes(plain=False))
def test_any_group_comes_to_what_one_after_the_other_comes_to(
    statuses: tuple[PledgeStatus, ...], drawn: list[tuple[int, PaymentOutcome]]
) -> None:
    asyncio.run(both_ways(statuses, drawn))


@settings(max_examples=200, deadline=None)
@given(STATUSES, outcomes(plain=True))
def test_a_group_of_moves_shared_per_campaign_comes_to_the_same(
    statuses: tuple[PledgeStatus, ...], drawn: list[tuple[int, PaymentOutcome]]
) -> None:
    asyncio.run(both_ways(statuses, drawn))
