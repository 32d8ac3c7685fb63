"""Communities in SQL: saved by platform chat, updated in place, linking campaigns once."""

from __future__ import annotations

from dataclasses import replace

from adapters.storage import Database
from core.communities import Community
from core.identity import Platform
from core.ports import UnitOfWork
from tests.adapters.storage.builders import a_campaign, committed

GUILD = Community(
    id=0,
    platform=Platform.DISCORD,
    chat_id="80351110224678912",
    title="Makers",
    announce_channel_id="80351110224678999",
    announcements=False,
    locale="fr",
)


async def save(database: Database, community: Community) -> Community:
    """A community, saved and committed."""
    return await committed(database, lambda uow: uow.communities.save(community))


async def test_a_community_round_trips_with_every_field(database: Database) -> None:
    stored = await save(database, GUILD)
    assert stored.id > 0
    assert stored == replace(GUILD, id=stored.id)
    async with database.unit_of_work() as uow:
        assert await uow.communities.get(Platform.DISCORD, GUILD.chat_id) == stored
        assert await uow.communities.get(Platform.TELEGRAM, GUILD.chat_id) is None


async def test_saving_a_known_chat_updates_it_and_keeps_its_links(database: Database) -> None:
    stored = await save(database, GUILD)
    campaign = await committed(database, lambda uow: uow.campaigns.add(a_campaign()))
    await committed(database, lambda uow: uow.communities.link(stored.id, campaign.id))
    renamed = replace(GUILD, title="Makers & Friends", announce_channel_id=None, locale="en")
    again = await save(database, renamed)
    assert again == replace(renamed, id=stored.id, linked_campaign_ids=(campaign.id,))


async def test_a_campaign_is_linked_and_unlinked_once(database: Database) -> None:
    async def setup(uow: UnitOfWork) -> tuple[int, int, int]:
        community = await uow.communities.save(GUILD)
        lamp = await uow.campaigns.add(a_campaign("lamp"))
        mug = await uow.campaigns.add(a_campaign("mug"))
        return community.id, lamp.id, mug.id

    community_id, lamp_id, mug_id = await committed(database, setup)
    assert await committed(database, lambda uow: uow.communities.link(community_id, mug_id))
    assert await committed(database, lambda uow: uow.communities.link(community_id, lamp_id))
    assert not await committed(database, lambda uow: uow.communities.link(community_id, mug_id))
    async with database.unit_of_work() as uow:
        linked = await uow.communities.get(GUILD.platform, GUILD.chat_id)
    assert linked is not None
    assert linked.linked_campaign_ids == (lamp_id, mug_id)
    assert await committed(database, lambda uow: uow.communities.unlink(community_id, lamp_id))
    assert not await committed(database, lambda uow: uow.communities.unlink(community_id, lamp_id))
    async with database.unit_of_work() as uow:
        unlinked = await uow.communities.get(GUILD.platform, GUILD.chat_id)
    assert unlinked is not None
    assert unlinked.linked_campaign_ids == (mug_id,)
