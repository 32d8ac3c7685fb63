"""A flexible pledge from the signed link to the thank-you page, counted exactly once."""

from __future__ import annotations

import aiohttp

from core.campaigns import FundingModel
from core.pledges import PledgeStatus
from core.usecases.exporting import campaign_backers
from core.usecases.managing import TierDraft
from tests.payment_fixtures import RunningBackit, fetch, pay_on_page

ADDRESS = {
    "shipping_name": "Ada Lovelace",
    "line1": "12 rue des Lilas",
    "city": "Lyon",
    "postal_code": "69001",
    "country": "FR",
}


async def test_a_flexible_pledge_is_paid_thanked_and_counted_once(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign(
        model=FundingModel.FLEXIBLE,
        goal=10_000,
        stretch_goals=(20_000,),
        tiers=(TierDraft("Early bird", "One lamp", 5_000, quantity_limit=10),),
    )
    tier = campaign.tiers[0]
    backer = await backit.backer(1)

    link = await fetch(browser, backit.pledge_url(backer, campaign, tier.id))
    assert link.status == 303
    assert link.location is not None
    assert link.location.startswith(f"{backit.standin.base_url}/checkout/")
    paid = await pay_on_page(browser, link.location)
    assert paid.status == 303
    assert paid.location is not None
    assert paid.location.startswith(f"{backit.url}/pledge/success?session_id=cs_test_")
    thanks = await fetch(browser, paid.location)
    await backit.standin.wait_for_deliveries()

    assert thanks.status == 200
    assert "You are backer #1." in thanks.text
    assert f"{backit.url}/c/lamp?ref={backer.referral_code}" in thanks.text
    (pledge,) = await backit.pledges(campaign.id)
    assert (pledge.status, pledge.backer_number, pledge.amount.amount) == (
        PledgeStatus.PAID,
        1,
        5_000,
    )
    assert pledge.payment_intent_id is not None
    stored = await backit.reload(campaign.id)
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (5_000, 1, 1)
    milestones = await backit.outbox("milestone")
    # Half the goal at once: 50 % is announced, not also 25 %.
    assert [m.notification.data["value"] for m in milestones] == [50]
    assert len(await backit.outbox("receipt")) == 1
    delivered = {d.event_type: d.status for d in backit.standin.deliveries}
    assert delivered["checkout.session.completed"] == "delivered"
    assert delivered["payment_intent.succeeded"] == "delivered"


async def test_a_pledge_through_a_share_link_credits_the_ambassador_once(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign(goal=10_000)
    ambassador, friend = await backit.backer(1), await backit.backer(2)
    await backit.back(browser, backit.pledge_url(ambassador, campaign, amount=1_000))

    thanks = await backit.back(
        browser,
        backit.pledge_url(friend, campaign, amount=2_000, referral_code=ambassador.referral_code),
    )
    await backit.standin.wait_for_deliveries()

    assert "You are backer #2." in thanks.text
    assert f"ref={friend.referral_code}" in thanks.text
    referred = [p for p in await backit.pledges(campaign.id) if p.backer_id == friend.id]
    assert [p.referral_code for p in referred] == [ambassador.referral_code]
    (credit,) = await backit.outbox("referral")
    assert (credit.recipient.backer_id, credit.notification.data["referrals"]) == (
        ambassador.id,
        1,
    )


async def test_a_reward_that_ships_collects_the_address_and_the_export_shows_it(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await backit.campaign(
        tiers=(TierDraft("Lamp", "Posted to you", 5_000, ships=True, ship_countries=("FR", "BE")),)
    )
    link = await fetch(
        browser, backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)
    )
    assert link.location is not None

    form = await fetch(browser, link.location)
    elsewhere = await pay_on_page(browser, link.location, **{**ADDRESS, "country": "DE"})
    paid = await pay_on_page(browser, link.location, **ADDRESS)
    assert paid.location is not None
    await fetch(browser, paid.location)
    await backit.standin.wait_for_deliveries()
    rows = await campaign_backers(backit.database.unit_of_work, campaign.slug)

    assert '<option value="BE">Belgium</option>' in form.text
    assert '<option value="FR">France</option>' in form.text
    assert "This merchant does not ship to Germany." in elsewhere.text
    (row,) = rows
    assert (row.name, row.platform, row.tier, row.amount, row.status) == (
        "Person 1",
        "telegram",
        "Lamp",
        5_000,
        "paid",
    )
    assert row.shipping_address == "Ada Lovelace\n12 rue des Lilas\n69001 Lyon\nFR"
