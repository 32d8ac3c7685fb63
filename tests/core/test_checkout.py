"""From a signed link to the provider's page and back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign
from core.errors import InvalidAmount, TierSoldOut
from core.i18n import use_locale
from core.money import Money
from core.payments import (
    CheckoutMode,
    CheckoutRequest,
    CheckoutSession,
    OutcomeKind,
    PaymentOutcome,
    PaymentUnavailable,
)
from core.pledge_links import InvalidLink, PledgeLink, PledgeLinkSigner
from core.pledges import PledgeStatus
from core.reservations import CHECKOUT_LIFETIME
from core.usecases.backers import ensure_backer
from core.usecases.checkout import (
    ReturnUrls,
    abandon_checkout,
    begin_checkout,
    confirm_checkout,
    sweep_stale_checkouts,
)
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.core.conftest import caller
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

URLS = ReturnUrls("https://b.test/ok?s={CHECKOUT_SESSION_ID}", lambda _: "https://b.test/back")
SIGNER = PledgeLinkSigner("k" * 32, timedelta(days=7))


async def link_for(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, user: int, tier: int | None = None
) -> PledgeLink:
    """A pledge link for a person, as a chat adapter would make it."""
    async with db.unit_of_work() as uow:
        backer = await ensure_backer(uow, caller(user))
        await uow.commit()
    return SIGNER.new_link(clock.now(), backer.id, campaign.id, tier, None if tier else 2_500)


async def begin(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, link: PledgeLink, key: str = "k1"
) -> tuple[int, str | None]:
    """Follow a link: the pledge id and the page to pay on."""
    start = await begin_checkout(db.unit_of_work, clock, gateway, PledgeLimits(), link, key, URLS)
    return start.pledge.id, start.checkout_url


async def test_a_flexible_pledge_pays_now_and_the_success_page_counts_it(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    tier = campaign.tiers[0]
    pledge_id, url = await begin(
        db, clock, gateway, await link_for(db, clock, campaign, 1, tier.id)
    )
    request = gateway.requests[0]
    assert (request.mode, request.amount.amount, request.pledge_id) == (
        CheckoutMode.PAYMENT,
        5_000,
        pledge_id,
    )
    assert (request.item_name, request.item_description) == ("Early bird", "The Reading Lamp")
    assert request.submit_message is None
    assert request.expires_at - clock.now() >= timedelta(minutes=30)
    assert url is not None
    session_id = next(iter(gateway.sessions))
    assert db.state.pledges[pledge_id].checkout_session_id == session_id
    gateway.pay(session_id, OutcomeKind.PAID, payment_intent_id="pi_1")
    confirmed = await confirm_checkout(db.unit_of_work, clock, gateway, session_id)
    assert confirmed is not None
    assert (confirmed.pledge.status, confirmed.pledge.backer_number) == (PledgeStatus.PAID, 1)
    assert db.state.campaigns[campaign.id].raised == 5_000


async def test_an_all_or_nothing_pledge_saves_the_card(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    await begin(db, clock, gateway, await link_for(db, clock, aon_campaign, 1))
    assert gateway.requests[0].mode is CheckoutMode.SETUP


async def test_a_saved_card_page_says_what_it_will_be_charged_for_and_when(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    tier = aon_campaign.tiers[1]
    await begin(db, clock, gateway, await link_for(db, clock, aon_campaign, 1, tier.id))
    request = gateway.requests[0]
    assert (request.item_name, request.item_description) == ("Lamp", "The Reading Lamp")
    assert request.submit_message == (
        "Your card will be charged €75.00 for “Lamp” of “The Reading Lamp” only if it reaches "
        "its goal by Nov 30, 2026 at 12:00\u202fPM UTC."
    )


async def test_a_pledge_without_a_reward_is_named_so_in_the_backers_language(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, aon_campaign: Campaign
) -> None:
    async with db.unit_of_work() as uow:
        backer = await ensure_backer(uow, caller(1, locale="fr"))
        await uow.commit()
    link = SIGNER.new_link(clock.now(), backer.id, aon_campaign.id, None, 2_500)
    await begin(db, clock, gateway, link)
    request = gateway.requests[0]
    assert (request.item_name, request.item_description) == (
        "Contribuer sans contrepartie",
        "The Reading Lamp",
    )
    assert request.submit_message == (
        "Votre carte sera débitée de 25,00\xa0€ pour votre contribution à «\xa0The Reading "
        "Lamp\xa0» uniquement si la campagne atteint son objectif d’ici le 30 nov. 2026 à "
        "12:00 UTC."
    )


async def test_following_a_link_twice_reuses_the_pledge_and_page(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    first = await begin(db, clock, gateway, link)
    second = await begin(db, clock, gateway, link)
    assert first == second
    assert len(gateway.sessions) == 1
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


async def test_following_a_link_again_later_goes_back_to_the_page_still_open(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    first = await begin(db, clock, gateway, link)
    clock.advance(timedelta(minutes=5))

    again = await begin(db, clock, gateway, link)

    assert again == first
    assert len(gateway.requests) == 1


async def test_a_link_whose_page_was_paid_before_the_news_arrived_shows_the_payment(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1)
    pledge_id, _ = await begin(db, clock, gateway, link)
    gateway.pay(next(iter(gateway.sessions)), OutcomeKind.PAID)
    clock.advance(timedelta(minutes=5))

    start = await begin_checkout(db.unit_of_work, clock, gateway, PledgeLimits(), link, "k1", URLS)

    assert (start.pledge.id, start.pledge.status, start.checkout_url) == (
        pledge_id,
        PledgeStatus.PAID,
        None,
    )
    assert len(gateway.requests) == 1
    assert db.state.campaigns[campaign.id].raised == 2_500


async def test_a_link_whose_page_expired_frees_the_reward_and_opens_no_new_page(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    pledge_id, _ = await begin(db, clock, gateway, link)
    clock.advance(timedelta(minutes=40))
    await gateway.expire_checkout(next(iter(gateway.sessions)))

    assert await begin(db, clock, gateway, link) == (pledge_id, None)
    assert db.state.pledges[pledge_id].status is PledgeStatus.EXPIRED
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0
    assert len(gateway.requests) == 1


async def test_a_paid_link_opens_no_new_page(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1)
    await begin(db, clock, gateway, link)
    session_id = next(iter(gateway.sessions))
    gateway.pay(session_id, OutcomeKind.PAID)
    await confirm_checkout(db.unit_of_work, clock, gateway, session_id)
    assert (await begin(db, clock, gateway, link))[1] is None


async def test_a_sold_out_tier_opens_no_page_and_writes_nothing(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    campaign_tier = db.state.campaigns[campaign.id].tiers[0]
    campaign_tier.claimed = 10
    link = await link_for(db, clock, campaign, 1, campaign_tier.id)
    with pytest.raises(TierSoldOut):
        await begin(db, clock, gateway, link)
    assert gateway.requests == []
    assert db.state.pledges == {}


async def test_a_link_for_an_unknown_backer_is_invalid(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = SIGNER.new_link(clock.now(), 424242, campaign.id, None, 2_500)
    with pytest.raises(InvalidLink):
        await begin(db, clock, gateway, link)


async def test_when_the_provider_is_down_the_reward_goes_back_at_once_and_the_link_works_later(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    gateway.unavailable = True
    with pytest.raises(PaymentUnavailable):
        await begin(db, clock, gateway, link)
    (failed,) = db.state.pledges.values()
    assert failed.status is PledgeStatus.EXPIRED
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0

    gateway.unavailable = False
    pledge_id, url = await begin(db, clock, gateway, link)

    assert url is not None
    assert db.state.pledges[pledge_id].status is PledgeStatus.PENDING
    assert db.state.pledges[pledge_id].link_key == "k1"
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


class BrokenGateway(FakeGateway):
    """A provider that answers a page request with something unexpected."""

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Fail as no provider error we know of."""
        raise ValueError("unexpected answer")


async def test_any_error_opening_the_page_gives_the_reward_back_and_is_raised(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    with pytest.raises(ValueError, match="unexpected answer"):
        await begin(db, clock, BrokenGateway(), link)
    assert [p.status for p in db.state.pledges.values()] == [PledgeStatus.EXPIRED]
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0


class GivenUpMeanwhile(FakeGateway):
    """A provider answering one request while the request that started the pledge, its own
    attempt at the page failed, gives the pledge up."""

    def __init__(self, db: FakeDatabase, clock: FixedClock) -> None:
        super().__init__()
        self.db, self.clock = db, clock

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open the page, while the pledge expires elsewhere."""
        expired = PaymentOutcome(request.pledge_id, OutcomeKind.EXPIRED)
        await apply_payment_outcome(self.db.unit_of_work(), self.clock, expired)
        return await super().create_checkout(request)


async def test_a_page_opened_for_a_pledge_given_up_meanwhile_is_closed_at_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    request = PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id, link_key="k1")
    # The request that started it is still trying to open its page.
    started = await start_pledge(db.unit_of_work(), clock, PledgeLimits(), request)
    gateway = GivenUpMeanwhile(db, clock)

    with pytest.raises(PaymentUnavailable):
        await begin(db, clock, gateway, link)

    assert gateway.expired == list(gateway.sessions)
    assert len(gateway.expired) == 1
    assert db.state.pledges[started.id].checkout_session_id is None


class OpenedMeanwhile(FakeGateway):
    """A provider failing this request after a concurrent one for the same pledge got its
    page."""

    def __init__(self, db: FakeDatabase) -> None:
        super().__init__()
        self.db = db

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Record the other request's page, then fail this one."""
        session = await super().create_checkout(request)
        async with self.db.unit_of_work() as uow:
            await uow.pledges.set_payment_refs(request.pledge_id, checkout_session_id=session.id)
            await uow.commit()
        raise PaymentUnavailable()


async def test_giving_up_a_pledge_closes_a_page_opened_for_it_meanwhile(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    gateway = OpenedMeanwhile(db)

    with pytest.raises(PaymentUnavailable):
        await begin(db, clock, gateway, link)

    (pledge,) = db.state.pledges.values()
    assert pledge.status is PledgeStatus.EXPIRED
    assert gateway.expired == [pledge.checkout_session_id]
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0


async def test_links_from_one_person_for_one_reward_lead_to_one_pledge_and_page(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    tier = campaign.tiers[0].id
    first = await begin(db, clock, gateway, await link_for(db, clock, campaign, 1, tier), "k1")
    clock.advance(timedelta(minutes=4))
    others = [
        await begin(db, clock, gateway, await link_for(db, clock, campaign, 1, tier), key)
        for key in ("k2", "k3")
    ]
    assert others == [first, first]
    assert len(gateway.sessions) == 1
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 1


async def test_a_link_below_the_providers_minimum_charge_is_refused_and_writes_nothing(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    async with db.unit_of_work() as uow:
        backer = await ensure_backer(uow, caller(1))
        await uow.commit()
    link = SIGNER.new_link(clock.now(), backer.id, campaign.id, None, 49)
    with pytest.raises(InvalidAmount) as refused:
        await begin(db, clock, gateway, link)
    with use_locale("en"):
        assert refused.value.user_message() == "The amount must be between €0.50 and €10,000.00."
    assert (db.state.pledges, gateway.requests) == ({}, [])


async def test_coming_back_without_paying_frees_the_reward(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    pledge_id, _ = await begin(db, clock, gateway, link)
    left = await abandon_checkout(db.unit_of_work, clock, gateway, pledge_id)
    assert left is not None
    assert (left.pledge.id, left.pledge.status) == (pledge_id, PledgeStatus.EXPIRED)
    assert db.state.pledges[pledge_id].status is PledgeStatus.EXPIRED
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0


async def test_coming_back_after_paying_in_another_tab_keeps_the_payment(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    pledge_id, _ = await begin(db, clock, gateway, await link_for(db, clock, campaign, 1))
    session_id = next(iter(gateway.sessions))
    gateway.pay(session_id, OutcomeKind.PAID)
    left = await abandon_checkout(db.unit_of_work, clock, gateway, pledge_id)
    assert left is not None
    assert (left.pledge.id, left.pledge.status) == (pledge_id, PledgeStatus.PAID)
    assert db.state.pledges[pledge_id].status is PledgeStatus.PAID
    assert gateway.expired == []


async def test_the_sweep_asks_the_provider_before_expiring(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    paid, _ = await begin(db, clock, gateway, await link_for(db, clock, campaign, 1), "a")
    abandoned, _ = await begin(db, clock, gateway, await link_for(db, clock, campaign, 2), "b")
    # Started, then the process stopped before its page was made.
    never_opened = await start_pledge(
        db.unit_of_work(),
        clock,
        PledgeLimits(),
        PledgeRequest(caller(3), campaign.id, None, Money(2_500, "EUR")),
    )
    gateway.pay(db.state.pledges[paid].checkout_session_id or "", OutcomeKind.PAID)
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 0
    clock.advance(timedelta(minutes=36))
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 3
    statuses = [db.state.pledges[p].status for p in (paid, abandoned, never_opened.id)]
    assert statuses == [PledgeStatus.PAID, PledgeStatus.EXPIRED, PledgeStatus.EXPIRED]


async def test_a_reward_is_held_no_longer_than_the_checkout_page_lives(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    pledge_id, _ = await begin(db, clock, gateway, link)
    (session_id,) = gateway.sessions
    clock.advance(CHECKOUT_LIFETIME - timedelta(seconds=1))
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 0

    clock.advance(timedelta(seconds=2))
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 1

    # The page is closed before the unit goes back, so it cannot be paid afterwards.
    assert gateway.expired == [session_id]
    assert db.state.pledges[pledge_id].status is PledgeStatus.EXPIRED
    assert db.state.campaigns[campaign.id].tiers[0].claimed == 0
    # And the page was asked to end at most a minute after the hold.
    assert gateway.sessions[session_id].expires_at - clock.now() <= timedelta(minutes=1)


async def test_the_sweep_expires_a_pledge_whose_page_the_provider_does_not_know(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    pledge_id, _ = await begin(db, clock, gateway, await link_for(db, clock, campaign, 1))
    gateway.forgotten.update(gateway.sessions)
    clock.advance(timedelta(minutes=36))
    assert await sweep_stale_checkouts(db.unit_of_work, clock, gateway) == 1
    assert db.state.pledges[pledge_id].status is PledgeStatus.EXPIRED
