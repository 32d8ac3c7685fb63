"""The services every chat surface runs on, built once from the settings."""

from __future__ import annotations

from adapters.chat_services import ChatServices
from adapters.stripe.gateway import StripeGateway
from bots.config import PaymentSecrets, Settings
from bots.payments import link_signer
from core.ports import Clock, UnitOfWorkFactory


def chat_services(
    settings: Settings,
    uows: UnitOfWorkFactory,
    clock: Clock,
    payments: tuple[PaymentSecrets, StripeGateway] | None,
) -> ChatServices:
    """Core's ports and the settings, with pledge links when payments are configured."""
    signer = link_signer(settings, payments[0]) if payments else None
    return ChatServices(
        uows=uows,
        clock=clock,
        limits=settings.pledges.limits,
        operators=settings.operators.identities,
        public_url=settings.web.public_url,
        signer=signer,
        gateway=payments[1] if payments else None,
    )
