"""Campaigns in SQL: storage, lookups, browsing and atomic changes to status and totals."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    exists,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.storage.campaign_browsing import browse_query, count_query
from adapters.storage.campaign_rows import campaign_row, load_campaign, load_campaigns, load_page
from adapters.storage.statements import affected_rows
from adapters.storage.tables import (
    CampaignCreatorRow,
    CampaignRow,
    PledgeRow,
    RewardTierRow,
    core_table,
)
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.identity import Identity
from core.pledges import PledgeStatus
from core.ports import CampaignQuery, TotalChange

ENDED = frozenset({CampaignStatus.SUCCESSFUL, CampaignStatus.FAILED, CampaignStatus.CANCELLED})
_CAMPAIGNS = core_table(CampaignRow)


class SqlCampaignRepository:
    """core.ports.CampaignRepository over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, campaign: Campaign) -> Campaign:
        """Store a new campaign with its tiers; returns it as stored, with ids."""
        row = campaign_row(campaign)
        self._session.add(row)
        await self._session.flush()
        stored = await self.get(row.id)
        assert stored is not None
        return stored

    async def get(self, campaign_id: int) -> Campaign | None:
        """One campaign with its tiers."""
        return await load_campaign(
            self._session, select(CampaignRow).where(CampaignRow.id == campaign_id)
        )

    async def by_slug(self, slug: str) -> Campaign | None:
        """One campaign with its tiers, by slug."""
        return await load_campaign(
            self._session, select(CampaignRow).where(CampaignRow.slug == slug)
        )

    async def by_secret_code(self, code: str) -> Campaign | None:
        """The campaign with the secret tier holding that code, with its tiers."""
        holder = select(RewardTierRow.campaign_id).where(RewardTierRow.secret_code == code)
        return await load_campaign(
            self._session, select(CampaignRow).where(CampaignRow.id.in_(holder))
        )

    async def list_all(self) -> Sequence[Campaign]:
        """Every campaign, in slug order, with its tiers."""
        return await load_campaigns(self._session, select(CampaignRow).order_by(CampaignRow.slug))

    async def browse(self, query: CampaignQuery, now: datetime) -> tuple[Sequence[Campaign], int]:
        """One page of open campaigns (with tiers) and how many match in all."""
        page, total = await load_page(self._session, browse_query(query, now))
        if total is None:  # an empty page tells nothing of the pages before it
            total = await self._session.scalar(count_query(query, now))
        return page, total or 0

    async def created_by(self, identity: Identity) -> Sequence[Campaign]:
        """The campaigns an identity owns, newest first."""
        owned = select(CampaignCreatorRow.campaign_id).where(
            CampaignCreatorRow.platform == identity.platform,
            CampaignCreatorRow.user_id == identity.user_id,
        )
        return await load_campaigns(
            self._session,
            select(CampaignRow).where(CampaignRow.id.in_(owned)).order_by(CampaignRow.id.desc()),
        )

    async def set_status(
        self, campaign_id: int, expected: CampaignStatus, status: CampaignStatus
    ) -> bool:
        """Move the status only if it still is `expected`; False if someone else moved it."""
        changed = await affected_rows(
            self._session,
            update(CampaignRow)
            .where(CampaignRow.id == campaign_id, CampaignRow.status == expected)
            .values(status=status),
        )
        return changed == 1

    async def go_live(self, campaign_id: int, starting: datetime) -> bool:
        """Make a coming-soon campaign live only if it still starts at `starting`; False if it
        was launched, cancelled or moved meanwhile."""
        changed = await affected_rows(
            self._session,
            update(CampaignRow)
            .where(
                CampaignRow.id == campaign_id,
                CampaignRow.status == CampaignStatus.COMING_SOON,
                CampaignRow.starts_at == starting,
            )
            .values(status=CampaignStatus.LIVE),
        )
        return changed == 1

    async def due_to_launch(self, now: datetime) -> Sequence[Campaign]:
        """Coming-soon campaigns whose start time has come, earliest start first."""
        return await load_campaigns(
            self._session,
            select(CampaignRow)
            .where(CampaignRow.status == CampaignStatus.COMING_SOON, CampaignRow.starts_at <= now)
            .order_by(CampaignRow.starts_at, CampaignRow.id),
        )

    async def due_to_close(self, now: datetime) -> Sequence[Campaign]:
        """Live campaigns whose end time has passed, earliest end first."""
        return await load_campaigns(
            self._session,
            select(CampaignRow)
            .where(CampaignRow.status == CampaignStatus.LIVE, CampaignRow.ends_at <= now)
            .order_by(CampaignRow.ends_at, CampaignRow.id),
        )

    async def claim_reminders(self, now: datetime, ending_before: datetime) -> Sequence[Campaign]:
        """Live campaigns ending before `ending_before` not yet reminded of, marked reminded."""
        # One conditional UPDATE decides: two schedulers never both remind of a campaign.
        claimed = await self._session.scalars(
            update(CampaignRow)
            .where(
                CampaignRow.status == CampaignStatus.LIVE,
                CampaignRow.reminded_at.is_(None),
                CampaignRow.ends_at > now,
                CampaignRow.ends_at <= ending_before,
            )
            .values(reminded_at=now)
            .returning(CampaignRow.id),
            execution_options={"synchronize_session": False},
        )
        ids = list(claimed)
        if not ids:
            return []
        return await load_campaigns(
            self._session,
            select(CampaignRow).where(CampaignRow.id.in_(ids)).order_by(CampaignRow.id),
        )

    async def needing_settlement(self) -> Sequence[Campaign]:
        """Ended campaigns with pledges left to settle: authorized ones of an ended
        all-or-nothing campaign, paid ones of a cancelled flexible campaign."""
        return await load_campaigns(
            self._session,
            select(CampaignRow)
            .where(
                _holding(FundingModel.ALL_OR_NOTHING, ENDED, PledgeStatus.AUTHORIZED)
                | _holding(FundingModel.FLEXIBLE, {CampaignStatus.CANCELLED}, PledgeStatus.PAID)
            )
            .order_by(CampaignRow.id),
        )

    async def change_total(
        self, campaign_id: int, amount_delta: int, backers_delta: int = 0, *, late: bool = False
    ) -> TotalChange:
        """Atomically add to the total and to the backer count (`late`: to the late figures)."""
        # One UPDATE ... RETURNING: the row lock orders concurrent changes, and each sees the
        # figures its own change produced, so every threshold is crossed by exactly one of them.
        result = await self._session.execute(
            _CHANGE_LATE_TOTAL if late else _CHANGE_TOTAL,
            {"campaign_id": campaign_id, "amount": amount_delta, "backers": backers_delta},
        )
        raised, backers, goal, stretch_goals = result.one()
        return TotalChange(
            raised_before=raised - amount_delta,
            raised_after=raised,
            backers_before=backers - backers_delta,
            backers_after=backers,
            goal=goal,
            stretch_goals=tuple(stretch_goals),
        )

    async def reschedule(
        self, campaign: Campaign, starting: datetime, statuses: Collection[CampaignStatus]
    ) -> bool:
        """Write the campaign's start, end and rewards' windows, only if it still starts at
        `starting` with one of `statuses`; False if it moved or changed state meanwhile."""
        moved = await affected_rows(
            self._session,
            update(CampaignRow)
            .where(
                CampaignRow.id == campaign.id,
                CampaignRow.starts_at == starting,
                CampaignRow.status.in_(statuses),
            )
            .values(starts_at=campaign.starts_at, ends_at=campaign.ends_at),
        )
        if moved != 1:
            return False
        for tier in campaign.tiers:
            await self._session.execute(
                update(RewardTierRow)
                .where(RewardTierRow.id == tier.id, RewardTierRow.campaign_id == campaign.id)
                .values(opens_at=tier.opens_at, closes_at=tier.closes_at)
            )
        return True

    async def open_late(
        self, campaign_id: int, late_until: datetime, late_prices: Mapping[int, int]
    ) -> bool:
        """Take late pledges until `late_until` at these prices by tier id (the other tiers
        not offered late), only while the campaign is successful."""
        opened = await affected_rows(
            self._session,
            update(CampaignRow)
            .where(CampaignRow.id == campaign_id, CampaignRow.status == CampaignStatus.SUCCESSFUL)
            .values(late_until=late_until),
        )
        if opened != 1:
            return False
        await self._session.execute(
            update(RewardTierRow)
            .where(RewardTierRow.campaign_id == campaign_id)
            .values(late_amount=None),
            execution_options={"synchronize_session": False},
        )
        for tier_id, amount in late_prices.items():
            await self._session.execute(
                update(RewardTierRow)
                .where(RewardTierRow.id == tier_id, RewardTierRow.campaign_id == campaign_id)
                .values(late_amount=amount),
                execution_options={"synchronize_session": False},
            )
        return True


_CHANGE_TOTAL = (
    update(_CAMPAIGNS)
    .where(_CAMPAIGNS.c.id == bindparam("campaign_id"))
    .values(
        raised=_CAMPAIGNS.c.raised + bindparam("amount", type_=BigInteger),
        backers_count=_CAMPAIGNS.c.backers_count + bindparam("backers", type_=Integer),
    )
    .returning(
        _CAMPAIGNS.c.raised,
        _CAMPAIGNS.c.backers_count,
        _CAMPAIGNS.c.goal_amount,
        _CAMPAIGNS.c.stretch_goals,
    )
)

_CHANGE_LATE_TOTAL = (
    update(_CAMPAIGNS)
    .where(_CAMPAIGNS.c.id == bindparam("campaign_id"))
    .values(
        late_raised=_CAMPAIGNS.c.late_raised + bindparam("amount", type_=BigInteger),
        late_backers=_CAMPAIGNS.c.late_backers + bindparam("backers", type_=Integer),
    )
    .returning(
        _CAMPAIGNS.c.late_raised,
        _CAMPAIGNS.c.late_backers,
        _CAMPAIGNS.c.goal_amount,
        _CAMPAIGNS.c.stretch_goals,
    )
)


def _holding(
    model: FundingModel, statuses: Collection[CampaignStatus], pledge_status: PledgeStatus
) -> ColumnElement[bool]:
    """Campaigns of a funding model, in one of some statuses, with a pledge in a status."""
    return and_(
        CampaignRow.funding_model == model,
        CampaignRow.status.in_(statuses),
        exists().where(PledgeRow.campaign_id == CampaignRow.id, PledgeRow.status == pledge_status),
    )
