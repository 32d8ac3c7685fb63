"""Reconciling: replay what the payment provider recorded, so no missed webhook goes unapplied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.payments import PaymentAnomaly, PaymentOutcome
from core.ports import Clock, PaymentGateway, PayoutGateway, UnitOfWorkFactory
from core.usecases.payments import apply_payment_outcome
from core.usecases.payouts import repair_accounts


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


@dataclass(frozen=True, slots=True)
class PayoutRepairs:
    """What reading creators' accounts and transfers back from the provider changed."""

    accounts: int
    transfers: int


async def reconcile_payouts(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PayoutGateway
) -> PayoutRepairs:
    """Keep every account's state as the provider has it, and the transfer of every payment
    to a creator's account whose news was missed."""
    accounts = await repair_accounts(uows, clock, gateway)
    async with uows() as uow:
        waiting = await uow.pledges.paid_without_transfer()
    transfers = 0
    for pledge in waiting:
        intent = pledge.payment_intent_id
        transfer_id = await gateway.transfer_of(intent) if intent is not None else None
        if transfer_id is None:
            continue
        async with uows() as uow:
            await uow.pledges.set_payment_refs(pledge.id, transfer_id=transfer_id)
            await uow.commit()
        transfers += 1
    return PayoutRepairs(accounts, transfers)
