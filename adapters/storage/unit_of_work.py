"""The SQL unit of work: one session and one transaction shared by every repository."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.storage.backer_repository import SqlBackerRepository
from adapters.storage.campaign_repository import SqlCampaignRepository
from adapters.storage.change_counters import StoredCounters, bump_changed
from adapters.storage.community_repository import SqlCommunityRepository
from adapters.storage.cover_repository import SqlCoverRepository
from adapters.storage.follow_repository import SqlFollowRepository
from adapters.storage.milestone_repository import SqlMilestoneRepository
from adapters.storage.outbox_repository import SqlOutboxRepository
from adapters.storage.payment_event_repository import SqlPaymentEventRepository
from adapters.storage.payout_account_repository import SqlPayoutAccountRepository
from adapters.storage.pledge_repository import SqlPledgeRepository
from adapters.storage.tier_repository import SqlTierRepository
from adapters.storage.update_repository import SqlUpdateRepository
from adapters.storage.writer_turns import WriterTurns
from core.ports import (
    BackerRepository,
    CampaignRepository,
    CommunityRepository,
    CoverRepository,
    FollowRepository,
    MilestoneRepository,
    OutboxRepository,
    PaymentEventRepository,
    PayoutAccountRepository,
    PledgeRepository,
    TierRepository,
    UpdateRepository,
)


class SqlUnitOfWork:
    """core.ports.UnitOfWork over an async session; enter it once."""

    campaigns: CampaignRepository
    tiers: TierRepository
    backers: BackerRepository
    pledges: PledgeRepository
    follows: FollowRepository
    communities: CommunityRepository
    updates: UpdateRepository
    milestones: MilestoneRepository
    outbox: OutboxRepository
    payment_events: PaymentEventRepository
    payout_accounts: PayoutAccountRepository
    covers: CoverRepository

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        turns: WriterTurns | None = None,
        counters: StoredCounters | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self._sessions = sessions
        self._turns = turns
        self._counters = counters
        self.read_only = read_only
        self._session: AsyncSession | None = None
        self._entered = False
        self._end_turn: Callable[[], None] | None = None

    async def __aenter__(self) -> Self:
        """Wait for a turn if this may write to a single-writer database, open a session; its
        transaction comes later."""
        if self._entered:
            raise RuntimeError("a unit of work is entered once; make a new one per use case")
        self._entered = True
        if self._turns is not None:
            self._end_turn = await self._turns.take()
        session = self._session = self._sessions()
        self.campaigns = SqlCampaignRepository(session)
        self.tiers = SqlTierRepository(session)
        self.backers = SqlBackerRepository(session)
        self.pledges = SqlPledgeRepository(session)
        self.follows = SqlFollowRepository(session)
        self.communities = SqlCommunityRepository(session)
        self.updates = SqlUpdateRepository(session)
        self.milestones = SqlMilestoneRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.payment_events = SqlPaymentEventRepository(session)
        self.payout_accounts = SqlPayoutAccountRepository(session)
        self.covers = SqlCoverRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, give the connection back, end the turn."""
        assert self._session is not None, "exit without enter"
        try:
            # close() rolls back an open transaction before releasing the connection.
            await self._session.close()
        finally:
            if self._end_turn is not None:
                self._end_turn()

    async def commit(self) -> None:
        """Make everything done in this unit of work permanent, and stale what it changed."""
        assert self._session is not None, "commit outside the unit of work"
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        bumped = await bump_changed(self._session)
        await self._session.commit()
        if bumped and self._counters is not None:
            self._counters.commits += 1

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A SAVEPOINT: leaving by an exception rolls back to it, and only that is undone."""
        assert self._session is not None, "savepoint outside the unit of work"
        # On SQLite this relies on the engine issuing BEGIN itself (see engine.py): the
        # driver's own transaction handling would not let a SAVEPOINT nest in it.
        async with self._session.begin_nested():
            yield
