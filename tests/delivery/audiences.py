"""Large audiences for delivery tests and benchmarks: followers inserted in bulk, and the
stand-in accounts that receive their messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert, select

from adapters.storage import Database
from adapters.storage.tables import BackerRow, FollowRow
from core.identity import Identity

_BATCH = 5_000


async def add_followers(
    database: Database, campaign_id: int, people: Sequence[Identity], locale: str = "en"
) -> list[int]:
    """Reachable backers following the campaign, one per identity; their ids, in order."""
    now = datetime.now(UTC)
    async with database.engine.begin() as connection:
        for start in range(0, len(people), _BATCH):
            batch = people[start : start + _BATCH]
            # Bulk inserts: the repositories' one-at-a-time adds would dominate a 10,000 run.
            await connection.execute(
                insert(BackerRow),
                [
                    {
                        "platform": person.platform,
                        "user_id": person.user_id,
                        "display_name": f"Follower {person.user_id}",
                        "locale": locale,
                        "chosen_locale": None,
                        "referral_code": f"{person.platform}-{person.user_id}",
                        "reachable": True,
                    }
                    for person in batch
                ],
            )
        rows = await connection.execute(select(BackerRow.id, BackerRow.platform, BackerRow.user_id))
        ids = {(platform, user_id): backer_id for backer_id, platform, user_id in rows}
        backer_ids = [ids[(person.platform, person.user_id)] for person in people]
        for start in range(0, len(backer_ids), _BATCH):
            await connection.execute(
                insert(FollowRow),
                [
                    {
                        "backer_id": backer_id,
                        "campaign_id": campaign_id,
                        "muted": False,
                        "created_at": now,
                    }
                    for backer_id in backer_ids[start : start + _BATCH]
                ],
            )
    return backer_ids
