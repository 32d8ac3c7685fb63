"""Browsing in SQL: only open campaigns, every sort, the filters, communities first, paging."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from adapters.storage import Database
from core.campaigns import Campaign, CampaignStatus
from core.communities import Community
from core.identity import Platform
from core.money import Money
from core.pledges import PledgeStatus
from core.ports import CampaignQuery, Sort, UnitOfWork
from tests.adapters.storage.builders import NOW, a_backer, a_campaign, a_pledge, committed

DAY = timedelta(days=1)


async def add(database: Database, slug: str, **changes: Any) -> Campaign:
    """A live, open campaign, with changes."""
    return await committed(database, lambda uow: uow.campaigns.add(a_campaign(slug, **changes)))


async def browse(database: Database, **query: Any) -> tuple[list[str], int]:
    """The slugs of one page, and the total."""
    async with database.unit_of_work() as uow:
        page, total = await uow.campaigns.browse(CampaignQuery(**query), NOW)
    return [campaign.slug for campaign in page], total


async def test_only_live_campaigns_within_their_dates_are_listed(database: Database) -> None:
    await add(database, "open")
    await add(database, "starts-now", starts_at=NOW)
    await add(database, "draft", status=CampaignStatus.DRAFT)
    await add(database, "funded", status=CampaignStatus.SUCCESSFUL)
    await add(database, "not-yet", starts_at=NOW + DAY, ends_at=NOW + 9 * DAY)
    await add(database, "ends-now", starts_at=NOW - 9 * DAY, ends_at=NOW)
    slugs, total = await browse(database, sort=Sort.NEWEST, limit=10)
    assert sorted(slugs) == ["open", "starts-now"]
    assert total == 2


async def test_browsed_campaigns_carry_their_tiers(database: Database) -> None:
    stored = await add(database, "lamp")
    async with database.unit_of_work() as uow:
        page, _ = await uow.campaigns.browse(CampaignQuery(), NOW)
    assert page == [stored]


async def test_newest_lists_the_latest_start_first(database: Database) -> None:
    await add(database, "old", starts_at=NOW - 5 * DAY)
    await add(database, "new", starts_at=NOW - DAY)
    await add(database, "mid", starts_at=NOW - 3 * DAY)
    assert await browse(database, sort=Sort.NEWEST) == (["new", "mid", "old"], 3)


async def test_ending_soon_lists_the_nearest_end_first(database: Database) -> None:
    await add(database, "late", ends_at=NOW + 20 * DAY)
    await add(database, "soon", ends_at=NOW + DAY)
    await add(database, "mid", ends_at=NOW + 5 * DAY)
    assert await browse(database, sort=Sort.ENDING_SOON) == (["soon", "mid", "late"], 3)


async def test_most_backed_lists_the_most_backers_first(database: Database) -> None:
    await add(database, "few", backers_count=2)
    await add(database, "many", backers_count=90)
    await add(database, "some", backers_count=10)
    assert await browse(database, sort=Sort.MOST_BACKED) == (["many", "some", "few"], 3)


async def test_nearly_funded_keeps_three_quarters_funded_not_yet_funded_closest_first(
    database: Database,
) -> None:
    goal = Money(10_000, "EUR")
    await add(database, "short", goal=goal, raised=7_499)
    await add(database, "exactly", goal=goal, raised=7_500)
    await add(database, "almost", goal=goal, raised=9_900)
    await add(database, "one-cent-short", goal=goal, raised=9_999)
    await add(database, "funded", goal=goal, raised=10_000)
    await add(database, "over", goal=goal, raised=25_000)
    slugs, total = await browse(database, sort=Sort.NEARLY_FUNDED)
    assert (slugs, total) == (["one-cent-short", "almost", "exactly"], 3)


async def test_staff_picks_keeps_picked_campaigns_newest_first(database: Database) -> None:
    await add(database, "older-pick", starts_at=NOW - 4 * DAY)
    await add(database, "newer-pick", starts_at=NOW - DAY)
    await add(database, "not-picked", staff_pick=False)
    assert await browse(database, sort=Sort.STAFF_PICKS) == (["newer-pick", "older-pick"], 2)


async def test_trending_counts_counted_pledges_of_the_last_two_days(database: Database) -> None:
    quiet = await add(database, "quiet", backers_count=50)
    busy = await add(database, "busy", backers_count=1)
    tied = await add(database, "tied", backers_count=2)
    recent, old = NOW - timedelta(hours=47), NOW - timedelta(hours=49)

    async def pledge(uow: UnitOfWork) -> None:
        backer = await uow.backers.add(a_backer("1"))
        for campaign, status, created_at in [
            (busy, PledgeStatus.PAID, recent),
            (busy, PledgeStatus.AUTHORIZED, recent),
            (tied, PledgeStatus.PAID, recent),
            (quiet, PledgeStatus.PAID, old),
            (quiet, PledgeStatus.PENDING, recent),
            (quiet, PledgeStatus.FAILED, recent),
        ]:
            await uow.pledges.add(
                a_pledge(backer.id, campaign.id, status=status, created_at=created_at)
            )

    await committed(database, pledge)
    # busy has two recent counted pledges, tied one; quiet's are too old or not counted.
    assert await browse(database, sort=Sort.TRENDING) == (["busy", "tied", "quiet"], 3)


async def test_trending_breaks_ties_by_backers(database: Database) -> None:
    await add(database, "fewer", backers_count=1)
    await add(database, "more", backers_count=5)
    assert await browse(database, sort=Sort.TRENDING) == (["more", "fewer"], 2)


async def test_category_filters(database: Database) -> None:
    await add(database, "lamp", category="design")
    await add(database, "album", category="music")
    assert await browse(database, category="music") == (["album"], 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LAMP", ["lamp"]),
        ("nights", ["lamp"]),
        ("école", ["school"]),
        ("ÉCOLE", ["school"]),
        ("100%", ["percent"]),
        ("a_b", ["underscore"]),
        ("%", ["percent"]),
        ("nothing like it", []),
    ],
)
async def test_text_matches_title_or_blurb_ignoring_case_and_wildcards(
    database: Database, text: str, expected: list[str]
) -> None:
    await add(database, "lamp", blurb="A warm lamp for long nights.")
    await add(database, "school", title="École du soir", blurb="Evening classes.")
    await add(database, "percent", title="Give 100%", blurb="All in.")
    await add(database, "underscore", title="The a_b test", blurb="Split.")
    await add(database, "decoy", title="The axb test", blurb="Give 1000.")
    slugs, total = await browse(database, text=text, sort=Sort.NEWEST, limit=10)
    assert (sorted(slugs), total) == (expected, len(expected))


async def test_a_communitys_linked_campaigns_come_first_then_the_sort(database: Database) -> None:
    await add(database, "most", backers_count=30)
    linked_few = await add(database, "linked-few", backers_count=1)
    linked_many = await add(database, "linked-many", backers_count=9)
    await add(database, "middle", backers_count=20)

    async def link(uow: UnitOfWork) -> int:
        community = await uow.communities.save(Community(0, Platform.TELEGRAM, "-100", "Makers"))
        await uow.communities.link(community.id, linked_few.id)
        await uow.communities.link(community.id, linked_many.id)
        return community.id

    community_id = await committed(database, link)
    slugs, total = await browse(database, sort=Sort.MOST_BACKED, community_id=community_id)
    assert (slugs, total) == (["linked-many", "linked-few", "most", "middle"], 4)


async def test_pages_cover_every_match_once_even_when_sort_keys_tie(database: Database) -> None:
    for number in range(7):
        await add(database, f"c{number}", backers_count=number % 2)
    pages = [await browse(database, sort=Sort.MOST_BACKED, offset=o, limit=3) for o in (0, 3, 6)]
    slugs = [slug for page, _ in pages for slug in page]
    assert [len(page) for page, _ in pages] == [3, 3, 1]
    assert {total for _, total in pages} == {7}
    assert sorted(slugs) == [f"c{number}" for number in range(7)]
    assert slugs[:3] == ["c1", "c3", "c5"]


async def test_coming_soon_lists_campaigns_still_to_launch_by_soonest_launch(
    database: Database,
) -> None:
    soon = {"status": CampaignStatus.COMING_SOON, "ends_at": NOW + 20 * DAY}
    await add(database, "in-a-week", starts_at=NOW + 7 * DAY, **soon)
    await add(database, "tomorrow", starts_at=NOW + DAY, **soon)
    # Its hour has come: listed until the scheduler launches it.
    await add(database, "due", starts_at=NOW - timedelta(minutes=1), **soon)
    await add(database, "live", starts_at=NOW - DAY)
    await add(database, "draft", status=CampaignStatus.DRAFT, starts_at=NOW + DAY)
    slugs = await browse(database, sort=Sort.COMING_SOON)
    assert slugs == (["due", "tomorrow", "in-a-week"], 3)
    # The other orders list only what can be backed now.
    assert await browse(database, sort=Sort.NEWEST) == (["live"], 1)
