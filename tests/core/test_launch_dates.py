"""Choosing a launch: read from what the creator types, the whole run moved, only by the
creator and only before the campaign is live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.campaigns import CampaignStatus
from core.errors import CampaignNotFound, InvalidField
from core.i18n import use_locale
from core.identity import Identity, Platform
from core.usecases.launch_dates import (
    AlreadyLaunched,
    NotYourLaunch,
    launch_moment,
    set_launch,
)
from core.usecases.managing import TierDraft, create_campaign, publish_campaign
from tests.core.conftest import CREATOR, draft
from tests.fakes import FakeDatabase, FixedClock

NOW = datetime(2026, 11, 1, 12, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "moment"),
    [
        ("now", NOW),
        (" Maintenant ", NOW),
        ("2026-11-20 18:05", datetime(2026, 11, 20, 18, 5, tzinfo=UTC)),
        ("2026-11-20T07:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
        # Typed within the minute it names: it launches at once, not in the past.
        ("2026-11-01 12:00", NOW),
        ("2027-01-30 12:00", datetime(2027, 1, 30, 12, 0, tzinfo=UTC)),
    ],
)
def test_a_launch_is_read_as_now_or_a_utc_moment(typed: str, moment: datetime) -> None:
    assert launch_moment(typed, NOW) == moment


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("tomorrow", "send a date and time in UTC, like 2026-12-20 18:00, or “now”"),
        ("2026-11-31 10:00", "send a date and time in UTC, like 2026-12-20 18:00, or “now”"),
        ("2026-11-20 25:00", "send a date and time in UTC, like 2026-12-20 18:00, or “now”"),
        ("2026-11-20 18:00 +02:00", "send a date and time in UTC, like 2026-12-20 18:00, or “now”"),
        ("2026-11-01 11:59", "it has already passed"),
        ("2027-01-30 12:01", "it must be at most 90 days away"),
        ("2" * 5_000, "send a date and time in UTC, like 2026-12-20 18:00, or “now”"),
    ],
)
def test_an_unreadable_or_out_of_range_launch_is_refused_with_the_reason(
    typed: str, reason: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        launch_moment(typed, NOW)
    assert refused.value.user_message() == f"Launch: {reason}"


def test_the_refusal_is_translated() -> None:
    with pytest.raises(InvalidField) as refused:
        launch_moment("demain", NOW)
    with use_locale("fr"):
        assert refused.value.user_message() == (
            "Lancement\u00a0: envoyez une date et une heure UTC, comme 2026-12-20 18:00, ou "
            "«\u00a0maintenant\u00a0»"
        )


async def test_the_run_and_its_windows_move_with_the_launch(
    db: FakeDatabase, clock: FixedClock
) -> None:
    start = clock.now()
    early = TierDraft("Early bird", "", 5_000, opens_at=start, closes_at=start + timedelta(days=2))
    await create_campaign(db.unit_of_work(), draft(clock, starts_at=start, tiers=(early,)))
    moved = await set_launch(db.unit_of_work, clock, CREATOR, "lamp", "2026-11-10 18:00")
    launch = datetime(2026, 11, 10, 18, 0, tzinfo=UTC)
    assert moved.starts_at == launch
    assert moved.ends_at - moved.starts_at == timedelta(days=29)
    [tier] = db.state.campaigns[moved.id].tiers
    assert (tier.opens_at, tier.closes_at) == (launch, launch + timedelta(days=2))
    stored = db.state.campaigns[moved.id]
    assert (stored.starts_at, stored.ends_at) == (moved.starts_at, moved.ends_at)
    # Published now, it is coming soon; its launch may still move, to now.
    assert (await publish_campaign(db.unit_of_work(), clock, "lamp")).status is (
        CampaignStatus.COMING_SOON
    )
    assert (await set_launch(db.unit_of_work, clock, CREATOR, "lamp", "now")).starts_at == (
        clock.now()
    )


async def test_only_the_creator_may_move_a_launch_and_only_before_it_is_live(
    db: FakeDatabase, clock: FixedClock
) -> None:
    created = await create_campaign(db.unit_of_work(), draft(clock))
    stranger = Identity(Platform.TELEGRAM, "2000")
    # A draft is not even shown to someone else.
    with pytest.raises(CampaignNotFound):
        await set_launch(db.unit_of_work, clock, stranger, "lamp", "now")
    await publish_campaign(db.unit_of_work(), clock, "lamp")
    with pytest.raises(NotYourLaunch):
        await set_launch(db.unit_of_work, clock, stranger, "lamp", "now")
    with pytest.raises(AlreadyLaunched):
        await set_launch(db.unit_of_work, clock, CREATOR, "lamp", "2026-11-20 10:00")
    assert db.state.campaigns[created.id].starts_at == created.starts_at
