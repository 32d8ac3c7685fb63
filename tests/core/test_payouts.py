"""Creators' payout accounts, Backit's fee and where each payment's money goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.identity import Identity, Platform
from core.money import Money
from core.outbox import PayoutsChanged
from core.payments import OutcomeKind, PaymentRefs
from core.payouts import (
    AccountCountryUnsupported,
    AccountUpdate,
    Destination,
    FeePolicy,
    PayoutsNotReady,
    PayoutTerms,
    fee_kept,
    same_region,
)
from core.pledges import PledgeStatus
from core.usecases.checkout import begin_checkout, begin_top_up
from core.usecases.closing import close_due_campaigns
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.payouts import apply_account_update, open_payouts
from core.usecases.pledging import PledgeLimits
from core.usecases.reconciling import PayoutRepairs, reconcile_payouts
from core.usecases.seeding import creators_without_accounts
from core.usecases.settling import settle_due
from tests.core.conftest import CREATOR, apply, caller, draft, pledged
from tests.core.test_changing import backed
from tests.core.test_checkout import URLS, link_for
from tests.core.test_settling import authorized
from tests.core.test_topping_up import SIGNER
from tests.fakes import FakeDatabase, FakeGateway, FakePayoutGateway, FixedClock

TERMS = PayoutTerms(connect=True, fees=FeePolicy(500, {"EUR": 30, "USD": 30, "GBP": 20, "JPY": 40}))
CREATOR_CALLER = caller(int(CREATOR.user_id))


class Urls:
    """Backit's onboarding pages, as plain addresses."""

    def refresh_url(self, account_id: str, identity: Identity) -> str:
        """The page that makes a new link."""
        return f"https://b.test/payouts/refresh/{account_id}/{identity}"

    def return_url(self, account_id: str, identity: Identity) -> str:
        """The page onboarding returns to."""
        return f"https://b.test/payouts/return/{account_id}/{identity}"


@pytest.fixture
def payouts(clock: FixedClock) -> FakePayoutGateway:
    """A provider of payout accounts."""
    return FakePayoutGateway(clock)


async def onboarded(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway, country: str = "FR"
) -> str:
    """The creator's account, opened and onboarded; its id."""
    status = await open_payouts(
        db.unit_of_work, clock, payouts, CREATOR_CALLER, country, TERMS, Urls()
    )
    state = payouts.onboard(status.account.account_id)
    clock.advance(timedelta(seconds=1))
    await apply_account_update(db.unit_of_work(), clock, AccountUpdate("evt_onboarded", state))
    return status.account.account_id


@pytest.mark.parametrize(
    ("amount", "currency", "fee"),
    [
        # 5 % of 2,599 is 129.95: rounded down to 129, with 30 fixed.
        (2_599, "EUR", 159),
        (1_999, "USD", 129),
        (3_333, "GBP", 186),
        # Yen have no minor unit: 5 % of ¥1,999 is 99.95, so 99, with ¥40 fixed.
        (1_999, "JPY", 139),
        # Never more than the pledge itself.
        (25, "EUR", 25),
    ],
)
def test_the_fee_is_rounded_down_in_integers_and_never_more_than_the_pledge(
    amount: int, currency: str, fee: int
) -> None:
    assert TERMS.fees.fee(Money(amount, currency)) == Money(fee, currency)


def test_a_refund_gives_back_the_fee_in_proportion_and_the_rest_adds_up() -> None:
    assert fee_kept(159, 2_599, 0) == 159
    assert fee_kept(159, 2_599, 2_599) == 0
    # Half refunded: 79.5 of the fee comes back, rounded down to 79, so 80 is kept.
    assert fee_kept(159, 2_599, 1_299) == 80
    assert fee_kept(0, 2_599, 1_000) == 0


def test_accounts_in_another_region_are_the_merchant_of_their_charges() -> None:
    assert same_region("FR", "DE")
    assert same_region("FR", "GB")
    assert not same_region("FR", "US")
    assert same_region("US", "US")


async def test_a_first_payouts_opens_one_account_and_answers_with_its_onboarding(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    first = await open_payouts(db.unit_of_work, clock, payouts, CREATOR_CALLER, None, TERMS, Urls())
    again = await open_payouts(db.unit_of_work, clock, payouts, CREATOR_CALLER, "de", TERMS, Urls())
    assert first.account.account_id == again.account.account_id
    # The platform's country by default; an existing account keeps its own.
    assert again.account.state.country == "FR"
    assert not first.onboarded
    assert first.url.startswith("https://connect.test/setup/")
    assert payouts.links[-1][1:] == (
        f"https://b.test/payouts/refresh/{first.account.account_id}/{CREATOR}",
        f"https://b.test/payouts/return/{first.account.account_id}/{CREATOR}",
    )
    assert len(db.state.payout_accounts) == 1


async def test_an_unsupported_country_is_refused_and_nothing_is_opened(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    with pytest.raises(AccountCountryUnsupported):
        await open_payouts(db.unit_of_work, clock, payouts, CREATOR_CALLER, "ZZ", TERMS, Urls())
    assert payouts.accounts == {}
    assert db.state.payout_accounts == {}


async def test_an_onboarded_creator_gets_their_dashboard_read_fresh_from_the_provider(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    account_id = await onboarded(db, clock, payouts)
    status = await open_payouts(
        db.unit_of_work, clock, payouts, CREATOR_CALLER, None, TERMS, Urls()
    )
    assert status.onboarded
    assert status.account.can_take_pledges
    assert status.url == f"https://connect.test/express/{account_id}"


async def test_the_same_creator_on_another_platform_shares_the_account(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    discord = Identity(Platform.DISCORD, "80351110224678912")
    await create_campaign(db.unit_of_work(), draft(clock, creator_identities=(CREATOR, discord)))
    mine = await open_payouts(db.unit_of_work, clock, payouts, CREATOR_CALLER, None, TERMS, Urls())
    other = caller(int(discord.user_id), Platform.DISCORD)
    theirs = await open_payouts(db.unit_of_work, clock, payouts, other, None, TERMS, Urls())
    assert mine.account.account_id == theirs.account.account_id
    assert mine.account.identities == (CREATOR, discord)


async def test_a_campaign_is_published_only_once_its_creators_account_takes_payments(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock))
    with pytest.raises(PayoutsNotReady) as refused:
        await publish_campaign(db.unit_of_work(), clock, "lamp", TERMS)
    assert "/payouts" in refused.value.user_message()
    await open_payouts(db.unit_of_work, clock, payouts, CREATOR_CALLER, None, TERMS, Urls())
    with pytest.raises(PayoutsNotReady):
        await publish_campaign(db.unit_of_work(), clock, "lamp", TERMS)
    await onboarded(db, clock, payouts)
    live = await publish_campaign(db.unit_of_work(), clock, "lamp", TERMS)
    assert live.status is CampaignStatus.LIVE


async def live_campaign(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway, **changes: object
) -> Campaign:
    """A campaign published by an onboarded creator."""
    await create_campaign(db.unit_of_work(), draft(clock, **changes))
    await onboarded(db, clock, payouts)
    return await publish_campaign(db.unit_of_work(), clock, str(changes.get("slug", "lamp")), TERMS)


async def test_a_flexible_pledge_pays_the_creators_account_less_the_fee(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, payouts: FakePayoutGateway
) -> None:
    campaign = await live_campaign(db, clock, payouts)
    link = await link_for(db, clock, campaign, 5)
    start = await begin_checkout(
        db.unit_of_work, clock, gateway, PledgeLimits(), link, "k1", URLS, TERMS
    )
    [request] = gateway.requests
    assert request.destination is not None
    assert (request.destination.account_id, request.destination.fee) == (
        "acct_1",
        Money(155, "EUR"),  # 5 % of €25 and €0.30
    )
    assert not request.destination.on_behalf_of
    pledge = db.state.pledges[start.pledge.id]
    assert (pledge.payout_account, pledge.fee) == ("acct_1", 155)


async def test_an_account_in_another_region_is_named_as_the_merchant(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, payouts: FakePayoutGateway
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock))
    await onboarded(db, clock, payouts, country="US")
    campaign = await publish_campaign(db.unit_of_work(), clock, "lamp", TERMS)
    await begin_checkout(
        db.unit_of_work,
        clock,
        gateway,
        PledgeLimits(),
        await link_for(db, clock, campaign, 5),
        "k1",
        URLS,
        TERMS,
    )
    destination = gateway.requests[0].destination
    assert destination is not None
    assert destination.on_behalf_of


async def test_an_account_that_lost_charges_refuses_new_pledges_and_tells_the_creator_once(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, payouts: FakePayoutGateway
) -> None:
    campaign = await live_campaign(db, clock, payouts)
    paid = await begin_checkout(
        db.unit_of_work,
        clock,
        gateway,
        PledgeLimits(),
        await link_for(db, clock, campaign, 5),
        "k1",
        URLS,
        TERMS,
    )
    clock.advance(timedelta(minutes=1))
    restricted = AccountUpdate("evt_restricted", payouts.onboard("acct_1", charges=False))
    assert await apply_account_update(db.unit_of_work(), clock, restricted)
    assert not await apply_account_update(db.unit_of_work(), clock, restricted)
    pledges_before = dict(db.state.pledges)
    with pytest.raises(PayoutsNotReady):
        await begin_checkout(
            db.unit_of_work,
            clock,
            gateway,
            PledgeLimits(),
            await link_for(db, clock, campaign, 6),
            "k2",
            URLS,
            TERMS,
        )
    assert db.state.pledges.keys() == pledges_before.keys()
    assert db.state.pledges[paid.pledge.id].status is PledgeStatus.PENDING
    told = [e for m in db.state.outbox if isinstance(e := m.notification.event, PayoutsChanged)]
    assert [e.taking for e in told] == [False]
    assert [
        (m.recipient.address, m.notification.type)
        for m in db.state.outbox
        if m.notification.type == "payouts"
    ] == [(CREATOR.user_id, "payouts")]
    # Older news (an event created before the one applied) changes nothing.
    earlier = replace(payouts.onboard("acct_1"), as_of=clock.now() - timedelta(hours=1))
    assert not await apply_account_update(db.unit_of_work(), clock, AccountUpdate("e", earlier))
    assert not db.state.payout_accounts["acct_1"].can_take_pledges
    # Newer news that it takes payments again: told once more, and pledges are taken.
    clock.advance(timedelta(minutes=1))
    again = AccountUpdate("evt_back", payouts.onboard("acct_1"))
    assert await apply_account_update(db.unit_of_work(), clock, again)
    told = [e for m in db.state.outbox if isinstance(e := m.notification.event, PayoutsChanged)]
    assert [e.taking for e in told] == [False, True]


async def test_an_all_or_nothing_deadline_charge_pays_the_creators_account(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, payouts: FakePayoutGateway
) -> None:
    campaign = await live_campaign(
        db, clock, payouts, slug="aon", funding_model=FundingModel.ALL_OR_NOTHING
    )
    # A card saved for later names no destination: the charge at the deadline does.
    pledge = await authorized(db, clock, campaign, 5, 120_000)
    clock.advance(timedelta(days=29))
    await close_due_campaigns(db.unit_of_work, clock)
    await settle_due(db.unit_of_work, clock, gateway, TERMS)
    destination = gateway.destinations[pledge]
    assert destination == Destination("acct_1", Money(6_030, "EUR"))
    paid = db.state.pledges[pledge]
    assert (paid.status, paid.payout_account, paid.fee) == (PledgeStatus.PAID, "acct_1", 6_030)


async def test_a_top_up_pays_the_creators_account_and_is_refused_before_anything_is_written(
    db: FakeDatabase,
    clock: FixedClock,
    gateway: FakeGateway,
    payouts: FakePayoutGateway,
    limits: PledgeLimits,
) -> None:
    campaign = await live_campaign(db, clock, payouts)
    pledge = await backed(db, clock, limits, campaign, 1, None, 2_500, OutcomeKind.PAID)
    up = SIGNER.new_top_up(clock.now(), pledge.id, None, 4_000)
    start = await begin_top_up(db.unit_of_work, clock, gateway, limits, up, "u1", URLS, TERMS)
    destination = gateway.requests[-1].destination
    assert destination == Destination("acct_1", Money(105, "EUR"))
    assert db.state.pledges[start.pledge.id].fee == 105
    clock.advance(timedelta(minutes=1))
    lost = AccountUpdate("evt_lost", payouts.onboard("acct_1", charges=False))
    await apply_account_update(db.unit_of_work(), clock, lost)
    written = set(db.state.pledges)
    again = SIGNER.new_top_up(clock.now(), pledge.id, None, 6_000)
    with pytest.raises(PayoutsNotReady):
        await begin_top_up(db.unit_of_work, clock, gateway, limits, again, "u2", URLS, TERMS)
    assert set(db.state.pledges) == written


async def test_reconciling_keeps_accounts_and_transfers_whose_news_was_missed(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, payouts: FakePayoutGateway
) -> None:
    campaign = await live_campaign(db, clock, payouts)
    pledge = await pledged(db, clock, campaign, 5, 2_500)
    await apply(db, clock, pledge, OutcomeKind.PAID, refs=PaymentRefs(payment_intent_id="pi_5"))
    async with db.unit_of_work() as uow:
        await uow.pledges.set_destination(pledge, "acct_1", 155)
        await uow.commit()
    # Stripe restricted the account and no webhook said so.
    payouts.onboard("acct_1", charges=False)
    clock.advance(timedelta(minutes=1))
    repairs = await reconcile_payouts(db.unit_of_work, clock, payouts)
    assert (repairs.accounts, repairs.transfers) == (1, 1)
    assert not db.state.payout_accounts["acct_1"].can_take_pledges
    assert db.state.pledges[pledge].transfer_id == "tr_pi_5"
    # Run again: nothing left to repair.
    assert await reconcile_payouts(db.unit_of_work, clock, payouts) == PayoutRepairs(0, 0)


async def test_creators_without_accounts_are_each_creator_once_across_campaigns_and_platforms(
    db: FakeDatabase, clock: FixedClock, payouts: FakePayoutGateway
) -> None:
    on_discord = Identity(Platform.DISCORD, "2000")
    other = Identity(Platform.TELEGRAM, "3000")
    paid = Identity(Platform.TELEGRAM, "4000")
    for slug, creators in (
        ("lamp", (CREATOR,)),
        ("lamp-two", (on_discord, CREATOR)),
        ("kiln", (other,)),
        ("nobody", ()),
        ("oven", (paid,)),
    ):
        campaign = draft(clock, slug=slug, creator_identities=creators)
        await create_campaign(db.unit_of_work(), campaign)
    opened = await payouts.create_account("FR", "paid")
    async with db.unit_of_work() as uow:
        await uow.payout_accounts.add(opened, [paid], clock.now())
        await uow.commit()

    missing = await creators_without_accounts(db.unit_of_work)

    assert missing == [(other,), (CREATOR, on_discord)]
