"""The updates archive: newest first, a page at a time, backers-only news for insiders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound
from core.identity import Identity, Platform
from core.payments import OutcomeKind
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.managing import create_campaign
from core.usecases.update_archive import archive
from tests.core.conftest import CREATOR, apply, caller, draft, pledged
from tests.fakes import FakeDatabase, FixedClock

OPERATOR = Identity(Platform.DISCORD, "9")


async def posted(db: FakeDatabase, clock: FixedClock, campaign: Campaign, count: int) -> None:
    """`count` updates an hour apart, "News 0" the oldest; every third one for backers only."""
    async with db.unit_of_work() as uow:
        for n in range(count):
            audience = UpdateAudience.BACKERS if n % 3 == 2 else UpdateAudience.EVERYONE
            at = clock.now() - timedelta(hours=count - n)
            await uow.updates.add(CreatorUpdate(0, campaign.id, CREATOR, f"News {n}", audience, at))
        await uow.commit()


def texts(page_updates: object) -> list[str]:
    """The texts of a page's updates."""
    assert isinstance(page_updates, list)
    return [u.text for u in page_updates]


async def test_someone_who_has_not_backed_reads_public_updates_newest_first_by_pages(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await posted(db, clock, campaign, 9)
    first = await archive(db.unit_of_work, (), caller(5).identity, "lamp", limit=4)
    assert texts(first.updates) == ["News 7", "News 6", "News 4", "News 3"]
    assert (first.total, first.has_previous, first.has_next, first.insider) == (
        6,
        False,
        True,
        False,
    )
    second = await archive(db.unit_of_work, (), caller(5).identity, campaign.id, 4, limit=4)
    assert texts(second.updates) == ["News 1", "News 0"]
    assert (second.has_previous, second.has_next) == (True, False)


async def test_backers_the_creator_and_operators_also_read_backers_only_updates(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await posted(db, clock, campaign, 3)
    await apply(db, clock, await pledged(db, clock, campaign, 1, 1_000), OutcomeKind.PAID)
    # A pledge that never got past checkout does not make a backer.
    await pledged(db, clock, campaign, 2, 1_000)
    for reader in (caller(1).identity, CREATOR, OPERATOR):
        page = await archive(db.unit_of_work, (OPERATOR,), reader, "lamp")
        assert texts(page.updates) == ["News 2", "News 1", "News 0"]
    outsider = await archive(db.unit_of_work, (OPERATOR,), caller(2).identity, "lamp")
    assert texts(outsider.updates) == ["News 1", "News 0"]
    # In a group, where others read along, a backer's answer holds public news only.
    shared = await archive(db.unit_of_work, (), caller(1).identity, "lamp", shared=True)
    assert (texts(shared.updates), shared.insider) == (["News 1", "News 0"], False)


async def test_a_drafts_updates_are_as_missing_as_an_unknown_campaign(
    db: FakeDatabase, clock: FixedClock
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock, slug="kiln"))
    with pytest.raises(CampaignNotFound):
        await archive(db.unit_of_work, (), caller(2).identity, "kiln")
    with pytest.raises(CampaignNotFound):
        await archive(db.unit_of_work, (), caller(2).identity, "nope")
    empty = await archive(db.unit_of_work, (), CREATOR, "kiln")
    assert (list(empty.updates), empty.total) == ([], 0)
