"""Browsing: queries are checked before they reach storage."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound, DomainError, InvalidField, TextTooLong
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import browse, campaign_detail
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


async def test_an_unknown_slug_is_not_found(db: FakeDatabase) -> None:
    with pytest.raises(CampaignNotFound):
        await campaign_detail(db.unit_of_work(), "nope", None)
