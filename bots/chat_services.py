"""The services every chat surface runs on, built once from the settings."""

from __future__ import annotations

from functools import partial

from adapters.chat_services import ChatServices, Payouts
from adapters.images.card_images import card_images
from adapters.images.progress_charts import ProgressCharts
from adapters.stripe.gateway import StripeGateway
from bots.config import PaymentSecrets, Settings
from bots.payments import link_signer, payout_pages
from core.ports import ChangeCounters, Clock, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.usecases.covering import cover_jpeg


def chat_services(
    settings: Settings,
    uows: UnitOfWorkFactory,
    counters: ChangeCounters,
    clock: Clock,
    payments: tuple[PaymentSecrets, StripeGateway] | None,
) -> ChatServices:
    """Core's ports and the settings, with pledge links when payments are configured, and
    creators' payout accounts when they are paid through them ([payments] connect)."""
    signer = link_signer(settings, payments[0]) if payments else None
    payouts = None
    if payments is not None and settings.payments.connect:
        secrets, gateway = payments
        pages = payout_pages(settings, secrets, clock)
        payouts = Payouts(gateway, settings.payments.terms, pages)
    reads = CachedReads(uows, counters, clock)
    return ChatServices(
        uows=uows,
        clock=clock,
        reads=reads,
        progress_charts=ProgressCharts(reads, clock),
        limits=settings.pledges.limits,
        operators=settings.operators.identities,
        public_url=settings.web.public_url,
        signer=signer,
        gateway=payments[1] if payments else None,
        payouts=payouts,
        terms=settings.payments.terms,
        card_images=card_images(covers=partial(cover_jpeg, uows)),
    )
