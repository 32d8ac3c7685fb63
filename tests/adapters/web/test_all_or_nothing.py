"""All-or-nothing: cards saved at checkout, charged at the deadline only if the goal is met."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import aiohttp

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.pledge_links import RetryLink
from core.pledges import Pledge, PledgeStatus
from core.usecases.closing import close_due_campaigns
from core.usecases.managing import TierDraft
from core.usecases.settling import settle_due
from tests.payment_fixtures import DECLINES_LATER_CARD, RunningBackit, fetch, pay_on_page


async def aon_campaign(backit: RunningBackit) -> Campaign:
    """An all-or-nothing €100 campaign ending tomorrow, with a €50 reward."""
    return await backit.campaign(
        model=FundingModel.ALL_OR_NOTHING,
        tiers=(TierDraft("Lamp", "", 5_000, quantity_limit=5),),
        ends_in=timedelta(days=1),
    )


async def after_the_deadline(backit: RunningBackit) -> None:
    """Time passes the deadline; the closing job closes and settles what is due."""
    backit.clock.advance(timedelta(days=1, minutes=1))
    await close_due_campaigns(backit.database.unit_of_work, backit.clock)
    await settle_due(backit.database.unit_of_work, backit.clock, backit.services.gateway)
    await backit.standin.wait_for_deliveries()


async def funded_with_a_declining_card(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> tuple[Campaign, Pledge]:
    """Two €50 cards that pay and a €25 one that will decline; the deadline has passed."""
    campaign = await aon_campaign(backit)
    for user in (1, 2):
        url = backit.pledge_url(await backit.backer(user), campaign, campaign.tiers[0].id)
        await backit.back(browser, url)
    url = backit.pledge_url(await backit.backer(3), campaign, amount=2_500)
    await backit.back(browser, url, DECLINES_LATER_CARD)
    await after_the_deadline(backit)
    declined = [p for p in await backit.pledges(campaign.id) if p.backer_id == 3]
    return campaign, declined[0]


async def test_a_saved_card_counts_as_authorized_and_is_not_charged_before_the_deadline(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await aon_campaign(backit)
    url = backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)

    thanks = await backit.back(browser, url)
    await backit.standin.wait_for_deliveries()

    assert thanks.status == 200
    assert (
        "Your card is saved for “Lamp” (€50.00). It will be charged only if “The Lamp” reaches"
        in unescape(thanks.text)
    )
    assert "You are backer #1." in thanks.text
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.status is PledgeStatus.AUTHORIZED
    assert pledge.customer_id is not None
    assert pledge.payment_method_id is not None
    stored = await backit.reload(campaign.id)
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (5_000, 1, 1)
    # From nothing to half the goal at once: 50 % is announced, not also 25 %.
    assert [m.notification.data["value"] for m in await backit.outbox("milestone")] == [50]
    assert backit.standin.events("payment_intent.created") == []


async def test_a_met_goal_charges_every_saved_card_and_a_declined_one_fails_with_a_receipt(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign, declined = await funded_with_a_declining_card(backit, browser)

    pledges = await backit.pledges(campaign.id)
    assert [p.status for p in pledges] == [
        PledgeStatus.PAID,
        PledgeStatus.PAID,
        PledgeStatus.FAILED,
    ]
    assert all(p.payment_intent_id for p in pledges)
    stored = await backit.reload(campaign.id)
    assert stored.status is CampaignStatus.SUCCESSFUL
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (10_000, 2, 2)
    assert len(backit.standin.events("payment_intent.created")) == 3
    receipts = {
        (m.notification.data["pledge_id"], m.notification.data["status"])
        for m in await backit.outbox("receipt")
    }
    assert (declined.id, "failed") in receipts
    assert (
        await settle_due(backit.database.unit_of_work, backit.clock, backit.services.gateway) == []
    )
    assert len(backit.standin.events("payment_intent.created")) == 3


async def test_a_declined_backer_pays_with_another_card_through_the_retry_link(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign, declined = await funded_with_a_declining_card(backit, browser)
    link = RetryLink(declined.id, backit.clock.now() + timedelta(days=7))
    retry_url = f"{backit.url}/pledge/retry/{backit.signer.sign_retry(link)}"

    retry = await fetch(browser, retry_url)
    assert retry.status == 303
    assert retry.location is not None
    paid = await pay_on_page(browser, retry.location)
    assert paid.location is not None
    thanks = await fetch(browser, paid.location)
    await backit.standin.wait_for_deliveries()
    again = await fetch(browser, retry_url)

    assert "Your pledge of €25.00 to “The Lamp” is confirmed." in unescape(thanks.text)
    assert (await backit.pledge(declined.id)).status is PledgeStatus.PAID
    stored = await backit.reload(campaign.id)
    assert (stored.raised, stored.backers_count) == (12_500, 3)
    assert again.status == 200
    assert "You have already backed “The Lamp” with this link." in unescape(again.text)


async def test_a_missed_goal_charges_nobody_and_cancels_every_pledge(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    campaign = await aon_campaign(backit)
    url = backit.pledge_url(await backit.backer(1), campaign, campaign.tiers[0].id)
    await backit.back(browser, url)

    await after_the_deadline(backit)

    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.status is PledgeStatus.CANCELLED
    stored = await backit.reload(campaign.id)
    assert stored.status is CampaignStatus.FAILED
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (0, 0, 0)
    assert backit.standin.events("payment_intent.created") == []
    receipts = [m.notification.data["status"] for m in await backit.outbox("receipt")]
    assert receipts == ["authorized", "cancelled"]
