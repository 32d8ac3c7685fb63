"""Pledges in SQL: every field round-trips, compare-and-set changes, referral figures."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from adapters.storage import Database
from core.campaigns import FundingModel
from core.money import Money
from core.payments import PaymentRefs
from core.payouts import DisputeState
from core.pledges import COUNTED, FundingDay, Pledge, PledgeStatus
from core.ports import StatusChange, UnitOfWork
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, a_pledge, committed

LATER = NOW + timedelta(minutes=5)


@pytest.fixture
async def ids(database: Database) -> tuple[int, int, int]:
    """A stored backer's id, a stored campaign's id, and its limited tier's id."""

    async def setup(uow: UnitOfWork) -> tuple[int, int, int]:
        backer = await uow.backers.add(a_backer("1"))
        campaign = await uow.campaigns.add(a_campaign())
        return backer.id, campaign.id, campaign.tiers[0].id

    return await committed(database, setup)


async def add(database: Database, pledge: Pledge) -> Pledge:
    """A pledge, stored and committed."""
    stored = await committed(database, lambda uow: uow.pledges.add(pledge))
    assert stored is not None
    return stored


async def get(database: Database, pledge_id: int) -> Pledge:
    """A pledge as committed."""
    async with database.unit_of_work() as uow:
        found = await uow.pledges.get(pledge_id)
    assert found is not None
    return found


async def test_a_pledge_round_trips_with_every_field(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, tier_id = ids
    pledge = a_pledge(
        backer_id,
        campaign_id,
        tier_id=tier_id,
        amount=Money(7_500, "EUR"),
        status=PledgeStatus.PAID,
        created_at=NOW,
        updated_at=LATER,
        referral_code="ref-9",
        link_key="link-abc",
        backer_number=4,
        refunded_amount=500,
        checkout_session_id="cs_1",
        payment_intent_id="pi_1",
        customer_id="cus_1",
        payment_method_id="pm_1",
        shipping_address="Ada Lovelace\n12 Rue des Lampes\n75011 Paris\nFR",
        payout_account="acct_1",
        fee=300,
        transfer_id="tr_1",
        dispute=DisputeState.LOST,
        disputed_amount=7_000,
    )
    stored = await add(database, pledge)
    assert stored == replace(pledge, id=stored.id)
    assert stored.created_at.tzinfo is UTC
    assert await get(database, stored.id) == stored
    async with database.unit_of_work() as uow:
        assert await uow.pledges.by_link_key("link-abc") == stored
        assert await uow.pledges.by_link_key("other") is None
        assert await uow.pledges.get(stored.id + 1) is None


async def test_a_pledge_is_found_by_its_latest_checkout_page(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    stored = await add(database, a_pledge(backer_id, campaign_id, checkout_session_id="cs_1"))
    await add(database, a_pledge(backer_id, campaign_id))

    async with database.unit_of_work() as uow:
        first = await uow.pledges.by_checkout_session("cs_1")
        await uow.pledges.set_payment_refs(stored.id, checkout_session_id="cs_2")
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert first == stored
        assert await uow.pledges.by_checkout_session("cs_2") == await uow.pledges.get(stored.id)
        assert await uow.pledges.by_checkout_session("cs_1") is None
        assert await uow.pledges.by_checkout_session("") is None


async def test_one_link_starts_one_pledge(database: Database, ids: tuple[int, int, int]) -> None:
    backer_id, campaign_id, _ = ids
    first = await add(database, a_pledge(backer_id, campaign_id, link_key="link-abc"))
    other = a_pledge(backer_id, campaign_id, link_key="link-abc", amount=Money(9_900, "EUR"))

    again = await committed(database, lambda uow: uow.pledges.add(other))

    assert again is None
    async with database.unit_of_work() as uow:
        assert await uow.pledges.of_campaign(campaign_id) == [first]


async def test_an_expired_pledge_lets_its_link_start_another(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    pending = await add(database, a_pledge(backer_id, campaign_id, link_key="link-p"))
    expired = await add(
        database,
        a_pledge(backer_id, campaign_id, link_key="link-e", status=PledgeStatus.EXPIRED),
    )

    async def forget_both(uow: UnitOfWork) -> None:
        await uow.pledges.forget_link(pending.id)
        await uow.pledges.forget_link(expired.id)

    await committed(database, forget_both)

    assert (await get(database, pending.id)).link_key == "link-p"
    assert (await get(database, expired.id)).link_key is None
    again = await add(database, a_pledge(backer_id, campaign_id, link_key="link-e"))
    assert again.id not in (pending.id, expired.id)


async def test_a_backers_pledge_at_checkout_for_a_tier_is_the_oldest_pending_one(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, tier_id = ids
    await add(database, a_pledge(backer_id, campaign_id, tier_id=tier_id, status=PledgeStatus.PAID))
    await add(database, a_pledge(backer_id, campaign_id))
    oldest = await add(database, a_pledge(backer_id, campaign_id, tier_id=tier_id))
    await add(database, a_pledge(backer_id, campaign_id, tier_id=tier_id, created_at=LATER))
    async with database.unit_of_work() as uow:
        await uow.backers.hold(backer_id)
        assert await uow.pledges.at_checkout(backer_id, tier_id) == oldest
        assert await uow.pledges.at_checkout(backer_id + 1, tier_id) is None


async def test_pledges_without_a_link_never_conflict(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids

    for _ in range(2):
        await add(database, a_pledge(backer_id, campaign_id))

    async with database.unit_of_work() as uow:
        assert len(await uow.pledges.of_campaign(campaign_id)) == 2


async def test_a_pledge_needs_a_real_backer_and_campaign(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    with pytest.raises(IntegrityError):
        await add(database, a_pledge(backer_id, campaign_id + 100))


async def test_a_backers_pledges_come_newest_first(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    older = await add(database, a_pledge(backer_id, campaign_id, created_at=NOW))
    newer = await add(database, a_pledge(backer_id, campaign_id, created_at=LATER))
    async with database.unit_of_work() as uow:
        assert await uow.pledges.of_backer(backer_id) == [newer, older]
        assert await uow.pledges.of_backer(backer_id + 1) == []


async def test_a_campaigns_pledges_come_oldest_first_optionally_by_status(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    paid = await add(database, a_pledge(backer_id, campaign_id, status=PledgeStatus.PAID))
    pending = await add(database, a_pledge(backer_id, campaign_id, created_at=LATER))
    async with database.unit_of_work() as uow:
        assert await uow.pledges.of_campaign(campaign_id) == [paid, pending]
        assert await uow.pledges.of_campaign(campaign_id, COUNTED) == [paid]
        assert await uow.pledges.of_campaign(campaign_id, frozenset()) == []


async def test_transition_only_moves_from_the_expected_status(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2]))

    async def pay_twice(uow: UnitOfWork) -> tuple[bool, bool]:
        paid = await uow.pledges.transition(
            stored.id, PledgeStatus.PENDING, PledgeStatus.PAID, LATER
        )
        again = await uow.pledges.transition(
            stored.id, PledgeStatus.PENDING, PledgeStatus.FAILED, LATER + timedelta(hours=1)
        )
        return paid, again

    assert await committed(database, pay_twice) == (True, False)
    assert await get(database, stored.id) == replace(
        stored, status=PledgeStatus.PAID, updated_at=LATER
    )


async def test_pledges_moved_together_move_only_from_their_expected_statuses(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    pending, authorized, paid, failed = [
        await add(database, a_pledge(backer_id, campaign_id, status=status, link_key=str(n)))
        for n, status in enumerate(
            (PledgeStatus.PENDING, PledgeStatus.AUTHORIZED, PledgeStatus.PAID, PledgeStatus.FAILED)
        )
    ]
    refs = PaymentRefs(checkout_session_id="cs_9", customer_id="cus_9")
    changes = [
        StatusChange(pending.id, PledgeStatus.PENDING, PledgeStatus.PAID, 3, refs),
        StatusChange(
            authorized.id, PledgeStatus.AUTHORIZED, PledgeStatus.PAID, None, PaymentRefs()
        ),
        # Not in the status expected: left as it is, number and references too.
        StatusChange(paid.id, PledgeStatus.PENDING, PledgeStatus.PAID, 4, refs),
        StatusChange(failed.id, PledgeStatus.FAILED, PledgeStatus.CANCELLED, None, PaymentRefs()),
    ]

    moved = await committed(database, lambda uow: uow.pledges.transition_all(changes, LATER))

    assert moved == {pending.id, authorized.id, failed.id}
    assert [await get(database, p.id) for p in (pending, authorized, paid, failed)] == [
        replace(
            pending,
            status=PledgeStatus.PAID,
            updated_at=LATER,
            backer_number=3,
            checkout_session_id="cs_9",
            customer_id="cus_9",
        ),
        replace(authorized, status=PledgeStatus.PAID, updated_at=LATER),
        paid,
        replace(failed, status=PledgeStatus.CANCELLED, updated_at=LATER),
    ]


async def test_counted_pledges_are_found_by_backer_on_one_campaign(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids

    async def setup(uow: UnitOfWork) -> tuple[int, int]:
        other = await uow.backers.add(a_backer("2"))
        elsewhere = await uow.campaigns.add(a_campaign("elsewhere"))
        return other.id, elsewhere.id

    other_id, elsewhere_id = await committed(database, setup)
    counted = [
        await add(database, a_pledge(backer_id, campaign_id, status=status, link_key=status))
        for status in sorted(COUNTED)
    ]
    for n, (backer, campaign, status) in enumerate(
        [
            (backer_id, campaign_id, PledgeStatus.PENDING),
            (backer_id, campaign_id, PledgeStatus.REFUNDED),
            (backer_id, elsewhere_id, PledgeStatus.PAID),
            (other_id, campaign_id, PledgeStatus.PAID),
        ]
    ):
        await add(database, a_pledge(backer, campaign, status=status, link_key=f"x{n}"))

    async with database.unit_of_work() as uow:
        found = await uow.pledges.counted_by(campaign_id, [backer_id, other_id + 1])

    assert found == {backer_id: {pledge.id for pledge in counted}}


async def test_refunds_only_grow_from_the_expected_amount(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2], status=PledgeStatus.PAID))

    async def refund(uow: UnitOfWork) -> tuple[bool, bool]:
        first = await uow.pledges.add_refund(stored.id, 0, 1_000)
        stale = await uow.pledges.add_refund(stored.id, 0, 2_000)
        return first, stale

    assert await committed(database, refund) == (True, False)
    assert (await get(database, stored.id)).refunded_amount == 1_000


async def test_a_transition_records_the_backer_number_and_the_references_given(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2], checkout_session_id="cs_1"))

    async def record(uow: UnitOfWork) -> None:
        refs = PaymentRefs(payment_intent_id="pi_1", customer_id="cus_1")
        await uow.pledges.transition(
            stored.id, PledgeStatus.PENDING, PledgeStatus.PAID, LATER, backer_number=7, refs=refs
        )
        await uow.pledges.transition(stored.id, PledgeStatus.PAID, PledgeStatus.REFUNDED, LATER)
        await uow.pledges.set_payment_refs(stored.id, payment_method_id="pm_1")
        await uow.pledges.set_payment_refs(stored.id, shipping_address="1 Main St, Oslo, NO")
        await uow.pledges.set_payment_refs(stored.id)

    await committed(database, record)
    assert await get(database, stored.id) == replace(
        stored,
        status=PledgeStatus.REFUNDED,
        updated_at=LATER,
        backer_number=7,
        payment_intent_id="pi_1",
        customer_id="cus_1",
        payment_method_id="pm_1",
        shipping_address="1 Main St, Oslo, NO",
    )


async def test_a_held_pledge_comes_with_its_backer(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    stored = await add(database, a_pledge(backer_id, campaign_id))
    async with database.unit_of_work() as uow:
        held = await uow.pledges.hold(stored.id)
        backer = await uow.backers.get(backer_id)
        missing = await uow.pledges.hold(stored.id + 1)
    assert held == (stored, backer, FundingModel.ALL_OR_NOTHING)
    assert missing is None


async def test_pledges_held_together_come_by_id_with_their_backers(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    first = await add(database, a_pledge(backer_id, campaign_id, link_key="a"))
    second = await add(database, a_pledge(backer_id, campaign_id, link_key="b"))
    async with database.unit_of_work() as uow:
        held = await uow.pledges.hold_all([second.id, first.id, second.id + 1])
        backer = await uow.backers.get(backer_id)
    assert held == {
        first.id: (first, backer, FundingModel.ALL_OR_NOTHING),
        second.id: (second, backer, FundingModel.ALL_OR_NOTHING),
    }


async def test_a_held_pledge_keeps_others_waiting_until_its_transaction_ends(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2]))
    holding = database.unit_of_work()
    await holding.__aenter__()
    try:
        assert await holding.pledges.hold(stored.id) is not None

        async def hold_meanwhile() -> Pledge:
            async with database.unit_of_work() as uow:
                held = await uow.pledges.hold(stored.id)
            assert held is not None
            return held[0]

        waiting = asyncio.create_task(hold_meanwhile())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await holding.pledges.transition(stored.id, PledgeStatus.PENDING, PledgeStatus.PAID, LATER)
        await holding.commit()
    finally:
        await holding.__aexit__(None, None, None)

    assert (await waiting).status is PledgeStatus.PAID


async def test_referral_figures_count_only_counted_pledges(
    database: Database, ids: tuple[int, int, int]
) -> None:
    _, campaign_id, _ = ids

    async def pledges(uow: UnitOfWork) -> None:
        ann = await uow.backers.add(a_backer("2"))
        bob = await uow.backers.add(a_backer("3"))
        for backer, code, amount, status, refunded in [
            (ann, "big", 5_000, PledgeStatus.PAID, 1_000),
            (ann, "big", 2_000, PledgeStatus.AUTHORIZED, 0),
            (bob, "big", 1_000, PledgeStatus.PAID, 0),
            (bob, "small", 3_000, PledgeStatus.PAID, 0),
            (bob, "small", 9_000, PledgeStatus.PENDING, 0),
            (bob, "none", 9_000, PledgeStatus.REFUNDED, 9_000),
            (bob, None, 9_000, PledgeStatus.PAID, 0),
        ]:
            await uow.pledges.add(
                a_pledge(
                    backer.id,
                    campaign_id,
                    referral_code=code,
                    amount=Money(amount, "EUR"),
                    status=status,
                    refunded_amount=refunded,
                )
            )

    await committed(database, pledges)
    async with database.unit_of_work() as uow:
        assert (
            await uow.pledges.count_referrals("big", campaign_id) == 2
        )  # two people, one of whom pledged twice
        assert await uow.pledges.count_referrals("none", campaign_id) == 0
        assert await uow.pledges.count_referrals("big", campaign_id + 1) == 0
        assert await uow.pledges.referral_stats(campaign_id) == [
            ("big", 2, 7_000),
            ("small", 1, 3_000),
        ]


async def test_stale_pending_lists_old_pending_pledges_oldest_first(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    hour = timedelta(hours=1)
    oldest = await add(database, a_pledge(backer_id, campaign_id, created_at=NOW - 3 * hour))
    old = await add(database, a_pledge(backer_id, campaign_id, created_at=NOW - 2 * hour))
    await add(database, a_pledge(backer_id, campaign_id, created_at=NOW))
    await add(
        database,
        a_pledge(backer_id, campaign_id, created_at=NOW - 3 * hour, status=PledgeStatus.PAID),
    )
    async with database.unit_of_work() as uow:
        assert await uow.pledges.stale_pending(NOW - hour) == [oldest, old]


async def test_paid_pledges_to_an_account_are_listed_until_their_transfer_is_known(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    paid = PledgeStatus.PAID
    older = await add(database, a_pledge(backer_id, campaign_id, status=paid))
    newer = await add(database, a_pledge(backer_id, campaign_id, status=paid, created_at=LATER))
    authorized = await add(
        database, a_pledge(backer_id, campaign_id, status=PledgeStatus.AUTHORIZED)
    )
    await add(database, a_pledge(backer_id, campaign_id, status=paid))

    async def send_to_accounts(uow: UnitOfWork) -> None:
        for pledge in (newer, older, authorized):
            await uow.pledges.set_destination(pledge.id, "acct_1", 100)

    await committed(database, send_to_accounts)
    async with database.unit_of_work() as uow:
        waiting = await uow.pledges.paid_without_transfer()
    assert waiting == [replace(p, payout_account="acct_1", fee=100) for p in (older, newer)]

    async def transfer(uow: UnitOfWork) -> None:
        await uow.pledges.set_payment_refs(older.id, transfer_id="tr_1")
        await uow.pledges.set_payment_refs(older.id, payment_intent_id="pi_1")

    await committed(database, transfer)
    async with database.unit_of_work() as uow:
        assert await uow.pledges.paid_without_transfer() == [waiting[1]]
    assert await get(database, older.id) == replace(
        waiting[0], transfer_id="tr_1", payment_intent_id="pi_1"
    )


async def test_a_transition_records_the_transfer_given(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2], payout_account="acct_1", transfer_id="tr_1"))

    async def pay(uow: UnitOfWork) -> None:
        await uow.pledges.transition(stored.id, PledgeStatus.PENDING, PledgeStatus.FAILED, LATER)
        refs = PaymentRefs(transfer_id="tr_2")
        await uow.pledges.transition(
            stored.id, PledgeStatus.FAILED, PledgeStatus.PAID, LATER, refs=refs
        )

    await committed(database, pay)
    assert (await get(database, stored.id)).transfer_id == "tr_2"


async def test_a_dispute_only_moves_from_the_expected_state(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2], status=PledgeStatus.PAID))

    async def dispute(uow: UnitOfWork) -> list[bool]:
        moves = [
            (DisputeState.OPEN, DisputeState.WON, 2_500),
            (None, DisputeState.OPEN, 2_000),
            (None, DisputeState.OPEN, 2_500),
            (DisputeState.WON, DisputeState.LOST, 2_500),
            (DisputeState.OPEN, DisputeState.LOST, 1_500),
        ]
        return [
            await uow.pledges.set_dispute(stored.id, expected, state, amount)
            for expected, state, amount in moves
        ]

    assert await committed(database, dispute) == [False, True, False, False, True]
    assert await get(database, stored.id) == replace(
        stored, dispute=DisputeState.LOST, disputed_amount=1_500
    )
    async with database.unit_of_work() as uow:
        assert not await uow.pledges.set_dispute(stored.id + 1, None, DisputeState.OPEN, 1)


@pytest.mark.parametrize(
    "changes",
    [{"fee": -1}, {"fee": 2_501}, {"disputed_amount": -1}, {"disputed_amount": 2_501}],
)
async def test_a_fee_or_dispute_beyond_the_pledges_amount_is_refused(
    database: Database, ids: tuple[int, int, int], changes: dict[str, int]
) -> None:
    with pytest.raises(IntegrityError):
        await add(database, a_pledge(*ids[:2], **changes))


async def test_a_destination_whose_fee_passes_the_amount_is_refused(
    database: Database, ids: tuple[int, int, int]
) -> None:
    stored = await add(database, a_pledge(*ids[:2], fee=2_500, disputed_amount=2_500))
    with pytest.raises(IntegrityError):
        await committed(database, lambda uow: uow.pledges.set_destination(stored.id, "a", 2_501))
    assert await get(database, stored.id) == stored


async def test_referral_figures_leave_out_what_disputes_hold_back(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    for code, amount, dispute, disputed in [
        ("x", 5_000, DisputeState.OPEN, 2_000),
        ("x", 3_000, DisputeState.WON, 3_000),
        ("y", 4_000, DisputeState.LOST, 1_000),
    ]:
        await add(
            database,
            a_pledge(
                backer_id,
                campaign_id,
                referral_code=code,
                amount=Money(amount, "EUR"),
                status=PledgeStatus.PAID,
                dispute=dispute,
                disputed_amount=disputed,
            ),
        )
    async with database.unit_of_work() as uow:
        assert await uow.pledges.referral_stats(campaign_id) == [("x", 1, 6_000), ("y", 1, 3_000)]


async def test_funding_days_add_up_each_utc_day_from_the_pledges_themselves(
    database: Database, ids: tuple[int, int, int]
) -> None:
    ann_id, campaign_id, _ = ids
    first = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    day = timedelta(days=1)
    paris = timezone(timedelta(hours=1))

    async def pledges(uow: UnitOfWork) -> None:
        bob = await uow.backers.add(a_backer("2"))
        cy = await uow.backers.add(a_backer("3"))
        other = await uow.campaigns.add(a_campaign("other"))
        paid, refunded = PledgeStatus.PAID, PledgeStatus.REFUNDED
        for backer_id, amount, status, created, updated, refunded_amount in [
            (ann_id, 5_000, paid, first, first, 1_000),
            # 00:30 in Paris is still the day before in UTC.
            (
                bob.id,
                2_000,
                PledgeStatus.AUTHORIZED,
                datetime(2026, 12, 2, 0, 30, tzinfo=paris),
                first,
                0,
            ),
            (bob.id, 7_000, refunded, first, first + 3 * day, 7_000),
            (ann_id, 3_000, paid, first + 2 * day, first + 2 * day, 0),
            (cy.id, 9_000, PledgeStatus.PENDING, first + 2 * day, first + 2 * day, 0),
            (cy.id, 1_000, PledgeStatus.FAILED, first + 2 * day, first + 2 * day, 0),
        ]:
            await uow.pledges.add(
                a_pledge(
                    backer_id,
                    campaign_id,
                    amount=Money(amount, "EUR"),
                    status=status,
                    created_at=created,
                    updated_at=updated,
                    refunded_amount=refunded_amount,
                )
            )
        await uow.pledges.add(a_pledge(cy.id, other.id, status=paid, created_at=first + day))

    await committed(database, pledges)
    async with database.unit_of_work() as uow:
        days = await uow.pledges.funding_days(campaign_id)
        counted = await uow.pledges.of_campaign(campaign_id, COUNTED)

    assert days == [
        FundingDay(date(2026, 12, 1), 4_000 + 2_000 + 7_000, 2),
        FundingDay(date(2026, 12, 3), 3_000, 0),
        FundingDay(date(2026, 12, 4), -7_000, 0),
    ]
    assert sum(d.raised for d in days) == sum(p.counted_amount for p in counted)


async def test_a_campaign_without_pledges_has_no_funding_days(
    database: Database, ids: tuple[int, int, int]
) -> None:
    backer_id, campaign_id, _ = ids
    await add(database, a_pledge(backer_id, campaign_id, status=PledgeStatus.EXPIRED))
    async with database.unit_of_work() as uow:
        assert await uow.pledges.funding_days(campaign_id) == []
