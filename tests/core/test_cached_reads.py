"""Cached reads: a chat's language, community and browse pages come from memory until a
committed change could alter them, and never show less than the reader's own last write."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.campaigns import Campaign
from core.i18n import use_locale
from core.identity import Platform
from core.payments import OutcomeKind
from core.pledges import FundingDay
from core.ports import CampaignQuery, Sort, UnitOfWork
from core.usecases.backers import choose_language
from core.usecases.cached_reads import CachedReads
from core.usecases.communities import Place, link_campaign
from core.usecases.managing import create_campaign, publish_campaign
from tests.core.conftest import apply, caller, draft, pledged
from tests.fakes import FakeDatabase, FixedClock

QUERY = CampaignQuery(sort=Sort.NEWEST, limit=5)


class CountedReads:
    """The database's units of work, counting the read-only ones made."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.reads = 0

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        self.reads += read_only
        return self.db.unit_of_work(read_only=read_only)


async def test_a_browse_page_is_read_once_while_nothing_changes(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)

    pages = [await reads.browse_list(QUERY) for _ in range(5)]

    assert all(page == pages[0] for page in pages)
    assert [item.title for item in pages[0].items] == ["The Reading Lamp"]
    assert uows.reads == 1


async def test_a_payment_committed_shows_in_the_next_page(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    before = (await reads.browse_list(QUERY)).items[0].detail

    await apply(db, clock, await pledged(db, clock, campaign, 7, 2_500), OutcomeKind.PAID)
    after = (await reads.browse_list(QUERY)).items[0].detail

    assert "€25" not in before
    assert "€25" in after


async def test_a_page_is_kept_per_language_and_moves_on_with_the_minute(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)
    with use_locale("en"):
        english = await reads.browse_list(QUERY)
    with use_locale("fr"):
        french = await reads.browse_list(QUERY)
    clock.advance(timedelta(seconds=30))
    with use_locale("en"):
        assert await reads.browse_list(QUERY) == english
    clock.advance(timedelta(seconds=30))
    with use_locale("en"):
        await reads.browse_list(QUERY)

    assert english.title != french.title
    assert uows.reads == 3


async def test_a_campaign_ending_leaves_the_list_at_the_next_minute(
    db: FakeDatabase, clock: FixedClock
) -> None:
    await create_campaign(
        db.unit_of_work(), draft(clock, ends_at=clock.now() + timedelta(seconds=90))
    )
    await publish_campaign(db.unit_of_work(), clock, "lamp")
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    assert len((await reads.browse_list(QUERY)).items) == 1

    clock.advance(timedelta(minutes=2))

    assert (await reads.browse_list(QUERY)).items == ()


async def test_a_language_chosen_is_heard_on_the_next_message(
    db: FakeDatabase, clock: FixedClock
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)
    ada = caller(42)
    assert await reads.chosen_locale(ada.identity) is None
    assert await reads.chosen_locale(ada.identity) is None
    assert uows.reads == 1

    await choose_language(db.unit_of_work(), ada, "fr")

    assert await reads.chosen_locale(ada.identity) == "fr"


async def test_a_chat_community_and_its_links_follow_each_change(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)
    assert await reads.community_here(Platform.TELEGRAM, "-100") is None
    assert await reads.community_here(Platform.TELEGRAM, "-100") is None
    assert uows.reads == 1

    group = Place(Platform.TELEGRAM, "-100", "Lamp lovers", "en", caller_is_admin=True)
    await link_campaign(db.unit_of_work, group, campaign.slug)
    here = await reads.community_here(Platform.TELEGRAM, "-100")

    assert here is not None
    assert here.linked_campaign_ids == (campaign.id,)


async def test_a_shared_campaign_is_read_once_while_nothing_changes(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)

    by_slug = [await reads.campaign("lamp") for _ in range(5)]
    by_id = [await reads.campaign(campaign.id) for _ in range(5)]

    assert all(found is by_slug[0] for found in by_slug)
    assert all(found is by_id[0] for found in by_id)
    assert by_slug[0] == by_id[0] == campaign
    assert uows.reads == 2


async def test_a_payment_committed_shows_on_the_next_card(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    ada = caller(7).identity
    before = await reads.campaign_detail(campaign.id, ada, ())

    await apply(db, clock, await pledged(db, clock, campaign, 7, 2_500), OutcomeKind.PAID)
    after = await reads.campaign_detail(campaign.id, ada, ())

    assert (before.campaign.raised, before.backed) == (0, None)
    assert after.campaign.raised == 2_500
    assert after.backed is not None
    assert after.backed.amount.amount == 2_500


async def test_a_campaigns_funding_is_read_once_per_change_and_a_payment_shows_in_it(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    uows = CountedReads(db)
    reads = CachedReads(uows, db.counters, clock)

    before = await asyncio.gather(*(reads.funding_days(campaign.id) for _ in range(100)))
    await apply(db, clock, await pledged(db, clock, campaign, 7, 2_500), OutcomeKind.PAID)
    after = await reads.funding_days(campaign.id)

    assert before[0] == ()
    assert uows.reads == 2
    assert after == (FundingDay(clock.now().date(), 2_500, 1),)
