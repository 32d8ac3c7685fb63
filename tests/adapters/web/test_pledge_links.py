"""Following a signed pledge link: to Stripe's page, or a translated refusal that writes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from html import unescape

import aiohttp
import pytest
import stripe

from core.campaigns import Campaign, CampaignStatus
from core.pledges import PledgeStatus
from core.usecases.managing import TierDraft
from tests.payment_fixtures import (
    DECLINED_CARD,
    RunningBackit,
    backit_on_silent_stripe,
    fetch,
    leave_page,
    pay_on_page,
)

PREVIEW_AGENTS = [
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
]


@pytest.fixture
async def lamp(backit: RunningBackit) -> Campaign:
    """A flexible €100 campaign ending in 30 minutes, with a €50 reward limited to 2 units."""
    return await backit.campaign(
        tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=2),),
        ends_in=timedelta(minutes=30),
    )


async def nothing_written(
    backit: RunningBackit, stripe_client: stripe.StripeClient, campaign: Campaign, claimed: int = 0
) -> None:
    """No pledge, no claimed unit beyond `claimed`, no total, and no Stripe session."""
    assert await backit.pledges(campaign.id) == []
    stored = await backit.reload(campaign.id)
    assert (stored.raised, stored.tiers[0].claimed) == (0, claimed)
    assert (await stripe_client.v1.checkout.sessions.list_async()).data == []


async def test_following_a_link_reserves_the_reward_and_opens_stripe_checkout(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    backer = await backit.backer(1)

    link = await fetch(browser, backit.pledge_url(backer, lamp, lamp.tiers[0].id))

    assert link.status == 303
    assert link.location is not None
    (pledge,) = await backit.pledges(lamp.id)
    assert (pledge.status, pledge.backer_id, pledge.amount.amount) == (
        PledgeStatus.PENDING,
        backer.id,
        5_000,
    )
    assert link.location == f"{backit.standin.base_url}/checkout/{pledge.checkout_session_id}"
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 1


@pytest.mark.parametrize("agent", PREVIEW_AGENTS)
async def test_a_link_preview_gets_a_preview_page_and_starts_nothing(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
    agent: str,
) -> None:
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)

    preview = await fetch(browser, url, headers={"User-Agent": agent})

    assert preview.status == 200
    assert '<meta property="og:title" content="Back “The Lamp” on Backit">' in preview.text
    # The campaign's card picture, from this web server: never an outside address.
    assert f'<meta property="og:image" content="{backit.url}/c/lamp/card.png?lang=en&amp;v=' in (
        preview.text
    )
    await nothing_written(backit, stripe_client, lamp)


async def test_following_a_link_twice_reuses_the_pledge_and_the_page(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
) -> None:
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)

    first = await fetch(browser, url)
    backit.clock.advance(timedelta(minutes=3))
    again = await fetch(browser, url)

    assert (first.status, again.status) == (303, 303)
    assert again.location == first.location
    assert len(await backit.pledges(lamp.id)) == 1
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 1
    assert len((await stripe_client.v1.checkout.sessions.list_async()).data) == 1


async def test_one_link_followed_five_times_at_once_starts_one_pledge(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
) -> None:
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)

    pages = await asyncio.gather(*(fetch(browser, url) for _ in range(5)))

    assert {page.status for page in pages} == {303}
    assert len({page.location for page in pages}) == 1
    assert len(await backit.pledges(lamp.id)) == 1
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 1
    assert len((await stripe_client.v1.checkout.sessions.list_async()).data) == 1


async def test_a_declined_card_is_told_on_the_page_and_changes_nothing(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None

    declined = await pay_on_page(browser, link.location, DECLINED_CARD)
    await backit.standin.wait_for_deliveries()

    assert (declined.status, declined.location) == (200, None)
    assert "Your card was declined. Try another card." in declined.text
    (pledge,) = await backit.pledges(lamp.id)
    assert pledge.status is PledgeStatus.PENDING
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (0, 0, 1)
    assert await backit.payment_events() == 0


async def test_leaving_the_checkout_page_releases_the_reward(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
) -> None:
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None
    session_id = link.location.rsplit("/", 1)[-1]

    back = await leave_page(browser, link.location)
    await backit.standin.wait_for_deliveries()

    assert back.status == 200
    assert "the reward is available again" in back.text
    (pledge,) = await backit.pledges(lamp.id)
    assert pledge.status is PledgeStatus.EXPIRED
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 0
    session = await stripe_client.v1.checkout.sessions.retrieve_async(session_id)
    assert session.status == "expired"


async def test_a_link_already_paid_says_so_instead_of_charging_again(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)
    await backit.back(browser, url)

    again = await fetch(browser, url)

    assert again.status == 200
    assert "You have already backed “The Lamp” with this link. Thank you!" in unescape(again.text)


async def test_the_success_page_waits_while_a_debit_is_settling(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None
    session_id = link.location.rsplit("/", 1)[-1]
    await backit.standin.pay_by_sepa_debit(session_id)

    waiting = await fetch(browser, f"{backit.url}/pledge/success?session_id={session_id}")

    assert waiting.status == 200
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    (pledge,) = await backit.pledges(lamp.id)
    assert pledge.status is PledgeStatus.PENDING


Refusal = Callable[[RunningBackit, Campaign], Awaitable[str]]


async def tampered(backit: RunningBackit, lamp: Campaign) -> str:
    """A link whose signature was altered."""
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)
    payload, signature = url.rsplit(".", 1)
    return f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


async def expired(backit: RunningBackit, lamp: Campaign) -> str:
    """A link followed after its lifetime."""
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)
    backit.clock.advance(backit.signer.lifetime)
    return url


async def sold_out(backit: RunningBackit, lamp: Campaign) -> str:
    """A link to a reward whose last unit was taken since."""
    async with backit.database.unit_of_work() as uow:
        assert await uow.tiers.claim(lamp.tiers[0].id, backit.clock.now())
        assert await uow.tiers.claim(lamp.tiers[0].id, backit.clock.now())
        await uow.commit()
    return backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)


async def ended(backit: RunningBackit, lamp: Campaign) -> str:
    """A link followed after the campaign ended."""
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)
    backit.clock.advance(timedelta(minutes=31))
    return url


async def not_launched(backit: RunningBackit, lamp: Campaign) -> str:
    """A link to a campaign that is coming soon, as no button would make it."""
    async with backit.database.unit_of_work() as uow:
        coming = CampaignStatus.COMING_SOON
        assert await uow.campaigns.set_status(lamp.id, CampaignStatus.LIVE, coming)
        await uow.commit()
    return backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)


async def too_much(backit: RunningBackit, lamp: Campaign) -> str:
    """A link for more than the largest pledge accepted."""
    return backit.pledge_url(await backit.backer(1), lamp, None, amount=1_000_001)


async def too_little(backit: RunningBackit, lamp: Campaign) -> str:
    """A link for less than Stripe's minimum charge."""
    return backit.pledge_url(await backit.backer(1), lamp, None, amount=49)


@pytest.mark.parametrize(
    ("refusal", "status", "reason", "claimed"),
    [
        (tampered, 400, "Ce lien de contribution n’est pas valide.", 0),
        (expired, 410, "Ce lien de contribution a expiré.", 0),
        (sold_out, 409, "«\u00a0Early bird\u00a0» est épuisée.", 2),
        (ended, 410, "«\u00a0The Lamp\u00a0» n’accepte pas de contributions en ce moment.", 0),
        (not_launched, 409, "«\u00a0The Lamp\u00a0» sera lancée le ", 0),
        (too_much, 400, "Le montant doit être compris entre 0,50", 0),
        (too_little, 400, "Le montant doit être compris entre 0,50", 0),
    ],
)
async def test_a_link_that_cannot_be_followed_gets_a_translated_reason_and_writes_nothing(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
    refusal: Refusal,
    status: int,
    reason: str,
    claimed: int,
) -> None:
    url = await refusal(backit, lamp)

    page = await fetch(browser, url, headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})

    assert page.status == status
    assert '<html lang="fr">' in page.text
    assert "<h1>Un problème est survenu</h1>" in page.text
    assert reason in unescape(page.text)
    await nothing_written(backit, stripe_client, lamp, claimed)


async def test_a_reward_held_at_other_peoples_checkouts_says_when_to_try_again(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    for user in (2, 3):
        url = backit.pledge_url(await backit.backer(user), lamp, lamp.tiers[0].id)
        assert (await fetch(browser, url)).status == 303
    backit.clock.advance(timedelta(minutes=4))
    url = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id)

    page = await fetch(browser, url, headers={"Accept-Language": "fr-FR,fr;q=0.9"})

    assert page.status == 409
    assert (
        "«\u00a0Early bird\u00a0» est en cours de paiement par d’autres personnes. "
        "Réessayez dans 26\u00a0minutes."
    ) in unescape(page.text)
    assert len(await backit.pledges(lamp.id)) == 2


async def test_coming_back_from_a_page_already_paid_keeps_the_payment(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
) -> None:
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None
    await pay_on_page(browser, link.location)
    session_id = link.location.rsplit("/", 1)[-1]
    session = await stripe_client.v1.checkout.sessions.retrieve_async(session_id)
    assert session.cancel_url is not None

    back = await fetch(browser, session.cancel_url)

    assert back.status == 200
    assert "No payment was made" not in back.text
    assert "You have already backed “The Lamp” with this link. Thank you!" in unescape(back.text)
    (pledge,) = await backit.pledges(lamp.id)
    assert pledge.status is PledgeStatus.PAID
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 1


async def test_the_success_page_of_an_expired_checkout_thanks_nobody(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None
    session_id = link.location.rsplit("/", 1)[-1]
    await backit.services.gateway.expire_checkout(session_id)

    page = await fetch(browser, f"{backit.url}/pledge/success?session_id={session_id}")

    assert page.status == 200
    assert "Thank you!" not in page.text
    assert "This link was already used." in page.text
    (pledge,) = await backit.pledges(lamp.id)
    assert pledge.status is PledgeStatus.EXPIRED


async def test_a_made_up_session_gets_an_error_page_and_changes_nothing(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    page = await fetch(browser, f"{backit.url}/pledge/success?session_id=cs_test_made_up")

    assert page.status == 404
    assert "<h1>Something went wrong</h1>" in page.text
    assert await backit.payment_events() == 0


async def test_a_link_followed_while_stripe_is_silent_gets_the_unavailable_page_holding_nothing(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    token = backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id).rsplit("/", 1)[-1]

    async with backit_on_silent_stripe(backit) as (url, taken):
        # A guard, not a measure: with no timeout, each of the client's 3 tries would wait 80 s.
        async with asyncio.timeout(30):
            page = await fetch(browser, f"{url}/pledge/{token}")

    assert page.status == 503
    assert "Payments are unavailable right now. Please try again in a few minutes." in page.text
    assert len(taken) == 3
    # The pledge gave its reward back at once, rather than at the end of a checkout's life.
    assert [p.status for p in await backit.pledges(lamp.id)] == [PledgeStatus.EXPIRED]
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 0
