"""The services every chat surface runs on, built once from the settings."""

from __future__ import annotations

from adapters.chat_services import ChatServices
from adapters.stripe.gateway import StripeGateway
from bots.config import PaymentSecrets, Settings
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, UnitOfWorkFactory


def chat_services(
    settings: Settings,
    uows: UnitOfWorkFactory,
    clock: Clock,
    payments: tuple[PaymentSecrets, StripeGateway] | None,
) -> ChatServices:
    """Core's ports and the settings, with pledge links when payments are configured."""
    signer = (
        PledgeLinkSigner(payments[0].link_secret, settings.web.pledge_link_lifetime)
        if payments
        else None
    )
    return ChatServices(
        uows=uows,
        clock=clock,
        limits=settings.pledges.limits,
        operators=settings.operators.identities,
        public_url=settings.web.public_url,
        signer=signer,
        gateway=payments[1] if payments else None,
    )
