"""The SQL behind browsing: which campaigns are open and match, and in what order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select

from adapters.storage.tables import CampaignRow, CommunityCampaignRow, PledgeRow
from core.campaigns import CampaignStatus
from core.pledges import COUNTED
from core.ports import CampaignQuery, Sort

TRENDING_WINDOW = timedelta(hours=48)
NEARLY_FUNDED_PERCENT = 75


def browse_query(query: CampaignQuery, now: datetime) -> Select[CampaignRow]:
    """One page of matching campaign rows, in the requested order."""
    ordering: list[ColumnElement[Any]] = []
    if query.community_id is not None:
        linked = exists().where(
            CommunityCampaignRow.community_id == query.community_id,
            CommunityCampaignRow.campaign_id == CampaignRow.id,
        )
        ordering.append(case((linked, 0), else_=1))
    ordering.extend(_sort_keys(query.sort, now))
    # The id makes the order total, so pages neither repeat nor skip a campaign.
    ordering.append(CampaignRow.id.asc())
    return (
        select(CampaignRow)
        .where(*_filters(query, now))
        .order_by(*ordering)
        .offset(query.offset)
        .limit(query.limit)
    )


def count_query(query: CampaignQuery, now: datetime) -> Select[int]:
    """How many campaigns match, over every page."""
    return select(func.count()).select_from(CampaignRow).where(*_filters(query, now))


def _filters(query: CampaignQuery, now: datetime) -> list[ColumnElement[bool]]:
    if query.sort is Sort.COMING_SOON:
        # Published, not launched yet: one whose start has just passed stays here until the
        # scheduler's next tick makes it live.
        filters = [CampaignRow.status == CampaignStatus.COMING_SOON, CampaignRow.ends_at > now]
    else:
        filters = [
            CampaignRow.status == CampaignStatus.LIVE,
            CampaignRow.starts_at <= now,
            CampaignRow.ends_at > now,
        ]
    if query.category is not None:
        filters.append(CampaignRow.category == query.category)
    if query.text:
        needle = query.text.lower()
        filters.append(
            func.lower(CampaignRow.title).contains(needle, autoescape=True)
            | func.lower(CampaignRow.blurb).contains(needle, autoescape=True)
        )
    if query.sort is Sort.NEARLY_FUNDED:
        # Close to the goal and not there yet: a funded campaign is no longer "nearly" funded.
        filters.append(CampaignRow.raised * 100 >= CampaignRow.goal_amount * NEARLY_FUNDED_PERCENT)
        filters.append(CampaignRow.raised < CampaignRow.goal_amount)
    if query.sort is Sort.STAFF_PICKS:
        filters.append(CampaignRow.staff_pick.is_(True))
    return filters


def _sort_keys(sort: Sort, now: datetime) -> list[ColumnElement[Any]]:
    match sort:
        case Sort.TRENDING:
            recent_pledges = (
                select(func.count())
                .where(
                    and_(
                        PledgeRow.campaign_id == CampaignRow.id,
                        PledgeRow.status.in_(COUNTED),
                        PledgeRow.created_at >= now - TRENDING_WINDOW,
                    )
                )
                .scalar_subquery()
            )
            return [recent_pledges.desc(), CampaignRow.backers_count.desc()]
        case Sort.NEWEST | Sort.STAFF_PICKS:
            return [CampaignRow.starts_at.desc()]
        case Sort.ENDING_SOON:
            return [CampaignRow.ends_at.asc()]
        case Sort.NEARLY_FUNDED:
            # Integer division on both databases: basis points of the goal.
            return [((CampaignRow.raised * 10_000) // CampaignRow.goal_amount).desc()]
        case Sort.MOST_BACKED:
            return [CampaignRow.backers_count.desc()]
        case Sort.COMING_SOON:
            return [CampaignRow.starts_at.asc()]
