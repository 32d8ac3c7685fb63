"""Campaign covers in SQL: one row per campaign, replaced whole."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.statements import insert_per_dialect
from adapters.storage.tables import CampaignCoverRow, core_table
from core.covers import Cover

_COVERS = core_table(CampaignCoverRow)
_PUT = insert_per_dialect(
    lambda insert: (
        statement := insert(_COVERS).values(
            campaign_id=bindparam("campaign_id"),
            jpeg=bindparam("jpeg"),
            width=bindparam("width"),
            height=bindparam("height"),
            digest=bindparam("digest"),
        )
    ).on_conflict_do_update(
        index_elements=[_COVERS.c.campaign_id],
        set_={
            "jpeg": statement.excluded.jpeg,
            "width": statement.excluded.width,
            "height": statement.excluded.height,
            "digest": statement.excluded.digest,
        },
    )
)
_COLUMNS = (_COVERS.c.jpeg, _COVERS.c.width, _COVERS.c.height, _COVERS.c.digest)


class SqlCoverRepository:
    """core.ports.CoverRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, campaign_id: int, cover: Cover) -> None:
        """Give a campaign this cover, in place of any it had."""
        await self._session.execute(
            _PUT(self._session),
            {
                "campaign_id": campaign_id,
                "jpeg": cover.jpeg,
                "width": cover.width,
                "height": cover.height,
                "digest": cover.digest,
            },
        )

    async def of_campaign(self, campaign_id: int) -> Cover | None:
        """A campaign's cover, if it has one."""
        row = (
            await self._session.execute(
                select(*_COLUMNS).where(_COVERS.c.campaign_id == campaign_id)
            )
        ).first()
        return None if row is None else Cover(*row)

    async def by_digest(self, digest: str) -> Cover | None:
        """A cover with this digest, whichever campaign has it."""
        found = select(*_COLUMNS).where(_COVERS.c.digest == digest).limit(1)
        row = (await self._session.execute(found)).first()
        return None if row is None else Cover(*row)
