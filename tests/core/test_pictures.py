"""What a campaign's card picture shows: its words in the reader's language, and its progress
as shares of the bar, the stretch goals marked once the goal is passed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import use_locale
from core.milestones import MilestoneKind
from core.money import Money
from core.views.pictures import card_picture, celebration_picture, picture_of_milestone

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def lamp(
    raised: int, *, title: str = "The Reading Lamp", status: CampaignStatus = CampaignStatus.LIVE
) -> Campaign:
    """A live campaign for €1,000 with a stretch goal at €1,500, with `raised` cents."""
    return Campaign(
        id=1,
        slug="lamp",
        title=title,
        blurb="A warm lamp.",
        description="",
        creator_name="Ada",
        creator_identities=(),
        category="design",
        goal=Money(100_000, "EUR"),
        funding_model=FundingModel.ALL_OR_NOTHING,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=8, hours=1),
        status=status,
        stretch_goals=(150_000, 200_000),
        raised=raised,
        backers_count=12,
    )


def test_below_its_goal_the_bar_is_the_goal_and_nothing_is_marked() -> None:
    picture = card_picture(lamp(87_000), NOW)

    assert picture.filled == pytest.approx(0.87)
    assert picture.marks == ()
    assert (picture.percent, picture.raised, picture.backers) == (
        "87%",
        "€870.00 of €1,000.00",
        "12 backers",
    )
    assert picture.time_left == "8 days left"
    assert picture.byline == "by Ada · Design"
    assert (picture.state, picture.funded) == (None, False)


def test_past_its_goal_the_bar_runs_to_the_next_stretch_goal_with_the_goal_marked() -> None:
    picture = card_picture(lamp(120_000), NOW)

    assert picture.filled == pytest.approx(120_000 / 150_000)
    assert picture.marks == pytest.approx((100_000 / 150_000, 1.0))
    assert (picture.state, picture.funded) == ("Funded!", True)


def test_past_the_last_stretch_goal_the_bar_is_full_and_every_goal_marked() -> None:
    picture = card_picture(lamp(250_000), NOW)

    assert picture.filled == 1.0
    assert picture.marks == pytest.approx((0.4, 0.6, 0.8))


def test_an_ended_campaign_says_so_and_no_longer_counts_down() -> None:
    picture = card_picture(lamp(40_000, status=CampaignStatus.FAILED), NOW)

    assert (picture.state, picture.funded, picture.time_left) == ("Ended", False, "")


def test_a_cancelled_campaign_is_never_shown_funded() -> None:
    picture = card_picture(lamp(120_000, status=CampaignStatus.CANCELLED), NOW)

    assert (picture.state, picture.funded) == ("Ended", False)


def test_the_picture_speaks_the_readers_language() -> None:
    with use_locale("fr"):
        picture = card_picture(lamp(120_000), NOW)

    assert picture.state == "Financée\u00a0!"
    assert picture.byline == "par Ada · Design"
    assert picture.raised == "1\u202f200,00\u00a0€ sur 1\u202f000,00\u00a0€"
    assert picture.backers == "12 contributeurs"


@pytest.mark.parametrize(
    ("kind", "value", "english", "french"),
    [
        (MilestoneKind.PERCENT, 50, "50% funded!", "Financée à 50\u00a0%\u00a0!"),
        (MilestoneKind.PERCENT, 100, "Funded!", "Financée\u00a0!"),
        (MilestoneKind.STRETCH, 150_000, "Stretch goal unlocked!", "Palier débloqué\u00a0!"),
    ],
)
def test_a_milestones_picture_names_it_in_the_readers_language_over_the_same_progress(
    kind: MilestoneKind, value: int, english: str, french: str
) -> None:
    campaign = lamp(150_500)
    with use_locale("fr"):
        french_picture = celebration_picture(campaign, kind, value, NOW)

    picture = celebration_picture(campaign, kind, value, NOW)

    assert (picture.state, french_picture.state) == (english, french)
    assert replace(picture, state=None, milestone=None) == replace(
        card_picture(campaign, NOW), state=None
    )


@pytest.mark.parametrize(
    ("key", "raised", "state"),
    [
        ("50", 50_000, "50% funded!"),
        ("100", 100_000, "Funded!"),
        ("s150000", 150_000, "Stretch goal unlocked!"),
    ],
)
def test_a_milestones_address_gives_its_picture_once_reached(
    key: str, raised: int, state: str
) -> None:
    picture = picture_of_milestone(lamp(raised), key, NOW)

    assert (picture.state, picture.milestone) == (state, key)


@pytest.mark.parametrize(
    ("key", "raised"),
    [
        ("50", 49_999),
        ("100", 99_999),
        ("s150000", 149_999),
        ("s120000", 130_000),
        ("30", 90_000),
        ("", 150_000),
        ("s", 150_000),
        ("-50", 150_000),
        ("5" * 40, 150_000),
        ("٥٠", 150_000),
    ],
)
def test_any_other_milestone_address_gives_the_plain_card(key: str, raised: int) -> None:
    campaign = lamp(raised)

    assert picture_of_milestone(campaign, key, NOW) == card_picture(campaign, NOW)
