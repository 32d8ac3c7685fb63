"""Creators' payout accounts: opened once, onboarded with the provider, kept up to date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from core import notifications
from core.campaigns import Campaign, CampaignStatus
from core.identity import Caller, Identity
from core.money import Money
from core.payouts import (
    ACCOUNT_COUNTRIES,
    AccountCountryUnsupported,
    AccountState,
    AccountUpdate,
    Destination,
    PayoutAccount,
    PayoutsNotReady,
    PayoutTerms,
)
from core.ports import Clock, PayoutGateway, UnitOfWork, UnitOfWorkFactory
from core.usecases.payments import creator_recipients


class OnboardingUrls(Protocol):
    """Backit's own pages the provider's onboarding sends a creator back to."""

    def refresh_url(self, account_id: str, identity: Identity) -> str:
        """Where a used or expired onboarding link leads: a page that makes a new one."""
        ...

    def return_url(self, account_id: str, identity: Identity) -> str:
        """Where the creator lands after onboarding: a page saying where they stand."""
        ...


@dataclass(frozen=True, slots=True)
class PayoutsStatus:
    """A creator's account as the provider has it now, and where to go next: onboarding
    while details are missing, the account's dashboard once they are given."""

    account: PayoutAccount
    url: str

    @property
    def onboarded(self) -> bool:
        """Whether the creator gave the provider what onboarding asks."""
        return self.account.state.details_submitted


def account_country(text: str | None, terms: PayoutTerms) -> str:
    """The country an account is opened in: the one asked for, else the platform's."""
    if text is None or not text.strip():
        return terms.platform_country
    country = text.strip().upper()
    if country not in ACCOUNT_COUNTRIES:
        raise AccountCountryUnsupported(country=text.strip()[:20])
    return country


async def open_payouts(
    uows: UnitOfWorkFactory,
    clock: Clock,
    gateway: PayoutGateway,
    caller: Caller,
    country: str | None,
    terms: PayoutTerms,
    urls: OnboardingUrls,
) -> PayoutsStatus:
    """The caller's payout account (opened now if they have none) and its next link."""
    async with uows() as uow:
        identities = await _creator_identities(uow, caller.identity)
        account = await uow.payout_accounts.of_creators(identities)
    if account is None:
        # Validated only when an account is opened: an existing one keeps its country.
        opened = await gateway.create_account(
            account_country(country, terms), f"backit-account-{caller.identity}"
        )
        account = await _keep_new(uows, clock, opened, identities)
    else:
        state = await gateway.account_state(account.account_id)
        async with uows() as uow:
            await keep_state(uow, state, clock.now())
            await uow.commit()
            account = await uow.payout_accounts.of_creators(identities)
        assert account is not None, "an account is never deleted"
    if account.state.details_submitted:
        url = await gateway.dashboard_link(account.account_id)
    else:
        url = await gateway.onboarding_link(
            account.account_id,
            urls.refresh_url(account.account_id, caller.identity),
            urls.return_url(account.account_id, caller.identity),
        )
    return PayoutsStatus(account, url)


async def _creator_identities(uow: UnitOfWork, identity: Identity) -> list[Identity]:
    """The caller and whoever creates campaigns with them (the same creator on another
    platform), the caller first."""
    identities = [identity]
    for campaign in await uow.campaigns.created_by(identity):
        identities += [i for i in campaign.creator_identities if i not in identities]
    return identities


async def _keep_new(
    uows: UnitOfWorkFactory, clock: Clock, state: AccountState, identities: list[Identity]
) -> PayoutAccount:
    async with uows() as uow:
        added = await uow.payout_accounts.add(state, identities, clock.now())
        await uow.commit()
        if added is not None:
            return added
        # Opened by a concurrent request: the provider's idempotency key gave both the same
        # account, which that request stored.
        existing = await uow.payout_accounts.of_creators(identities)
    assert existing is not None, "an account is stored before it is refused as taken"
    return existing


async def page_status(
    uows: UnitOfWorkFactory, clock: Clock, gateway: PayoutGateway, account_id: str
) -> PayoutAccount | None:
    """An account as the provider has it now, kept; None for an account Backit never opened."""
    async with uows() as uow:
        known = await uow.payout_accounts.hold(account_id)
    if known is None:
        return None
    state = await gateway.account_state(account_id)
    async with uows() as uow:
        await keep_state(uow, state, clock.now())
        await uow.commit()
        return await uow.payout_accounts.hold(account_id)


async def apply_account_update(uow: UnitOfWork, clock: Clock, update: AccountUpdate) -> bool:
    """Keep what a provider event says about an account, once; False for a repeat, stale
    news or an account Backit never opened."""
    now = clock.now()
    async with uow:
        if update.event_id is not None and not await uow.payment_events.record(
            update.event_id, now
        ):
            return False
        changed = await keep_state(uow, update.state, now)
        await uow.commit()
    return changed


async def keep_state(uow: UnitOfWork, state: AccountState, now: datetime) -> bool:
    """Keep an account's state unless newer is kept; its live campaigns' creators hear when
    it stops, or starts again, taking payments."""
    held = await uow.payout_accounts.hold(state.account_id)
    if held is None or not await uow.payout_accounts.save_state(state):
        return False
    if held.state.charges_enabled != state.charges_enabled:
        for campaign in await _live_campaigns(uow, held.identities):
            notification = notifications.payouts_changed(
                campaign, state.charges_enabled, state.as_of
            )
            for recipient in await creator_recipients(uow, campaign):
                await uow.outbox.enqueue(recipient, notification, now)
    return True


async def _live_campaigns(uow: UnitOfWork, identities: tuple[Identity, ...]) -> list[Campaign]:
    live: dict[int, Campaign] = {}
    for identity in identities:
        for campaign in await uow.campaigns.created_by(identity):
            if campaign.status is CampaignStatus.LIVE:
                live.setdefault(campaign.id, campaign)
    return list(live.values())


async def payout_account_for(
    uow: UnitOfWork, campaign: Campaign, terms: PayoutTerms
) -> PayoutAccount | None:
    """The account a new payment for a campaign goes to: None on a deployment that keeps
    payments on its own account; refused while the creator's account cannot take them."""
    if not terms.connect:
        return None
    account = await uow.payout_accounts.of_creators(campaign.creator_identities)
    if account is None or not account.can_take_pledges:
        raise PayoutsNotReady()
    return account


async def settlement_destination(
    uow: UnitOfWork, campaign: Campaign, terms: PayoutTerms, amount: Money
) -> Destination | None:
    """Where a card saved before the deadline is charged: the creator's account whatever
    its state now (the provider refuses the charge, to be tried again, if it cannot take it)."""
    if not terms.connect:
        return None
    account = await uow.payout_accounts.of_creators(campaign.creator_identities)
    return None if account is None else terms.destination(account, amount)


async def repair_accounts(uows: UnitOfWorkFactory, clock: Clock, gateway: PayoutGateway) -> int:
    """Read every account from the provider and keep what changed (events may have been
    missed); how many accounts changed."""
    async with uows() as uow:
        accounts = await uow.payout_accounts.list_all()
    changed = 0
    for account in accounts:
        state = await gateway.account_state(account.account_id)
        if replace(account.state, as_of=state.as_of) == state:
            continue  # nothing new: the kept state stays as of when it was last news
        async with uows() as uow:
            changed += await keep_state(uow, state, clock.now())
            await uow.commit()
    return changed
