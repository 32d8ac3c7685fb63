"""Creating and publishing campaigns: every field checked, nothing half-written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core.campaigns import CampaignStatus
from core.errors import CampaignNotFound, DomainError, InvalidField, TextTooLong
from core.i18n import use_locale
from core.money import Money
from core.usecases.managing import TierDraft, create_campaign, publish_campaign
from tests.core.conftest import draft
from tests.fakes import FakeDatabase, FixedClock

PARIS = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Bad Slug"}, "Slug: use 1 to 40 lowercase letters, digits and dashes"),
        ({"title": "  "}, "Title: it is required"),
        ({"title": "x" * 81}, "Title can be at most 80 characters long."),
        ({"category": "weapons"}, "Category: not a known category"),
        ({"goal": Money(0, "EUR")}, "Goal: it must be more than zero"),
        ({"ends_at": datetime(2026, 11, 20, tzinfo=PARIS)}, "Dates: they must be in UTC"),
        ({"image_url": "http://x.test/a.png"}, "Image: it must be an https:// address"),
        ({"stretch_goals": (90_000,)}, "Stretch goals: they must rise, each above the goal"),
        ({"tiers": (TierDraft("Pin", "", 0),)}, "Reward amount: it must be more than zero"),
        (
            {"tiers": (TierDraft("Pin", "", 5, ship_countries=("fra",)),)},
            "Shipping countries: use two-letter country codes",
        ),
    ],
)
async def test_a_bad_field_is_named_and_nothing_is_stored(
    db: FakeDatabase, clock: FixedClock, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        await create_campaign(db.unit_of_work(), draft(clock, **changes))
    with use_locale("en"):
        assert refused.value.user_message() == message
    assert db.state.campaigns == {}


async def test_a_campaign_cannot_run_longer_than_ninety_days(
    db: FakeDatabase, clock: FixedClock
) -> None:
    with pytest.raises(InvalidField):
        await create_campaign(
            db.unit_of_work(), draft(clock, ends_at=clock.now() + timedelta(days=91))
        )


async def test_a_taken_slug_is_refused(db: FakeDatabase, clock: FixedClock) -> None:
    await create_campaign(db.unit_of_work(), draft(clock))
    with pytest.raises(InvalidField):
        await create_campaign(db.unit_of_work(), draft(clock, title="Another"))
    assert len(db.state.campaigns) == 1


async def test_a_draft_is_stored_with_its_tiers_in_the_goal_currency(
    db: FakeDatabase, clock: FixedClock
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock, title="  Lamp  "))
    assert created.status is CampaignStatus.DRAFT
    assert created.title == "Lamp"
    assert [(t.title, t.amount, t.position) for t in created.tiers] == [
        ("Early bird", Money(5_000, "EUR"), 0),
        ("Lamp", Money(7_500, "EUR"), 1),
    ]


async def test_publishing_makes_a_draft_live_once(db: FakeDatabase, clock: FixedClock) -> None:
    await create_campaign(db.unit_of_work(), draft(clock))
    assert (await publish_campaign(db.unit_of_work(), clock, "lamp")).status is CampaignStatus.LIVE
    assert (await publish_campaign(db.unit_of_work(), clock, "lamp")).status is CampaignStatus.LIVE
    with pytest.raises(CampaignNotFound):
        await publish_campaign(db.unit_of_work(), clock, "nope")


async def test_a_draft_starting_later_is_published_as_coming_soon(
    db: FakeDatabase, clock: FixedClock
) -> None:
    later = clock.now() + timedelta(hours=3)
    await create_campaign(db.unit_of_work(), draft(clock, starts_at=later))
    published = await publish_campaign(db.unit_of_work(), clock, "lamp")
    assert published.status is CampaignStatus.COMING_SOON
    assert not published.is_open(clock.now())
    again = await publish_campaign(db.unit_of_work(), clock, "lamp")
    assert again.status is CampaignStatus.COMING_SOON


async def test_a_campaign_in_review_is_published_and_an_ended_one_is_not(
    db: FakeDatabase, clock: FixedClock
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock))
    db.state.campaigns[created.id].status = CampaignStatus.IN_REVIEW
    assert (await publish_campaign(db.unit_of_work(), clock, "lamp")).status is CampaignStatus.LIVE
    db.state.campaigns[created.id].status = CampaignStatus.FAILED
    with pytest.raises(InvalidField):
        await publish_campaign(db.unit_of_work(), clock, "lamp")


async def test_a_draft_whose_end_has_passed_cannot_be_published(
    db: FakeDatabase, clock: FixedClock
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock))
    clock.advance(timedelta(days=60))
    with pytest.raises(InvalidField):
        await publish_campaign(db.unit_of_work(), clock, "lamp")
    assert db.state.campaigns[next(iter(db.state.campaigns))].status is CampaignStatus.DRAFT


def test_overlong_text_names_its_limit() -> None:
    with use_locale("fr"):
        assert (
            TextTooLong(field="Titre", limit=80).user_message()
            == "Titre\u00a0: 80 caractères au plus."
        )
