"""From a pledge link to the provider's checkout page and back, through one idempotent path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.backers import Backer
from core.campaigns import Campaign, RewardTier
from core.errors import CampaignNotFound
from core.i18n import use_locale
from core.identity import Caller
from core.money import Money
from core.payment_checks import checkout_mode_for
from core.payments import (
    CheckoutMode,
    CheckoutNotFound,
    CheckoutRequest,
    OutcomeKind,
    PaymentOutcome,
    PaymentRefs,
    PaymentUnavailable,
)
from core.payouts import NO_PAYOUTS, PayoutAccount, PayoutTerms
from core.pledge_links import (
    RETRY_WINDOW,
    ExpiredLink,
    InvalidLink,
    PledgeLink,
    RetryLink,
    TopUpLink,
)
from core.pledges import Pledge, PledgeStatus
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.reservations import CHECKOUT_LIFETIME
from core.shipping import ship_to
from core.usecases.payments import apply_payment_outcome
from core.usecases.payouts import payout_account_for
from core.usecases.pledging import PledgeLimits, PledgeRequest, begin_pledge
from core.usecases.topping_up import start_top_up
from core.views.checkout import CheckoutWording, checkout_wording, top_up_wording


@dataclass(frozen=True, slots=True)
class ReturnUrls:
    """Where the provider sends the backer back to: `success_url` after paying (the provider
    fills in `{CHECKOUT_SESSION_ID}`), `cancel_url(pledge_id)` on leaving its page (the provider
    fills in nothing there, so that address names the pledge itself)."""

    success_url: str
    cancel_url: Callable[[int], str]


@dataclass(frozen=True, slots=True)
class CheckoutStart:
    """The pledge a link started, and the page to pay on while it is still pending."""

    pledge: Pledge
    checkout_url: str | None


@dataclass(frozen=True, slots=True)
class PledgeConfirmation:
    """What the thank-you page shows: the pledge, its campaign and its backer."""

    pledge: Pledge
    campaign: Campaign
    backer: Backer


def _session_expiry(now: datetime) -> datetime:
    # Whole minutes, so two taps within a minute send identical parameters and reuse one page;
    # the extra minute keeps it past the provider's 30-minute minimum. The page may so outlive
    # its pledge's hold by up to a minute: the stale sweep closes it when the hold ends.
    return now.replace(second=0, microsecond=0) + CHECKOUT_LIFETIME + timedelta(minutes=1)


async def begin_checkout(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    limits: PledgeLimits,
    link: PledgeLink,
    link_key: str,
    urls: ReturnUrls,
    terms: PayoutTerms = NO_PAYOUTS,
) -> CheckoutStart:
    """Start (or resume) the pledge a link names and open its checkout page."""
    async with uows() as uow:
        backer = await uow.backers.get(link.backer_id)
        campaign = await uow.campaigns.get(link.campaign_id)
        # Refused before anything is written while the creator's account takes no payments.
        account = await payout_account_for(uow, campaign, terms) if campaign else None
    if backer is None:
        raise InvalidLink()
    if campaign is None:
        raise CampaignNotFound(slug=str(link.campaign_id))
    start = await begin_pledge(
        uows(),
        clock,
        limits,
        PledgeRequest(
            caller=Caller(backer.identity, backer.display_name, backer.locale),
            campaign_id=link.campaign_id,
            tier_id=link.tier_id,
            amount=Money(link.amount, campaign.goal.currency) if link.amount else None,
            referral_code=link.referral_code,
            link_key=link_key,
        ),
    )
    pledge = start.pledge
    if pledge.status is not PledgeStatus.PENDING:
        return CheckoutStart(pledge, None)
    if pledge.checkout_session_id is not None:
        # A page that closed without news is a payment still settling: no second page either.
        return await _back_to_page(uows, clock, gateway, pledge) or CheckoutStart(pledge, None)
    mode = checkout_mode_for(campaign.funding_model, late=pledge.late)
    request = _checkout_request(campaign, backer, pledge, urls, mode, clock.now())
    if mode is CheckoutMode.PAYMENT:
        # A card saved for later is charged to the creator's account at the deadline.
        request = _to_account(request, terms, account)
    try:
        page = await _open_page(uows, clock, gateway, request, PledgeStatus.PENDING)
    except Exception:
        # Only the request that started the pledge gives it up: another one that found it may
        # be opening its page this very moment (the provider's idempotency key is shared).
        if start.started:
            await _give_up(uows, clock, gateway, pledge.id)
        raise
    return CheckoutStart(pledge, page)


async def _give_up(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, pledge_id: int
) -> None:
    """A pledge whose page could not be made: its reward goes back now, and its link may
    start a new pledge once the provider is back."""
    await apply_payment_outcome(uows(), clock, PaymentOutcome(pledge_id, OutcomeKind.EXPIRED))
    async with uows() as uow:
        await uow.pledges.forget_link(pledge_id)
        given_up = await uow.pledges.get(pledge_id)
        await uow.commit()
    if given_up is not None and given_up.checkout_session_id is not None:
        # A concurrent request for the same pledge opened its page just before: close it.
        await gateway.expire_checkout(given_up.checkout_session_id)


def _checkout_request(
    campaign: Campaign,
    backer: Backer,
    pledge: Pledge,
    urls: ReturnUrls,
    mode: CheckoutMode,
    now: datetime,
    raised: Pledge | None = None,
) -> CheckoutRequest:
    """The page for a pledge, or (`raised` given) for the top-up that raises that pledge."""
    tier_id = pledge.tier_id if raised is None or pledge.tier_id is not None else raised.tier_id
    tier = campaign.tier(tier_id) if tier_id is not None else None
    expires_at = _session_expiry(now)
    with use_locale(backer.effective_locale):
        wording = _wording(campaign, tier, pledge, mode, raised)
    return CheckoutRequest(
        pledge_id=pledge.id,
        mode=mode,
        amount=pledge.amount,
        item_name=wording.item_name,
        item_description=wording.item_description,
        submit_message=wording.submit_message,
        success_url=urls.success_url,
        cancel_url=urls.cancel_url(pledge.id),
        expires_at=expires_at,
        # A top-up's reward ships to the address its pledge has (or is not offered).
        ship_to=ship_to(tier.ships, tier.ship_countries)
        if tier is not None and raised is None
        else None,
        # Per pledge, mode and minute: a double tap reuses the page, a retry gets its own.
        idempotency_key=f"backit-pledge-{pledge.id}-{mode}-{int(expires_at.timestamp())}",
    )


def _to_account(
    request: CheckoutRequest, terms: PayoutTerms, account: PayoutAccount | None
) -> CheckoutRequest:
    """The request paying the creator's account, less Backit's fee, when there is one."""
    if account is None:
        return request
    return replace(request, destination=terms.destination(account, request.amount))


def _wording(
    campaign: Campaign,
    tier: RewardTier | None,
    pledge: Pledge,
    mode: CheckoutMode,
    raised: Pledge | None,
) -> CheckoutWording:
    if raised is None:
        return checkout_wording(campaign, tier, pledge.amount, mode)
    total = Money(raised.backed_amount + pledge.amount.amount, pledge.amount.currency)
    return top_up_wording(campaign, tier, total)


async def begin_top_up(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    limits: PledgeLimits,
    link: TopUpLink,
    link_key: str,
    urls: ReturnUrls,
    terms: PayoutTerms = NO_PAYOUTS,
) -> CheckoutStart:
    """Start (or resume) the top-up a link asks for and open its checkout page; the pledge
    itself when there is nothing (left) to pay."""
    async with uows() as uow:
        pledge = await uow.pledges.get(link.pledge_id)
        campaign = await uow.campaigns.get(pledge.campaign_id) if pledge else None
        # Refused before the top-up is written while the creator's account takes no payments.
        account = await payout_account_for(uow, campaign, terms) if campaign else None
    start = await start_top_up(uows, clock, limits, link, link_key)
    top_up = start.top_up
    if top_up is not None and top_up.status not in (PledgeStatus.PENDING, PledgeStatus.PAID):
        # Left unpaid: the link is used up, the pledge as it was.
        return CheckoutStart(top_up, None)
    if top_up is None or top_up.status is PledgeStatus.PAID:
        async with uows() as uow:
            pledge = await uow.pledges.get(start.pledge.id)
        assert pledge is not None, "a pledge is never deleted"
        return CheckoutStart(pledge, None)
    if top_up.checkout_session_id is not None:
        return await _back_to_page(uows, clock, gateway, top_up) or CheckoutStart(
            start.pledge, None
        )
    request = _checkout_request(
        start.campaign,
        start.backer,
        top_up,
        urls,
        CheckoutMode.PAYMENT,
        clock.now(),
        raised=start.pledge,
    )
    request = _to_account(request, terms, account)
    try:
        page = await _open_page(uows, clock, gateway, request, PledgeStatus.PENDING)
    except Exception:
        if start.started:
            await _give_up(uows, clock, gateway, top_up.id)
        raise
    return CheckoutStart(top_up, page)


async def _open_page(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    request: CheckoutRequest,
    status: PledgeStatus,
) -> str:
    session = await gateway.create_checkout(request)
    async with uows() as uow:
        # Recorded only while the pledge is as it was: a concurrent request may have given
        # it up (its own attempt at the page failed) or settled it meanwhile.
        recorded = await uow.pledges.transition(
            request.pledge_id,
            status,
            status,
            clock.now(),
            refs=PaymentRefs(checkout_session_id=session.id),
        )
        destination = request.destination
        if recorded and destination is not None:
            await uow.pledges.set_destination(
                request.pledge_id, destination.account_id, destination.fee.amount
            )
        await uow.commit()
    if not recorded:
        # Nobody may pay on a page whose pledge no longer waits for it.
        await gateway.expire_checkout(session.id)
        raise PaymentUnavailable()
    return session.url


async def _back_to_page(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, pledge: Pledge
) -> CheckoutStart | None:
    """The pledge's page while open, else the pledge as that page left it (None: unchanged)."""
    # Never a second page beside an open one: both could be paid.
    assert pledge.checkout_session_id is not None
    page = await gateway.open_checkout(pledge.checkout_session_id)
    if page is not None:
        return CheckoutStart(pledge, page.url)
    # Paid or expired before the news arrived: apply what the provider says now.
    confirmation = await confirm_checkout(uows, clock, gateway, pledge.checkout_session_id)
    if confirmation is None or confirmation.pledge.status is pledge.status:
        return None
    return CheckoutStart(confirmation.pledge, None)


async def begin_retry(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PaymentGateway,
    link: RetryLink,
    urls: ReturnUrls,
    terms: PayoutTerms = NO_PAYOUTS,
) -> CheckoutStart:
    """Open a payment page for a pledge whose card was declined at the deadline."""
    async with uows() as uow:
        pledge = await uow.pledges.get(link.pledge_id)
        campaign = await uow.campaigns.get(pledge.campaign_id) if pledge else None
        backer = await uow.backers.get(pledge.backer_id) if pledge else None
        account = await payout_account_for(uow, campaign, terms) if campaign else None
    if pledge is None or campaign is None or backer is None:
        raise InvalidLink()
    if pledge.status is not PledgeStatus.FAILED:
        return CheckoutStart(pledge, None)
    if clock.now() >= campaign.ends_at + RETRY_WINDOW:
        raise ExpiredLink()
    if pledge.checkout_session_id is not None:
        # The page that saved the card is closed; an earlier retry's may still be open.
        resumed = await _back_to_page(uows, clock, gateway, pledge)
        if resumed is not None:
            return resumed
    request = _checkout_request(campaign, backer, pledge, urls, CheckoutMode.PAYMENT, clock.now())
    request = _to_account(request, terms, account)
    page = await _open_page(uows, clock, gateway, request, PledgeStatus.FAILED)
    return CheckoutStart(pledge, page)


async def confirm_checkout(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, session_id: str
) -> PledgeConfirmation | None:
    """Apply what the provider says about a session (as its webhook would) and read the result."""
    outcome = await gateway.checkout_outcome(session_id)
    if outcome is None:
        return None
    await apply_payment_outcome(uows(), clock, outcome)
    async with uows() as uow:
        pledge = await uow.pledges.get(outcome.pledge_id)
        if pledge is not None and pledge.tops_up is not None and pledge.counted:
            # A top-up's page, paid: the thanks are for the pledge it raised.
            pledge = await uow.pledges.get(pledge.tops_up)
        if pledge is None:
            return None
        campaign = await uow.campaigns.get(pledge.campaign_id)
        backer = await uow.backers.get(pledge.backer_id)
    assert campaign is not None, "a pledge's campaign is never deleted"
    assert backer is not None, "a pledge's backer is never deleted"
    return PledgeConfirmation(pledge, campaign, backer)


async def abandon_checkout(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, pledge_id: int
) -> PledgeConfirmation | None:
    """Close the page the backer left and free the reward, unless it was paid meanwhile."""
    async with uows() as uow:
        pledge = await uow.pledges.get(pledge_id)
    if pledge is None or pledge.checkout_session_id is None:
        raise CheckoutNotFound()
    session_id = pledge.checkout_session_id
    if await gateway.checkout_outcome(session_id) is None:
        await gateway.expire_checkout(session_id)
    return await confirm_checkout(uows, clock, gateway, session_id)


async def sweep_stale_checkouts(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway
) -> int:
    """Settle pending pledges whose hold on their reward has ended (closing their page first if
    still open); returns how many were settled."""
    async with uows() as uow:
        stale = await uow.pledges.stale_pending(clock.now() - CHECKOUT_LIFETIME)
    for pledge in stale:
        outcome = await _provider_verdict(gateway, pledge)
        await apply_payment_outcome(
            uows(), clock, outcome or PaymentOutcome(pledge.id, OutcomeKind.EXPIRED)
        )
    return len(stale)


async def _provider_verdict(gateway: PaymentGateway, pledge: Pledge) -> PaymentOutcome | None:
    """What the provider says of a stale pledge's page, after closing it if still open."""
    if pledge.checkout_session_id is None:
        return None
    try:
        # Ask the provider first: a late webhook must never turn a payment into an expiry.
        outcome = await gateway.checkout_outcome(pledge.checkout_session_id)
        if outcome is None:
            await gateway.expire_checkout(pledge.checkout_session_id)
            outcome = await gateway.checkout_outcome(pledge.checkout_session_id)
    except CheckoutNotFound:
        # A page the provider never knew (or forgot) was never paid on.
        return None
    return outcome
