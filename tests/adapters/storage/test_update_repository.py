"""Creator updates in SQL."""

from __future__ import annotations

from dataclasses import replace

from adapters.storage import Database
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
