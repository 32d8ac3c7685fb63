"""The pages Stripe's onboarding returns a creator to: a fresh link, or where they stand."""

from __future__ import annotations

from aiohttp import web

from adapters.web import pages
from adapters.web.locale import request_locale
from adapters.web.payout_pages import PayoutPageLink, PayoutPages
from adapters.web.services import SERVICES
from core.i18n import gettext, use_locale
from core.payments import PaymentUnavailable
from core.pledge_links import ExpiredLink, InvalidLink
from core.ports import PayoutGateway
from core.usecases.payouts import page_status
from core.views.payouts import onboarding_result

routes = web.RouteTableDef()


def _payouts(request: web.Request) -> tuple[PayoutGateway, PayoutPages]:
    """The provider and the pages; no such pages unless creators are paid through accounts."""
    services = request.app[SERVICES]
    if services.payouts is None or services.payout_pages is None:
        raise web.HTTPNotFound()
    return services.payouts, services.payout_pages


def _link(payout_pages: PayoutPages, token: str) -> PayoutPageLink | web.Response:
    """What the token names, or the page saying the link cannot be used."""
    try:
        return payout_pages.verify(token)
    except InvalidLink:
        status = 400
    except ExpiredLink:
        status = 410
    message = gettext(
        "This payout link is not valid or has expired. Ask for a new one with /payouts in the chat."
    )
    return pages.error_page(message, status)


def _unavailable() -> web.Response:
    return pages.error_page(PaymentUnavailable().user_message(), 503)


@routes.get("/payouts/refresh/{token}")
async def payouts_refresh(request: web.Request) -> web.StreamResponse:
    """A used or expired onboarding link, replaced by a new one: never an error to the creator."""
    gateway, payout_pages = _payouts(request)
    with use_locale(request_locale(request)):
        link = _link(payout_pages, request.match_info["token"])
        if isinstance(link, web.Response):
            return link
        try:
            url = await gateway.onboarding_link(
                link.account_id,
                payout_pages.refresh_url(link.account_id, link.identity),
                payout_pages.return_url(link.account_id, link.identity),
            )
        except PaymentUnavailable:
            return _unavailable()
        raise web.HTTPSeeOther(url)


@routes.get("/payouts/return/{token}")
async def payouts_return(request: web.Request) -> web.StreamResponse:
    """Where the creator's account stands now, read from the provider, and the way back."""
    gateway, payout_pages = _payouts(request)
    services = request.app[SERVICES]
    with use_locale(request_locale(request)):
        link = _link(payout_pages, request.match_info["token"])
        if isinstance(link, web.Response):
            return link
        try:
            account = await page_status(services.uows, services.clock, gateway, link.account_id)
        except PaymentUnavailable:
            return _unavailable()
        async with services.uows(read_only=True) as uow:
            creator = await uow.backers.by_identity(link.identity)
    # In the language the creator chose in the chat, as the thank-you page speaks the backer's.
    locale = creator.effective_locale if creator is not None else request_locale(request)
    with use_locale(locale):
        title, text = onboarding_result(account)
        return pages.payout_page(title, text, services.links.back_to_chat(link.identity.platform))
