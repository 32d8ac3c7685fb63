"""Pledge links and the pages Stripe's checkout returns to."""

from __future__ import annotations

import logging
import re

from aiohttp import web

from adapters.images.card_images import picture_now, picture_path
from adapters.web import pages
from adapters.web.campaign_page import WaysToBack
from adapters.web.campaign_page import campaign_page as show_campaign
from adapters.web.locale import request_locale
from adapters.web.previews import only_looking
from adapters.web.services import SERVICES, ChatReturn, WebServices
from adapters.web.throttle import PAGE_RATE, ClientThrottle, client_address
from core.backers import Backer
from core.errors import (
    CampaignNotFound,
    CampaignNotLaunched,
    CampaignNotLive,
    CannotChange,
    DomainError,
    InvalidAmount,
    TierNotFound,
    TierReserved,
    TierSoldOut,
    WrongCurrency,
)
from core.i18n import use_locale
from core.payments import CheckoutNotFound, PaymentUnavailable
from core.payouts import PayoutsNotReady
from core.pledge_links import ExpiredLink, InvalidLink, link_key
from core.usecases.backers import REFERRAL_CODE
from core.usecases.browsing import count_waiting
from core.usecases.checkout import (
    CheckoutStart,
    ReturnUrls,
    abandon_checkout,
    begin_checkout,
    begin_retry,
    begin_top_up,
    confirm_checkout,
)
from core.usecases.managing import SLUG

log = logging.getLogger(__name__)
# Visits to the success page that go on to ask the payment provider, per client.
SUCCESS_THROTTLE = web.AppKey("success_throttle", ClientThrottle)
# The provider's ids are letters, digits and underscores, and storage holds 255 characters.
_SESSION_ID = re.compile(r"[A-Za-z0-9_]{1,255}")

_STATUS: dict[type[DomainError], int] = {
    InvalidLink: 400,
    ExpiredLink: 410,
    CampaignNotFound: 404,
    CampaignNotLive: 410,
    # Not yet: the same link works once the campaign launches.
    CampaignNotLaunched: 409,
    TierNotFound: 404,
    TierSoldOut: 409,
    TierReserved: 409,
    InvalidAmount: 400,
    WrongCurrency: 400,
    PaymentUnavailable: 503,
    CheckoutNotFound: 404,
    CannotChange: 409,
    # The creator's account cannot take payments (yet, or any more): nothing was started.
    PayoutsNotReady: 409,
}

routes = web.RouteTableDef()


def _services(request: web.Request) -> WebServices:
    return request.app[SERVICES]


def _return_urls(services: WebServices) -> ReturnUrls:
    base = services.public_url.rstrip("/")
    return ReturnUrls(
        success_url=f"{base}/pledge/success?session_id={{CHECKOUT_SESSION_ID}}",
        # Stripe fills in nothing on the way back: the address names the pledge itself, signed.
        cancel_url=lambda pledge_id: (
            f"{base}/pledge/cancel?pledge={services.signer.sign_cancel(pledge_id)}"
        ),
    )


async def _opened_here(services: WebServices, session_id: str) -> bool:
    """Whether a checkout session is one Backit opened for a pledge."""
    if _SESSION_ID.fullmatch(session_id) is None:
        return False
    async with services.uows(read_only=True) as uow:
        return await uow.pledges.by_checkout_session(session_id) is not None


async def _preview(services: WebServices, campaign_id: int) -> web.Response:
    """The preview of a pasted pledge link: its campaign, with the campaign's picture."""
    campaign = await services.reads.campaign(campaign_id)
    if campaign is None or not campaign.shown_to(None, ()):
        return pages.preview_page(None)
    picture = picture_now(campaign, services.clock.now())
    return pages.preview_page(campaign, services.public_url + picture_path(campaign.slug, picture))


def _refusal(error: DomainError) -> web.Response:
    return pages.error_page(error.user_message(), _STATUS.get(type(error), 400))


async def _to_checkout(services: WebServices, start: CheckoutStart) -> web.Response:
    if start.checkout_url is not None:
        raise web.HTTPSeeOther(start.checkout_url)
    async with services.uows(read_only=True) as uow:
        campaign = await uow.campaigns.get(start.pledge.campaign_id)
        backer = await uow.backers.get(start.pledge.backer_id)
    if campaign is None:
        raise CampaignNotFound(slug=str(start.pledge.campaign_id))
    return pages.settled_page(start.pledge, campaign, _way_back(services, backer))


def _way_back(services: WebServices, backer: Backer | None) -> ChatReturn | None:
    """The way back to the chat the backer pledged from, when it runs here."""
    return services.links.back_to_chat(backer.identity.platform) if backer is not None else None


@routes.get("/pledge/success")
async def pledge_success(request: web.Request) -> web.Response:
    """Confirm the pledge through the same path as the webhook, and thank the backer."""
    services = _services(request)
    with use_locale(request_locale(request)):
        if only_looking(request):
            return pages.preview_page(None)
        session_id = request.query.get("session_id", "")
        # Anyone can call this address: only pages Backit opened are worth asking Stripe about,
        # and only so often.
        if not await _opened_here(services, session_id):
            return _refusal(CheckoutNotFound())
        if not request.app[SUCCESS_THROTTLE].allow(client_address(request)):
            return pages.too_often_page(int(PAGE_RATE.seconds))
        try:
            confirmation = await confirm_checkout(
                services.uows, services.clock, services.gateway, session_id
            )
        except (PaymentUnavailable, CheckoutNotFound) as error:
            return _refusal(error)
        if confirmation is None:
            return pages.confirming_page()
        pledge, campaign, backer = confirmation.pledge, confirmation.campaign, confirmation.backer
        if not pledge.counted:
            # An expired or refunded pledge's page, opened again: nothing to thank for.
            return pages.settled_page(pledge, campaign, _way_back(services, backer))
        with use_locale(backer.effective_locale):
            return pages.thanks_page(
                pledge,
                campaign,
                services.links.share_url(campaign, backer.referral_code),
                _way_back(services, backer),
            )


@routes.get("/pledge/cancel")
async def pledge_cancel(request: web.Request) -> web.Response:
    """The backer left the checkout page: close it and free the reward."""
    services = _services(request)
    with use_locale(request_locale(request)):
        if only_looking(request):
            return pages.preview_page(None)
        try:
            pledge_id = services.signer.verify_cancel(request.query.get("pledge", ""))
            confirmation = await abandon_checkout(
                services.uows, services.clock, services.gateway, pledge_id
            )
        except DomainError as error:
            return _refusal(error)
        if confirmation is None:
            return pages.released_page(None)
        way_back = _way_back(services, confirmation.backer)
        if confirmation.pledge.counted:
            # Paid after all (the page's back link, or another tab): say so, never "no payment".
            return pages.settled_page(confirmation.pledge, confirmation.campaign, way_back)
        return pages.released_page(way_back)


@routes.get("/pledge/retry/{token}")
async def pledge_retry(request: web.Request) -> web.Response:
    """Pay, with another card, a pledge whose deadline charge was declined."""
    services = _services(request)
    with use_locale(request_locale(request)):
        if only_looking(request):
            return pages.preview_page(None)
        try:
            link = services.signer.verify_retry(request.match_info["token"], services.clock.now())
            start = await begin_retry(
                services.uows,
                services.clock,
                services.gateway,
                link,
                _return_urls(services),
                services.terms,
            )
            return await _to_checkout(services, start)
        except DomainError as error:
            return _refusal(error)


@routes.get("/pledge/top-up/{token}")
async def pledge_top_up(request: web.Request) -> web.Response:
    """Pay the difference that raises a paid pledge; the pledge changes once it is paid."""
    services = _services(request)
    token = request.match_info["token"]
    with use_locale(request_locale(request)):
        if only_looking(request):
            return pages.preview_page(None)
        try:
            link = services.signer.verify_top_up(token, services.clock.now())
            start = await begin_top_up(
                services.uows,
                services.clock,
                services.gateway,
                services.limits,
                link,
                link_key(token),
                _return_urls(services),
                services.terms,
            )
            return await _to_checkout(services, start)
        except DomainError as error:
            return _refusal(error)


@routes.get("/pledge/{token}")
async def pledge_link(request: web.Request) -> web.Response:
    """Follow a signed pledge link: start the pledge and go to Stripe's page."""
    services = _services(request)
    token = request.match_info["token"]
    with use_locale(request_locale(request)):
        try:
            link = services.signer.verify(token, services.clock.now())
            if only_looking(request):
                return await _preview(services, link.campaign_id)
            start = await begin_checkout(
                services.uows,
                services.clock,
                services.gateway,
                services.limits,
                link,
                link_key(token),
                _return_urls(services),
                services.terms,
            )
            return await _to_checkout(services, start)
        except DomainError as error:
            if only_looking(request):
                return pages.preview_page(None)
            return _refusal(error)


@routes.get("/c/{slug}")
async def campaign_page(request: web.Request) -> web.Response:
    """A campaign's public page, where shared links land; `?ref=` is the sharer's code."""
    services = _services(request)
    slug = request.match_info["slug"]
    with use_locale(request_locale(request)):
        campaign = await services.reads.campaign(slug) if SLUG.fullmatch(slug) else None
        if campaign is None or not campaign.shown_to(None, ()):
            return _refusal(CampaignNotFound(slug=slug))
        # A code that cannot be one credits nobody, and never reaches a link.
        ref = request.query.get("ref", "")
        referral_code = ref if REFERRAL_CODE.fullmatch(ref) else None
        ways = WaysToBack(
            services.links.telegram_url(campaign, referral_code), services.links.discord_url()
        )
        waiting = await count_waiting(services.uows, campaign)
        return show_campaign(
            campaign, services.clock.now(), ways, referral_code, services.public_url, waiting
        )
