"""Raising a paid flexible pledge: the difference paid on its own page, applied once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.campaigns import Campaign
from core.errors import CannotChange, CannotLower, TierSoldOut
from core.i18n import use_locale
from core.money import Money
from core.outbox import PledgeReceipt
from core.payments import CheckoutMode, OutcomeKind
from core.pledge_links import PledgeLinkSigner, TopUpLink
from core.pledges import Pledge, PledgeStatus
from core.reservations import CHECKOUT_LIFETIME
from core.usecases.cancelling import cancel_pledge
from core.usecases.changing import ChangeRequest, change_pledge
from core.usecases.checkout import (
    ReturnUrls,
    begin_top_up,
    confirm_checkout,
    sweep_stale_checkouts,
)
from core.usecases.exporting import campaign_backers
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits
from core.views.notices import NoticeContext, notice
from core.views.pledge_changes import change_reply
from tests.core.conftest import caller
from tests.core.test_changing import backed, figures
from tests.delivery_fakes import FakeLinks
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

URLS = ReturnUrls("https://b.test/ok?s={CHECKOUT_SESSION_ID}", lambda _: "https://b.test/back")
SIGNER = PledgeLinkSigner("k" * 32, timedelta(days=7))


async def paid(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    tier: int | None = 0,
    amount: int | None = None,
) -> Pledge:
    """A flexible pledge paid already (the Early bird at €50 unless told)."""
    return await backed(db, clock, limits, campaign, 1, tier, amount, OutcomeKind.PAID)


async def follow(
    db: FakeDatabase,
    clock: FixedClock,
    gateway: FakeGateway,
    link: TopUpLink,
    key: str = "u1",
) -> tuple[int, str | None]:
    """Follow a top-up link: the pledge (or top-up) it leads to and the page to pay on."""
    start = await begin_top_up(db.unit_of_work, clock, gateway, PledgeLimits(), link, key, URLS)
    return start.pledge.id, start.checkout_url


def link(clock: FixedClock, pledge: Pledge, tier_id: int | None, amount: int | None) -> TopUpLink:
    """A top-up link, as a chat adapter makes it from a change's answer."""
    return SIGNER.new_top_up(clock.now(), pledge.id, tier_id, amount)


def top_up_of(db: FakeDatabase, pledge: Pledge) -> Pledge:
    """The one top-up started for a pledge."""
    (found,) = [p for p in db.state.pledges.values() if p.tops_up == pledge.id]
    return found


async def pay(db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, top_up: Pledge) -> None:
    """The backer pays the top-up's page; its webhook is applied."""
    assert top_up.checkout_session_id is not None
    outcome = gateway.pay(top_up.checkout_session_id, OutcomeKind.PAID, payment_intent_id="pi_t")
    await apply_payment_outcome(db.unit_of_work(), clock, replace(outcome, event_id="evt_top"))


async def test_asking_a_larger_reward_of_a_paid_pledge_tells_the_difference_and_moves_nothing(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    request = ChangeRequest(caller(1), pledge.id, campaign.tiers[1].id)

    change = await change_pledge(db.unit_of_work, clock, gateway, limits, request)

    assert change.changed is False
    assert change.top_up is not None
    assert (change.top_up.amount, change.top_up.difference) == (
        Money(7_500, "EUR"),
        Money(2_500, "EUR"),
    )
    assert gateway.partial_refunds == {}
    assert gateway.requests == []
    assert figures(db, campaign) == (5_000, 1, [1, 0])
    with use_locale("fr"):
        offer = change_reply(change, "https://b.test/pledge/top-up/t")
    assert offer.buttons[0][0].label == "Payer la différence de 25,00\xa0€"
    assert offer.buttons[0][0].url == "https://b.test/pledge/top-up/t"
    assert "75,00\xa0€ pour «\xa0Lamp\xa0»" in offer.text


async def test_the_top_up_page_charges_the_difference_and_holds_the_new_reward(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    lamp = campaign.tiers[1].id

    _, page = await follow(db, clock, gateway, link(clock, pledge, lamp, None))

    assert page is not None
    (request,) = gateway.requests
    assert (request.mode, request.amount) == (CheckoutMode.PAYMENT, Money(2_500, "EUR"))
    assert request.item_name == "Pledge raised to €75.00 for “Lamp”"
    assert request.item_description == campaign.title
    top_up = top_up_of(db, pledge)
    assert (top_up.status, top_up.tier_id, top_up.backer_id) == (
        PledgeStatus.PENDING,
        lamp,
        pledge.backer_id,
    )
    # Held for the page like any pledge at checkout; the total waits for the payment.
    assert figures(db, campaign) == (5_000, 1, [1, 1])


async def test_the_same_link_followed_again_resumes_its_page_and_another_waits(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    first = link(clock, pledge, campaign.tiers[1].id, None)

    _, page = await follow(db, clock, gateway, first)
    _, again = await follow(db, clock, gateway, first)

    assert again == page
    assert len(gateway.requests) == 1
    other = link(clock, pledge, campaign.tiers[1].id, 9_000)
    with pytest.raises(CannotChange):
        await follow(db, clock, gateway, other, key="u2")
    assert len([p for p in db.state.pledges.values() if p.tops_up == pledge.id]) == 1


async def test_a_paid_top_up_moves_the_reward_and_counts_the_difference_once(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    lamp = campaign.tiers[1].id
    await follow(db, clock, gateway, link(clock, pledge, lamp, None))
    top_up = top_up_of(db, pledge)

    await pay(db, clock, gateway, top_up)
    await pay(db, clock, gateway, top_up)  # the same event replayed
    assert top_up.checkout_session_id is not None
    # The success page reads the same news, without an event id.
    confirmed = await confirm_checkout(db.unit_of_work, clock, gateway, top_up.checkout_session_id)

    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.amount, stored.topped_up) == (lamp, Money(5_000, "EUR"), 2_500)
    assert stored.backed_amount == 7_500
    assert top_up_of(db, pledge).tier_id is None
    # One unit of the Lamp (the top-up's), the Early bird's back; one backer, €75.
    assert figures(db, campaign) == (7_500, 1, [0, 1])
    assert confirmed is not None
    assert confirmed.pledge.id == pledge.id
    receipts = [
        m.notification.event
        for m in db.state.outbox
        if isinstance(m.notification.event, PledgeReceipt) and m.notification.event.raised
    ]
    assert len(receipts) == 1
    assert (receipts[0].amount, receipts[0].tier_id) == (Money(7_500, "EUR"), lamp)
    context = NoticeContext(db.state.campaigns[campaign.id], None, FakeLinks(), clock.now())
    with use_locale("fr"):
        told = notice(receipts[0], context)
    assert told.title == "Contribution modifiée"
    assert told.text.startswith(
        "Votre contribution à «\xa0The Reading Lamp\xa0» est maintenant de 75,00\xa0€ pour "
        "«\xa0Lamp\xa0»."
    )


async def test_a_larger_amount_keeps_the_reward_and_moves_no_unit(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    early = campaign.tiers[0].id
    await follow(db, clock, gateway, link(clock, pledge, early, 6_000))
    top_up = top_up_of(db, pledge)
    assert (top_up.tier_id, top_up.amount) == (None, Money(1_000, "EUR"))

    await pay(db, clock, gateway, top_up)

    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.backed_amount) == (early, 6_000)
    assert figures(db, campaign) == (6_000, 1, [1, 0])


async def test_a_top_up_left_unpaid_expires_and_changes_nothing(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[1].id, None))

    clock.advance(CHECKOUT_LIFETIME + timedelta(minutes=1))
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 1

    assert top_up_of(db, pledge).status is PledgeStatus.EXPIRED
    stored = db.state.pledges[pledge.id]
    assert (stored.tier_id, stored.topped_up) == (campaign.tiers[0].id, 0)
    assert figures(db, campaign) == (5_000, 1, [1, 0])


async def test_a_reward_sold_out_before_the_link_is_followed_starts_no_top_up(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign, tier=None, amount=3_000)
    early = db.state.campaigns[campaign.id].tiers[0]
    early.claimed = early.quantity_limit or 0

    with pytest.raises(TierSoldOut):
        await follow(db, clock, gateway, link(clock, pledge, early.id, None))

    assert [p for p in db.state.pledges.values() if p.tops_up == pledge.id] == []
    assert gateway.requests == []


async def test_a_topped_up_pledge_goes_up_again_but_not_down(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[0].id, 6_000))
    await pay(db, clock, gateway, top_up_of(db, pledge))

    down = ChangeRequest(caller(1), pledge.id, campaign.tiers[0].id, Money(5_500, "EUR"))
    with pytest.raises(CannotLower):
        await change_pledge(db.unit_of_work, clock, gateway, limits, down)
    up = ChangeRequest(caller(1), pledge.id, campaign.tiers[1].id)
    change = await change_pledge(db.unit_of_work, clock, gateway, limits, up)
    assert change.top_up is not None
    assert change.top_up.difference == Money(1_500, "EUR")
    assert gateway.partial_refunds == {}


async def test_cancelling_a_topped_up_pledge_refunds_both_payments(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[1].id, None))
    top_up = top_up_of(db, pledge)
    await pay(db, clock, gateway, top_up)

    cancelled = await cancel_pledge(db.unit_of_work, clock, gateway, caller(1), pledge.id)

    assert cancelled.status is PledgeStatus.REFUNDED
    assert sorted(pledge_id for pledge_id, _ in gateway.refunds) == sorted([pledge.id, top_up.id])
    assert top_up_of(db, pledge).status is PledgeStatus.REFUNDED
    assert figures(db, campaign) == (0, 0, [0, 0])


async def test_cancelling_a_pledge_closes_its_top_up_page(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[1].id, None))
    top_up = top_up_of(db, pledge)

    await cancel_pledge(db.unit_of_work, clock, gateway, caller(1), pledge.id)

    assert gateway.expired == [top_up.checkout_session_id]
    assert top_up_of(db, pledge).status is PledgeStatus.CANCELLED
    assert figures(db, campaign) == (0, 0, [0, 0])


async def test_a_top_up_is_not_one_of_the_backers_pledges(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[1].id, None))
    await pay(db, clock, gateway, top_up_of(db, pledge))
    async with db.unit_of_work() as uow:
        mine = await uow.pledges.of_backer(pledge.backer_id)
    assert [p.id for p in mine] == [pledge.id]


async def test_the_backers_list_shows_a_raised_pledge_once_with_its_new_reward_and_amount(
    db: FakeDatabase,
    clock: FixedClock,
    limits: PledgeLimits,
    campaign: Campaign,
    gateway: FakeGateway,
) -> None:
    pledge = await paid(db, clock, limits, campaign)
    await follow(db, clock, gateway, link(clock, pledge, campaign.tiers[1].id, None))
    await pay(db, clock, gateway, top_up_of(db, pledge))

    rows = await campaign_backers(db.unit_of_work, campaign.slug)

    assert [(row.pledge_id, row.tier, row.amount) for row in rows] == [(pledge.id, "Lamp", 7_500)]
