"""Creator updates in SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from adapters.storage import Database
from core.ports import UnitOfWork
from core.updates import CreatorUpdate, UpdateAudience
from tests.adapters.storage.builders import CO_CREATOR, NOW, a_campaign, committed


async def test_an_update_round_trips_with_every_field(database: Database) -> None:
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    update = CreatorUpdate(
        0, campaign.id, CO_CREATOR, "Shipping — at last!", UpdateAudience.BACKERS, NOW
    )
    stored = await committed(database, lambda uow: uow.updates.add(update))
    assert stored.id > 0
    assert stored == replace(update, id=stored.id)


async def test_a_campaigns_updates_page_newest_first_with_or_without_backers_only_ones(
    database: Database,
) -> None:
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    other = await committed(database, lambda uow: uow.campaigns.add(a_campaign(slug="other")))

    async def post(uow: UnitOfWork) -> None:
        for n in range(5):
            audience = UpdateAudience.BACKERS if n == 3 else UpdateAudience.EVERYONE
            # Updates 1 and 2 share a moment: the later id comes first.
            at = NOW + timedelta(hours=min(n, 1) if n < 3 else n)
            await uow.updates.add(CreatorUpdate(0, campaign.id, CO_CREATOR, f"U{n}", audience, at))
        await uow.updates.add(
            CreatorUpdate(0, other.id, CO_CREATOR, "elsewhere", UpdateAudience.EVERYONE, NOW)
        )

    await committed(database, post)

    async def page(backers_only_too: bool, offset: int, limit: int) -> tuple[list[str], int]:
        async with database.unit_of_work() as uow:
            found, total = await uow.updates.of_campaign(
                campaign.id, backers_only_too=backers_only_too, offset=offset, limit=limit
            )
        return [u.text for u in found], total

    assert await page(True, 0, 10) == (["U4", "U3", "U2", "U1", "U0"], 5)
    assert await page(False, 0, 2) == (["U4", "U2"], 4)
    assert await page(False, 2, 2) == (["U1", "U0"], 4)
    assert await page(False, 4, 2) == ([], 4)
