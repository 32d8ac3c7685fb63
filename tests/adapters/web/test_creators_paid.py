"""Creators paid through their own Stripe accounts, end to end: onboarding, destination charges
less Backit's fee, refunds and disputes, and statements that agree with Stripe's transfers."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import urljoin

import aiohttp
import pytest
import stripe

from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payouts import FeePolicy, PayoutsNotReady, PayoutTerms
from core.pledges import Pledge, PledgeStatus
from core.statements import Statement, statement
from core.usecases.closing import close_due_campaigns
from core.usecases.payouts import open_payouts
from core.usecases.reconciling import reconcile_payouts
from core.usecases.settling import settle_due
from tests.adapters.web.test_stripe_webhook import signed
from tests.payment_fixtures import RunningBackit, fetch
from tests.stripe_standin_fixtures import CONNECT_WEBHOOK_SECRET, WEBHOOK_SECRET, client_of

TERMS = PayoutTerms(connect=True, fees=FeePolicy(500, {"EUR": 30, "USD": 30, "GBP": 20, "JPY": 40}))
ADA = Identity(Platform.TELEGRAM, "1000")
BO = Identity(Platform.DISCORD, "80351110224678912")
DISPUTE_CARD = "4000 0000 0000 0259"


@pytest.fixture
def payout_terms() -> PayoutTerms:
    """Creators are paid into their own accounts, less 5 % and a fixed part."""
    return TERMS


async def onboard_in_browser(
    backit: RunningBackit, browser: aiohttp.ClientSession, creator: Identity
) -> str:
    """/payouts, then Stripe's onboarding page completed and Backit's return page read; the
    account's id."""
    assert backit.services.payouts is not None
    assert backit.services.payout_pages is not None
    status = await open_payouts(
        backit.database.unit_of_work,
        backit.clock,
        backit.services.payouts,
        Caller(creator, "Ada", "en"),
        None,
        TERMS,
        backit.services.payout_pages,
    )
    page = await fetch(browser, status.url)
    assert page.status == 200, page.text
    form = re.search(r'<form[^>]*action="([^"]*)"', page.text)
    action = urljoin(status.url, unescape(form[1])) if form else status.url
    done = await fetch(browser, action, form={})
    assert done.status == 303
    assert done.location is not None
    assert done.location.startswith(f"{backit.url}/payouts/return/")
    landed = await fetch(browser, done.location)
    assert "Your payout account is ready" in landed.text
    await backit.standin.wait_for_deliveries()
    return status.account.account_id


async def onboard(backit: RunningBackit, creator: Identity) -> str:
    """/payouts, and onboarding completed on Stripe's side; the account's id."""
    assert backit.services.payouts is not None
    assert backit.services.payout_pages is not None
    status = await open_payouts(
        backit.database.unit_of_work,
        backit.clock,
        backit.services.payouts,
        Caller(creator, "Bo", "fr"),
        None,
        TERMS,
        backit.services.payout_pages,
    )
    await backit.standin.complete_onboarding(status.account.account_id)
    await backit.standin.wait_for_deliveries()
    return status.account.account_id


async def back(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    campaign: Campaign,
    user: int,
    amount: int,
    card: str = "4242 4242 4242 4242",
) -> Pledge:
    """A backer pays a custom amount through Checkout; the pledge as committed."""
    backer = await backit.backer(user)
    await backit.back(browser, backit.pledge_url(backer, campaign, amount=amount), card)
    await backit.standin.wait_for_deliveries()
    mine = [p for p in await backit.pledges(campaign.id) if p.backer_id == backer.id]
    return mine[-1]


async def sheet(backit: RunningBackit, campaign: Campaign) -> Statement:
    """A campaign's statement as the CLI and /mycampaigns compute it."""
    return statement(await backit.reload(campaign.id), await backit.pledges(campaign.id))


async def assert_agrees_with_stripe(
    backit: RunningBackit, account_id: str, sums: Statement
) -> None:
    """Every line's fee and net are the application fee and transfer Stripe holds now."""
    async with client_of(backit.standin) as client:
        for line in sums.lines:
            pledge = await backit.pledge(line.pledge_id)
            assert pledge.payment_intent_id is not None
            intent = await client.v1.payment_intents.retrieve_async(
                pledge.payment_intent_id, {"expand": ["latest_charge"]}
            )
            charge = intent.latest_charge
            assert isinstance(charge, stripe.Charge)
            transfer = await client.v1.transfers.retrieve_async(str(charge.transfer))
            fee = await client.v1.application_fees.retrieve_async(str(charge.application_fee))
            assert transfer.destination == account_id
            assert transfer.amount - transfer.amount_reversed == line.net.amount
            assert fee.amount - fee.amount_refunded == line.fee.amount
            assert pledge.transfer_id in (None, transfer.id)


async def test_two_creators_onboard_and_receive_each_pledge_less_the_fee_in_four_currencies(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    ada = await onboard_in_browser(backit, browser, ADA)
    bo = await onboard(backit, BO)
    assert ada != bo
    euros = await backit.campaign("lamp", goal=100_000, currency="EUR", creator=ADA)
    dollars = await backit.campaign("desk", goal=100_000, currency="USD", creator=ADA)
    pounds = await backit.campaign("chair", goal=100_000, currency="GBP", creator=BO)
    yen = await backit.campaign("kettle", goal=1_000_000, currency="JPY", creator=BO)
    # 5 % of each rounds down: 129.95 → 129, 99.95 → 99, 166.65 → 166, ¥99.95 → ¥99.
    for campaign, amount, fee, account in (
        (euros, 2_599, 159, ada),
        (dollars, 1_999, 129, ada),
        (pounds, 3_333, 186, bo),
        (yen, 1_999, 139, bo),
    ):
        pledge = await back(backit, browser, campaign, 1, amount)
        assert (pledge.status, pledge.payout_account, pledge.fee) == (
            PledgeStatus.PAID,
            account,
            fee,
        )
        sums = await sheet(backit, campaign)
        currency = campaign.goal.currency
        assert (sums.raised, sums.fee, sums.receives) == (
            Money(amount, currency),
            Money(fee, currency),
            Money(amount - fee, currency),
        )
        await assert_agrees_with_stripe(backit, account, sums)
    # Reading back what the webhooks did not carry fills every transfer in.
    await reconcile_payouts(backit.database.unit_of_work, backit.clock, backit.services.payouts)  # type: ignore[arg-type]
    for campaign in (euros, dollars, pounds, yen):
        assert all(p.transfer_id for p in await backit.pledges(campaign.id))


async def test_an_all_or_nothing_deadline_charge_pays_the_creators_account(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    campaign = await backit.campaign(
        "aon", model=FundingModel.ALL_OR_NOTHING, goal=5_000, ends_in=timedelta(days=2)
    )
    saved = await back(backit, browser, campaign, 1, 6_000)
    assert saved.status is PledgeStatus.AUTHORIZED
    backit.clock.advance(timedelta(days=3))
    await close_due_campaigns(backit.database.unit_of_work, backit.clock)
    await settle_due(backit.database.unit_of_work, backit.clock, backit.services.gateway, TERMS)
    await backit.standin.wait_for_deliveries()
    charged = await backit.pledge(saved.id)
    assert (charged.status, charged.payout_account, charged.fee) == (
        PledgeStatus.PAID,
        account,
        330,
    )
    await assert_agrees_with_stripe(backit, account, await sheet(backit, campaign))


async def test_refunds_full_partial_and_twice_agree_with_the_transfers(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    campaign = await backit.campaign(goal=100_000)
    whole = await back(backit, browser, campaign, 1, 2_599)
    halves = await back(backit, browser, campaign, 2, 10_001)
    gateway = backit.services.gateway
    await gateway.refund(whole, f"refund-{whole.id}")
    await gateway.refund(halves, f"refund-{halves.id}-1", Money(3_333, "EUR"))
    await gateway.refund(halves, f"refund-{halves.id}-2", Money(1_111, "EUR"))
    # A retried request (same key) refunds nothing more.
    await gateway.refund(halves, f"refund-{halves.id}-2", Money(1_111, "EUR"))
    await backit.standin.wait_for_deliveries()
    sums = await sheet(backit, campaign)
    assert [line.status for line in sums.lines] == [PledgeStatus.REFUNDED, PledgeStatus.PAID]
    assert sums.refunded == Money(2_599 + 4_444, "EUR")
    assert (await backit.reload(campaign.id)).raised == 10_001 - 4_444
    await assert_agrees_with_stripe(backit, account, sums)
    assert sums.lines[0].net == sums.lines[0].fee == Money(0, "EUR")


async def test_a_dispute_leaves_the_total_until_won_and_a_lost_one_stays_out(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    campaign = await backit.campaign(goal=100_000)
    won = await back(backit, browser, campaign, 1, 4_000, DISPUTE_CARD)
    lost = await back(backit, browser, campaign, 2, 3_000, DISPUTE_CARD)
    kept = await back(backit, browser, campaign, 3, 2_000)
    assert (await backit.reload(campaign.id)).raised == 2_000
    disputes = await backit.outbox("dispute")
    assert sorted(m.notification.data["pledge_id"] for m in disputes) == [won.id, lost.id]
    assert {m.recipient.address for m in disputes} == {ADA.user_id}
    opened = {
        e["data"]["object"]["payment_intent"]: e
        for e in backit.standin.events()
        if e["type"] == "charge.dispute.created"
    }
    for pledge, verdict in ((won, True), (lost, False)):
        dispute = opened[pledge.payment_intent_id]["data"]["object"]
        await backit.standin.close_dispute(dispute["id"], won=verdict)
    await backit.standin.wait_for_deliveries()
    assert (await backit.reload(campaign.id)).raised == 2_000 + 4_000
    sums = await sheet(backit, campaign)
    assert sums.disputed == Money(3_000, "EUR")
    assert [line.dispute for line in sums.lines] == ["won", "lost", None]
    assert kept.dispute is None
    await assert_agrees_with_stripe(backit, account, sums)
    # The backer heard nothing of it: their only news is their receipt.
    receipts = await backit.outbox("receipt")
    assert all(m.notification.data["status"] == "paid" for m in receipts)


async def test_an_account_losing_charges_mid_campaign_stops_new_pledges_only(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    campaign = await backit.campaign(goal=100_000)
    before = await back(backit, browser, campaign, 1, 2_500)
    await backit.standin.restrict_account(account)
    await backit.standin.wait_for_deliveries()
    told = await backit.outbox("payouts")
    assert [(m.recipient.address, m.notification.data["taking"]) for m in told] == [
        (ADA.user_id, False)
    ]
    newcomer = await backit.backer(2)
    refused = await fetch(browser, backit.pledge_url(newcomer, campaign, amount=2_500))
    assert refused.status == 409
    assert "/payouts" in refused.text
    assert [p.id for p in await backit.pledges(campaign.id)] == [before.id]
    assert (await backit.pledge(before.id)).status is PledgeStatus.PAID


async def test_a_creator_without_an_account_cannot_publish(backit: RunningBackit) -> None:
    with pytest.raises(PayoutsNotReady):
        await backit.campaign(creator=Identity(Platform.TELEGRAM, "4242"))


async def test_reconcile_repairs_connect_webhooks_that_were_dropped(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    campaign = await backit.campaign(goal=100_000)
    pledge = await back(backit, browser, campaign, 1, 2_500)
    backit.standin.drop_webhooks(lambda event: event["type"] == "account.updated")
    await backit.standin.restrict_account(account)
    await backit.standin.wait_for_deliveries()
    async with backit.database.unit_of_work() as uow:
        stale = await uow.payout_accounts.hold(account)
    assert stale is not None
    assert stale.can_take_pledges
    repairs = await reconcile_payouts(
        backit.database.unit_of_work,
        backit.clock,
        backit.services.payouts,  # type: ignore[arg-type]
    )
    assert repairs.accounts == 1
    async with backit.database.unit_of_work() as uow:
        repaired = await uow.payout_accounts.hold(account)
    assert repaired is not None
    assert not repaired.can_take_pledges
    assert (await backit.pledge(pledge.id)).transfer_id is not None
    assert len(await backit.outbox("payouts")) == 1


async def test_a_connect_event_delivered_ten_times_five_at_once_changes_the_account_once(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    account = await onboard(backit, ADA)
    await backit.campaign(goal=100_000)
    backit.standin.drop_webhooks(lambda event: event["type"] == "account.updated")
    await backit.standin.restrict_account(account)
    await backit.standin.wait_for_deliveries()
    [event] = [e for e in backit.standin.events("account.updated") if e.get("account")][-1:]
    payload = json.dumps(event)
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signed(payload, CONNECT_WEBHOOK_SECRET),
    }
    url = f"{backit.url}/stripe/connect-webhook"
    forged = {**headers, "Stripe-Signature": signed(payload, WEBHOOK_SECRET)}
    async with browser.post(url, data=payload, headers=forged) as refused:
        assert refused.status == 400
    events_before = await backit.payment_events()
    assert await backit.outbox("payouts") == []

    async def deliver() -> int:
        async with browser.post(url, data=payload, headers=headers) as answer:
            return answer.status

    assert await backit.payment_events() == events_before
    statuses = [s for _ in range(2) for s in await asyncio.gather(*(deliver() for _ in range(5)))]
    assert statuses == [200] * 10
    async with backit.database.unit_of_work() as uow:
        kept = await uow.payout_accounts.hold(account)
    assert kept is not None
    assert not kept.can_take_pledges
    told = await backit.outbox("payouts")
    assert [(m.recipient.address, m.notification.data["taking"]) for m in told] == [
        (ADA.user_id, False)
    ]


async def test_payouts_asked_five_times_at_once_opens_one_account(backit: RunningBackit) -> None:
    assert backit.services.payouts is not None
    assert backit.services.payout_pages is not None
    payouts, pages = backit.services.payouts, backit.services.payout_pages
    statuses = await asyncio.gather(
        *(
            open_payouts(
                backit.database.unit_of_work,
                backit.clock,
                payouts,
                Caller(ADA, "Ada", "en"),
                None,
                TERMS,
                pages,
            )
            for _ in range(5)
        )
    )
    assert len({status.account.account_id for status in statuses}) == 1
    async with backit.database.unit_of_work() as uow:
        assert len(await uow.payout_accounts.list_all()) == 1
