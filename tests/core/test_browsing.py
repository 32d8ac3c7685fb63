"""Browsing: queries are checked before they reach storage."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.errors import (
    CampaignNotFound,
    CampaignNotLive,
    DomainError,
    InvalidField,
    TextTooLong,
)
from core.identity import Identity, Platform
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import browse
from core.usecases.cached_reads import CachedReads
from core.usecases.following import follow
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.pledging import offer_pledge
from tests.core.conftest import CREATOR, caller, draft
from tests.fakes import FakeDatabase, FixedClock


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (CampaignQuery(category="weapons"), InvalidField),
        (CampaignQuery(text="x" * 101), TextTooLong),
        (CampaignQuery(offset=-5), InvalidField),
        (CampaignQuery(limit=500), InvalidField),
    ],
)
async def test_bad_queries_are_refused(
    db: FakeDatabase, clock: FixedClock, query: CampaignQuery, error: type[DomainError]
) -> None:
    with pytest.raises(error):
        await browse(db.unit_of_work(), clock, query)


async def test_a_page_knows_whether_more_follow(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    page = await browse(db.unit_of_work(), clock, CampaignQuery(sort=Sort.NEWEST, limit=1))
    assert [c.slug for c in page.campaigns] == ["lamp"]
    assert (page.total, page.has_previous, page.has_next) == (1, False, False)


async def test_a_page_past_the_end_is_the_last_page(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for slug in ("kiln", "boat"):
        await create_campaign(db.unit_of_work(), draft(clock, slug=slug))
        await publish_campaign(db.unit_of_work(), clock, slug)
    page = await browse(db.unit_of_work(), clock, CampaignQuery(offset=40, limit=2))
    assert (page.query.offset, len(page.campaigns), page.total) == (2, 1, 3)
    assert (page.has_previous, page.has_next) == (True, False)


async def test_a_page_past_the_end_of_nothing_is_the_first(
    db: FakeDatabase, clock: FixedClock
) -> None:
    page = await browse(db.unit_of_work(), clock, CampaignQuery(offset=10, limit=5))
    assert (page.query.offset, list(page.campaigns), page.total) == (0, [], 0)
    assert not page.has_previous


async def test_an_unknown_slug_is_not_found(db: FakeDatabase, clock: FixedClock) -> None:
    with pytest.raises(CampaignNotFound):
        await CachedReads(db.unit_of_work, db.counters, clock).campaign_detail("nope", None, ())


OPERATOR = Identity(Platform.DISCORD, "9000")


async def test_a_draft_is_shown_to_its_creator_and_the_operators_only(
    db: FakeDatabase, clock: FixedClock
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock, slug="kiln"))
    reads = CachedReads(db.unit_of_work, db.counters, clock)

    for viewer in (CREATOR, OPERATOR):
        by_slug = await reads.campaign_detail("kiln", viewer, {OPERATOR})
        by_id = await reads.campaign_detail(created.id, viewer, {OPERATOR})
        assert by_slug.campaign.id == by_id.campaign.id == created.id


@pytest.mark.parametrize("viewer", [None, caller(1).identity])
async def test_to_anyone_else_a_draft_is_as_missing_as_an_unknown_slug(
    db: FakeDatabase, clock: FixedClock, viewer: Identity | None
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock, slug="kiln"))
    reads = CachedReads(db.unit_of_work, db.counters, clock)

    with pytest.raises(CampaignNotFound) as by_slug:
        await reads.campaign_detail("kiln", viewer, {OPERATOR})
    with pytest.raises(CampaignNotFound) as unknown:
        await reads.campaign_detail("kilo", viewer, {OPERATOR})
    with pytest.raises(CampaignNotFound):
        await reads.campaign_detail(created.id, viewer, {OPERATOR})
    assert by_slug.value.user_message() == unknown.value.user_message().replace("kilo", "kiln")


async def test_nobody_but_its_creator_can_follow_a_draft_or_be_offered_its_rewards(
    db: FakeDatabase, clock: FixedClock
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock, slug="kiln"))
    stranger = caller(1)
    with pytest.raises(CampaignNotFound):
        await follow(db.unit_of_work(), clock, stranger, created.id)
    with pytest.raises(CampaignNotFound):
        await offer_pledge(db.unit_of_work, clock, stranger, created.id, None)
    assert db.state.follows == {}
    # Its creator learns why instead: it is not live yet.
    with pytest.raises(CampaignNotLive):
        await offer_pledge(db.unit_of_work, clock, caller(1000), created.id, created.tiers[0].id)
