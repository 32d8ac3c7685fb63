"""Leaving a checkout page: the way back names the pledge, since the provider fills in nothing."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.payments import CheckoutNotFound, PaymentUnavailable
from core.usecases.checkout import ReturnUrls, abandon_checkout, begin_checkout
from core.usecases.pledging import PledgeLimits
from tests.core.test_checkout import link_for
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

URLS = ReturnUrls("https://b.test/ok?s={CHECKOUT_SESSION_ID}", lambda id: f"https://b.test/{id}")


async def test_the_way_back_from_the_page_names_the_pledge(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)

    start = await begin_checkout(db.unit_of_work, clock, gateway, PledgeLimits(), link, "k", URLS)

    (request,) = gateway.requests
    assert request.cancel_url == f"https://b.test/{start.pledge.id}"
    assert request.success_url == URLS.success_url


async def test_leaving_a_page_that_was_never_opened_is_not_found_and_changes_nothing(
    db: FakeDatabase, clock: FixedClock, gateway: FakeGateway, campaign: Campaign
) -> None:
    link = await link_for(db, clock, campaign, 1, campaign.tiers[0].id)
    gateway.unavailable = True
    with pytest.raises(PaymentUnavailable):
        await begin_checkout(db.unit_of_work, clock, gateway, PledgeLimits(), link, "k", URLS)
    gateway.unavailable = False
    (pledge,) = db.state.pledges.values()
    before = (pledge.status, db.state.campaigns[campaign.id].tiers[0].claimed)

    for pledge_id in (pledge.id, pledge.id + 1):
        with pytest.raises(CheckoutNotFound):
            await abandon_checkout(db.unit_of_work, clock, gateway, pledge_id)

    assert gateway.expired == []
    after = db.state.pledges[pledge.id]
    assert (after.status, db.state.campaigns[campaign.id].tiers[0].claimed) == before
