"""Reconciling: replay what the payment provider recorded, so no missed webhook goes unapplied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.payments import PaymentAnomaly, PaymentOutcome
from core.ports import Clock, PaymentGateway, UnitOfWorkFactory
from core.usecases.payments import apply_payment_outcome


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """How many provider records were read, the ones that changed a pledge, and the reports
    still waiting for an operator."""

    examined: int
    repaired: Sequence[PaymentOutcome]
    anomalies: Sequence[PaymentAnomaly]


async def resolve_anomaly(uows: UnitOfWorkFactory, clock: Clock, anomaly_id: int) -> bool:
    """Mark an anomaly looked into, so it is listed no more; False if none such is unresolved."""
    async with uows() as uow:
        resolved = await uow.payment_events.resolve_anomaly(anomaly_id, clock.now())
        await uow.commit()
    return resolved


async def reconcile(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PaymentGateway, since: datetime
) -> Reconciliation:
    """Apply every outcome the provider recorded since a moment, through the idempotent path."""
    examined = 0
    repaired: list[PaymentOutcome] = []
    async for outcome in gateway.outcomes_since(since):
        examined += 1
        applied = await apply_payment_outcome(uows(), clock, outcome)
        if applied.changed:
            repaired.append(outcome)
    async with uows() as uow:
        anomalies = await uow.payment_events.unresolved_anomalies()
    return Reconciliation(examined, repaired, anomalies)
