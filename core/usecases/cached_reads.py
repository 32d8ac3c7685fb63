"""The reads nearly every chat message makes, kept in memory while what they show is unchanged."""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from core.caching import VersionedCache
from core.campaigns import Campaign
from core.communities import Community
from core.i18n import current_locale
from core.identity import Identity, Platform
from core.pledges import FundingDay
from core.ports import CampaignQuery, ChangeCounters, Clock, UnitOfWorkFactory
from core.usecases.backers import chosen_locale
from core.usecases.browsing import CampaignDetail, browse, seen_by, stored_campaign
from core.usecases.communities import community_here
from core.views.lists import browse_page
from core.views.model import ListPage

# People and chats seen recently enough to be worth keeping: a busy launch is a few thousand.
PEOPLE_KEPT = 20_000
CHATS_KEPT = 5_000
# Pages by sort, category, page, community, language and minute: a few hundred in use at once.
PAGES_KEPT = 2_000
# Campaigns by id and by slug: those being shared, a few hundred at once.
CAMPAIGNS_KEPT = 2_000


@dataclass(frozen=True, slots=True)
class _At:
    """A clock stopped at one moment, so a kept page is what that moment showed."""

    moment: datetime

    def now(self) -> datetime:
        """That moment."""
        return self.moment


class CachedReads:
    """Chosen languages, chats' communities, browse pages and campaigns, each read from the
    database only when a committed change may have altered it. Nothing here decides a pledge,
    stock or payment: those read in their own units of work."""

    def __init__(self, uows: UnitOfWorkFactory, counters: ChangeCounters, clock: Clock) -> None:
        self._uows = uows
        self._counters = counters
        self._clock = clock
        self._locales: VersionedCache[Identity, str | None] = VersionedCache(PEOPLE_KEPT)
        self._communities: VersionedCache[tuple[Platform, str], Community | None] = VersionedCache(
            CHATS_KEPT
        )
        self._pages: VersionedCache[
            tuple[CampaignQuery, tuple[int, ...], str, datetime], ListPage
        ] = VersionedCache(PAGES_KEPT)
        self._campaigns: VersionedCache[int | str, Campaign | None] = VersionedCache(CAMPAIGNS_KEPT)
        self._funding: VersionedCache[int, tuple[FundingDay, ...]] = VersionedCache(CAMPAIGNS_KEPT)

    def one_reading(self) -> AbstractContextManager[None]:
        """One request's reads: the change counters are read once for all of them."""
        return self._counters.one_reading()

    async def chosen_locale(self, identity: Identity) -> str | None:
        """The language a person picked with /language, if any."""
        version = (await self._counters.current()).people
        return await self._locales.fetch(
            identity, version, lambda: chosen_locale(self._uows(read_only=True), identity)
        )

    async def community_here(self, platform: Platform, chat_id: str) -> Community | None:
        """A chat's community, if it has one."""
        version = (await self._counters.current()).catalog
        return await self._communities.fetch(
            (platform, chat_id), version, lambda: community_here(self._uows, platform, chat_id)
        )

    async def browse_list(self, query: CampaignQuery, linked: tuple[int, ...] = ()) -> ListPage:
        """A page of open campaigns as of the current minute, shown in the current language
        with those `linked` to the chat marked (see browsing.browse and lists.browse_page): a
        campaign ending within the minute leaves the lists at the next."""
        version = (await self._counters.current()).catalog
        minute = self._clock.now().replace(second=0, microsecond=0)

        async def shown() -> ListPage:
            page = await browse(self._uows(read_only=True), _At(minute), query)
            return browse_page(page, minute, linked)

        return await self._pages.fetch(
            (query, linked, current_locale.get(), minute), version, shown
        )

    async def campaign(self, key: int | str) -> Campaign | None:
        """Any campaign by id or slug, drafts included, as last committed. The same object goes
        to every reader meanwhile: none may change it."""
        version = (await self._counters.current()).catalog

        async def stored() -> Campaign | None:
            async with self._uows(read_only=True) as uow:
                return await stored_campaign(uow, key)

        return await self._campaigns.fetch(key, version, stored)

    async def funding_days(self, campaign_id: int) -> tuple[FundingDay, ...]:
        """A campaign's funding by UTC day (see PledgeRepository.funding_days), as last
        committed: a payment, a refund, any change to its pledges reads it again."""
        version = (await self._counters.current()).catalog

        async def stored() -> tuple[FundingDay, ...]:
            async with self._uows(read_only=True) as uow:
                return tuple(await uow.pledges.funding_days(campaign_id))

        return await self._funding.fetch(campaign_id, version, stored)

    async def campaign_detail(
        self, key: int | str, viewer: Identity | None, operators: Collection[Identity]
    ) -> CampaignDetail:
        """A campaign by id or slug as the viewer sees it (see browsing.seen_by): the campaign
        kept, whether they follow and back it read afresh, in the one unit of work that reads
        the campaign too when it changed."""
        version = (await self._counters.current()).catalog
        async with self._uows(read_only=True) as uow:
            campaign = await self._campaigns.fetch(key, version, lambda: stored_campaign(uow, key))
            return await seen_by(uow, campaign, key, viewer, operators)
