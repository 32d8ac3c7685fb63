"""Seeding a catalog: create each new campaign, publish it, and back it with demo backers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bots.catalog import CatalogEntry
from core.campaigns import Campaign
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.ports import Clock, UnitOfWorkFactory
from core.usecases.browsing import campaign_by_slug
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.pledging import PledgeLimits
from core.usecases.seeding import seed_backers, seed_cover


class CreatorsNotPaid(Exception):
    """With Connect on, live campaigns whose creators' accounts cannot take payments: none
    could be published, so nothing is seeded."""

    def __init__(self, slugs: Sequence[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = tuple(slugs)


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What seeding did: the campaigns it created, and the slugs it left alone."""

    created: tuple[Campaign, ...]
    skipped: tuple[str, ...]


async def existing_slugs(uows: UnitOfWorkFactory) -> set[str]:
    """The slugs of every stored campaign."""
    async with uows() as uow:
        return {campaign.slug for campaign in await uow.campaigns.list_all()}


async def seed_catalog(
    uows: UnitOfWorkFactory,
    clock: Clock,
    limits: PledgeLimits,
    entries: Sequence[CatalogEntry],
    terms: PayoutTerms = NO_PAYOUTS,
) -> SeedReport:
    """Create every campaign whose slug is new; existing slugs are skipped, not updated. Live
    ones are published under `terms`: with connect, only if every new live one's creators
    have an account that takes payments (CreatorsNotPaid names those that have not, and
    nothing is seeded)."""
    taken = await existing_slugs(uows)
    if terms.connect:
        unpaid = await _unpaid(uows, [e for e in entries if e.live and e.draft.slug not in taken])
        if unpaid:
            raise CreatorsNotPaid(unpaid)
    created: list[Campaign] = []
    skipped: list[str] = []
    for entry in entries:
        if entry.draft.slug in taken:
            skipped.append(entry.draft.slug)
            continue
        campaign = await create_campaign(uows(), entry.draft)
        if entry.cover is not None:
            await seed_cover(uows(), campaign.id, entry.cover)
        if entry.live:
            campaign = await publish_campaign(uows(), clock, campaign.slug, terms)
        for backing in entry.backing:
            tier = next((t for t in campaign.tiers if t.title == backing.tier), None)
            await seed_backers(
                uows,
                clock,
                limits,
                campaign,
                backing.count,
                tier.id if tier else None,
                backing.amount,
            )
        created.append(await campaign_by_slug(uows(), campaign.slug))
    return SeedReport(tuple(created), tuple(skipped))


async def _unpaid(uows: UnitOfWorkFactory, entries: Sequence[CatalogEntry]) -> list[str]:
    """The slugs of the entries whose creators have no account taking payments."""
    unpaid = []
    async with uows() as uow:
        for entry in entries:
            account = await uow.payout_accounts.of_creators(entry.draft.creator_identities)
            if account is None or not account.can_take_pledges:
                unpaid.append(entry.draft.slug)
    return unpaid
