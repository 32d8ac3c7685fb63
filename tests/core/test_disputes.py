"""Disputes out of the total while open or lost, and the statement that sums a campaign up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign
from core.errors import CannotCancel, CannotChange
from core.i18n import use_locale
from core.moments import date_time
from core.money import Money
from core.outbox import DisputeOpened, MilestoneReached, PayoutsChanged
from core.payments import OutcomeKind
from core.payouts import DisputeReport, DisputeState
from core.statements import statement
from core.usecases.backers import choose_language
from core.usecases.cancelling import pledge_to_cancel
from core.usecases.changing import pledge_to_change
from core.views.notices import NoticeContext, notice
from tests.core.conftest import CREATOR, apply, caller, pledged
from tests.delivery_fakes import FakeLinks
from tests.fakes import FakeDatabase, FixedClock


async def paid(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, user: int, amount: int
) -> int:
    """A paid flexible pledge, with Backit's fee recorded on it."""
    pledge = await pledged(db, clock, campaign, user, amount)
    await apply(db, clock, pledge, OutcomeKind.PAID, event_id=f"evt_paid_{pledge}")
    db.state.pledges[pledge].payout_account = "acct_1"
    db.state.pledges[pledge].fee = amount * 5 // 100 + 30
    return pledge


async def disputed(
    db: FakeDatabase,
    clock: FixedClock,
    pledge: int,
    state: DisputeState,
    amount: int,
    event: str,
) -> None:
    """Apply news of a dispute of a pledge's charge."""
    due = clock.now() + timedelta(days=7) if state is DisputeState.OPEN else None
    report = DisputeReport(state, amount, "product_not_received", due)
    await apply(db, clock, pledge, OutcomeKind.DISPUTE, event_id=event, dispute=report)


def raised(db: FakeDatabase, campaign: Campaign) -> int:
    """The campaign's total as stored."""
    return db.state.campaigns[campaign.id].raised


async def test_an_open_dispute_leaves_the_total_once_and_tells_the_creator_only(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await paid(db, clock, campaign, 5, 60_000)
    before = len(db.state.outbox)
    for _ in range(3):
        await disputed(db, clock, pledge, DisputeState.OPEN, 60_000, "evt_dp_1")
    # The same news from another event (a reconcile replay) changes nothing either.
    await disputed(db, clock, pledge, DisputeState.OPEN, 60_000, "evt_dp_1_again")
    assert raised(db, campaign) == 0
    assert db.state.campaigns[campaign.id].backers_count == 1
    told = db.state.outbox[before:]
    assert [(m.recipient.address, type(m.notification.event)) for m in told] == [
        (CREATOR.user_id, DisputeOpened)
    ]
    event = told[0].notification.event
    assert isinstance(event, DisputeOpened)
    assert (event.amount, event.reason) == (Money(60_000, "EUR"), "product_not_received")
    assert event.evidence_due_by == clock.now() + timedelta(days=7)


async def test_a_won_dispute_gives_the_total_back_and_a_lost_one_keeps_it_out(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    won = await paid(db, clock, campaign, 5, 60_000)
    lost = await paid(db, clock, campaign, 6, 50_000)
    funded = [m for m in db.state.outbox if isinstance(m.notification.event, MilestoneReached)]
    await disputed(db, clock, won, DisputeState.OPEN, 60_000, "evt_1")
    await disputed(db, clock, lost, DisputeState.OPEN, 50_000, "evt_2")
    assert raised(db, campaign) == 0
    await disputed(db, clock, won, DisputeState.WON, 60_000, "evt_3")
    await disputed(db, clock, lost, DisputeState.LOST, 50_000, "evt_4")
    # Closed disputes stay closed: news that one opened, arriving late, changes nothing.
    await disputed(db, clock, won, DisputeState.OPEN, 60_000, "evt_late")
    assert raised(db, campaign) == 60_000
    assert db.state.pledges[won].dispute is DisputeState.WON
    assert db.state.pledges[lost].dispute is DisputeState.LOST
    # The goal was announced when it was first crossed, and is never announced twice.
    again = [m for m in db.state.outbox if isinstance(m.notification.event, MilestoneReached)]
    assert again == funded


async def test_a_lost_dispute_heard_of_only_when_closed_leaves_the_total_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await paid(db, clock, campaign, 5, 10_000)
    await disputed(db, clock, pledge, DisputeState.LOST, 10_000, "evt_closed")
    await disputed(db, clock, pledge, DisputeState.LOST, 10_000, "evt_closed_again")
    assert raised(db, campaign) == 0
    assert [m for m in db.state.outbox if m.notification.type == "dispute"] == []


async def test_a_dispute_after_a_partial_refund_claims_no_more_than_was_kept(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await paid(db, clock, campaign, 5, 10_000)
    await apply(db, clock, pledge, OutcomeKind.REFUNDED, event_id="evt_r", refunded_total=4_000)
    await disputed(db, clock, pledge, DisputeState.OPEN, 10_000, "evt_dp")
    assert db.state.pledges[pledge].disputed_amount == 6_000
    assert raised(db, campaign) == 0


async def test_a_statement_adds_up_payments_fees_refunds_and_disputes(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    kept = await paid(db, clock, campaign, 5, 2_599)
    halved = await paid(db, clock, campaign, 6, 10_000)
    refunded = await paid(db, clock, campaign, 7, 5_000)
    contested = await paid(db, clock, campaign, 8, 3_000)
    await pledged(db, clock, campaign, 9, 7_000)  # never paid: not on the statement
    await apply(db, clock, halved, OutcomeKind.REFUNDED, event_id="e1", refunded_total=5_000)
    await apply(db, clock, refunded, OutcomeKind.REFUNDED, event_id="e2", refunded_total=5_000)
    await disputed(db, clock, contested, DisputeState.OPEN, 3_000, "e3")
    sheet = statement(db.state.campaigns[campaign.id], db.state.pledges.values())
    assert [line.pledge_id for line in sheet.lines] == [kept, halved, refunded, contested]
    fees = [line.fee.amount for line in sheet.lines]
    # 159 kept in full; half of 530 given back; all of 280 given back; 180 kept.
    assert fees == [159, 265, 0, 180]
    assert [line.net.amount for line in sheet.lines] == [2_440, 4_735, 0, 2_820]
    assert sheet.raised == Money(20_599, "EUR")
    assert sheet.refunded == Money(10_000, "EUR")
    assert sheet.fee == Money(604, "EUR")
    assert sheet.disputed == Money(3_000, "EUR")
    assert sheet.receives == Money(20_599 - 10_000 - 604, "EUR")
    assert sheet.lines[3].dispute is DisputeState.OPEN


async def test_the_creator_reads_why_a_pledge_is_disputed_and_by_when_in_their_language(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await paid(db, clock, campaign, 5, 60_000)
    # The creator chose French in the chat; a creator who never wrote would read English.
    await choose_language(db.unit_of_work(), caller(int(CREATOR.user_id)), "fr")
    await disputed(db, clock, pledge, DisputeState.OPEN, 60_000, "evt_dp")
    [message] = [m for m in db.state.outbox if m.notification.type == "dispute"]
    context = NoticeContext(db.state.campaigns[campaign.id], None, FakeLinks(), clock.now())
    with use_locale(message.recipient.locale):
        told = notice(message.notification.event, context)
        due = date_time(clock.now() + timedelta(days=7))
    assert told.title == "Une contribution à The Reading Lamp est contestée"
    assert told.text == (
        "Le contributeur n°\u00a01 a contesté 600,00\u00a0€ auprès de sa banque\u00a0: la "
        "récompense n’est jamais arrivée. Ce montant est retiré de votre total tant que la "
        "contestation est ouverte.\nEnvoyez vos preuves (preuve de livraison, vos échanges avec "
        f"le contributeur) à l’équipe qui gère Backit avant le {due}."
    )
    with use_locale("en"):
        paused = notice(PayoutsChanged(campaign.id, taking=False), context)
    assert paused.title == "New pledges to The Reading Lamp are paused"
    assert paused.text.endswith("Finish setting it up with /payouts.")


async def test_a_disputed_pledge_is_neither_cancelled_nor_changed_while_its_bank_decides(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    pledge = await paid(db, clock, campaign, 5, 10_000)
    await disputed(db, clock, pledge, DisputeState.OPEN, 10_000, "evt_dp")
    backer = caller(5)
    with pytest.raises(CannotCancel) as cancelling:
        await pledge_to_cancel(db.unit_of_work, clock, backer, pledge)
    with pytest.raises(CannotChange) as changing:
        await pledge_to_change(db.unit_of_work, clock, backer, pledge)
    for refused in (cancelling.value, changing.value):
        assert refused.user_message().endswith("your bank is handling a dispute about it.")
    # Won, the charge is the backer's to take back again.
    await disputed(db, clock, pledge, DisputeState.WON, 10_000, "evt_won")
    assert (await pledge_to_cancel(db.unit_of_work, clock, backer, pledge))[0].id == pledge
