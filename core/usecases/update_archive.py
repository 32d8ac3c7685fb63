"""A campaign's past updates, as much of them as the reader may see."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.campaigns import Campaign
from core.identity import Identity
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.updates import CreatorUpdate
from core.usecases.choosing import Choice, chosen_campaign

ARCHIVE_PAGE = 5


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """One page of a campaign's updates, newest first."""

    campaign: Campaign
    updates: Sequence[CreatorUpdate]
    total: int
    offset: int
    limit: int
    # Whether backers-only updates are among them: the reader backed it, created it or runs Backit.
    insider: bool

    @property
    def has_previous(self) -> bool:
        """Whether newer updates come before this page."""
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        """Whether older updates come after this page."""
        return self.offset + self.limit < self.total


async def is_insider(
    uow: UnitOfWork, campaign: Campaign, reader: Identity, operators: Collection[Identity]
) -> bool:
    """Whether the reader may read a campaign's backers-only updates: its creator, an
    operator, or someone whose pledge to it counts."""
    if campaign.is_creator(reader) or reader in operators:
        return True
    backer = await uow.backers.by_identity(reader)
    if backer is None:
        return False
    pledges = await uow.pledges.of_backer(backer.id)
    return any(p.campaign_id == campaign.id and p.counted for p in pledges)


async def _page(
    uow: UnitOfWork,
    campaign: Campaign,
    reader: Identity,
    operators: Collection[Identity],
    offset: int,
    limit: int,
    shared: bool,
) -> ArchivePage:
    # Where others read along (a group), backers-only updates are shown to nobody.
    insider = not shared and await is_insider(uow, campaign, reader, operators)
    updates, total = await uow.updates.of_campaign(
        campaign.id, backers_only_too=insider, offset=offset, limit=limit
    )
    return ArchivePage(campaign, updates, total, offset, limit, insider)


async def archive(
    uows: UnitOfWorkFactory,
    operators: Collection[Identity],
    reader: Identity,
    choice: Choice,
    offset: int = 0,
    *,
    shared: bool = False,
    limit: int = ARCHIVE_PAGE,
) -> ArchivePage:
    """A page of the updates of the campaign a reader named or picked (a paging button names
    it by id); `shared` when others read the answer too."""
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, reader, operators)
        return await _page(uow, campaign, reader, operators, offset, limit, shared)
