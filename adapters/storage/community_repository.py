"""Communities in SQL, and the campaigns they link."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import affected_rows, dialect_insert
from adapters.storage.tables import CommunityCampaignRow, CommunityRow
from core.communities import Community
from core.identity import Platform


class SqlCommunityRepository:
    """core.ports.CommunityRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, platform: Platform, chat_id: str) -> Community | None:
        """A community by its platform chat id, with the campaigns it links."""
        row = await self._session.scalar(
            select(CommunityRow)
            .where(CommunityRow.platform == platform, CommunityRow.chat_id == chat_id)
            .execution_options(populate_existing=True)
        )
        return None if row is None else await self._to_community(row)

    async def save(self, community: Community) -> Community:
        """Create or update a community (not its links); returns it as stored, with its id.

        It is matched on its platform and chat id, so two first contacts at once make one.
        """
        fields = {
            "platform": community.platform,
            "chat_id": community.chat_id,
            "title": community.title,
            "announce_channel_id": community.announce_channel_id,
            "announcements": community.announcements,
            "locale": community.locale,
        }
        statement = dialect_insert(self._session, CommunityRow).values(fields)
        await affected_rows(
            self._session,
            statement.on_conflict_do_update(
                index_elements=[CommunityRow.platform, CommunityRow.chat_id],
                set_={name: statement.excluded[name] for name in fields},
            ),
        )
        stored = await self.get(community.platform, community.chat_id)
        assert stored is not None
        return stored

    async def link(self, community_id: int, campaign_id: int) -> bool:
        """Link a campaign; False if it was linked already."""
        inserted = await affected_rows(
            self._session,
            dialect_insert(self._session, CommunityCampaignRow)
            .values(community_id=community_id, campaign_id=campaign_id)
            .on_conflict_do_nothing(
                index_elements=[CommunityCampaignRow.community_id, CommunityCampaignRow.campaign_id]
            ),
        )
        return inserted == 1

    async def unlink(self, community_id: int, campaign_id: int) -> bool:
        """Unlink a campaign; False if it was not linked."""
        removed = await affected_rows(
            self._session,
            delete(CommunityCampaignRow).where(
                CommunityCampaignRow.community_id == community_id,
                CommunityCampaignRow.campaign_id == campaign_id,
            ),
        )
        return removed == 1

    async def stop_announcements(self, community_id: int) -> None:
        """Turn announcements off for a community whose channel cannot be reached."""
        await affected_rows(
            self._session,
            update(CommunityRow).where(CommunityRow.id == community_id).values(announcements=False),
        )

    async def _to_community(self, row: CommunityRow) -> Community:
        linked = await self._session.scalars(
            select(CommunityCampaignRow.campaign_id)
            .where(CommunityCampaignRow.community_id == row.id)
            .order_by(CommunityCampaignRow.campaign_id)
        )
        return Community(
            id=row.id,
            platform=row.platform,
            chat_id=row.chat_id,
            title=row.title,
            announce_channel_id=row.announce_channel_id,
            announcements=row.announcements,
            locale=row.locale,
            linked_campaign_ids=tuple(linked),
        )
