"""Catalog parsing: every field is checked, and a bad one is named with its campaign."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bots.catalog import Backing, CatalogEntry, CatalogError, parse_catalog
from core.campaigns import FundingModel
from core.identity import Identity, Platform
from core.money import Money
from core.usecases.pledging import PledgeLimits
from tests.bots.conftest import ROOT

NOW = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)
LIMITS = PledgeLimits(10_000, {"JPY": 1_500_000})

CATALOG = """
[[campaigns]]
slug = "tidal"
title = "Tidal lamp"
blurb = "A lamp that follows the tides."
description = "Made in Cancale."
creator = "Atelier Lumen"
creators = ["telegram:42"]
category = "design"
currency = "EUR"
goal = "1200.50"
funding = "all_or_nothing"
starts = "-20d"
ends = "+18h"
image = "https://example.org/tidal.jpg"
staff_pick = true
stretch_goals = ["2000", 3000]

[[campaigns.tiers]]
title = "Early bird"
description = "One lamp."
amount = 12.5
quantity = 10
delivery = "+3mo"
ships = true
ship_countries = ["FR", "BE"]

[[campaigns.tiers]]
title = "Thanks"
amount = "5"

[[campaigns.backing]]
count = 4
tier = "Early bird"

[[campaigns.backing]]
count = 2
amount = "20"
"""


def parse(text: str = CATALOG, **changes: str) -> list[CatalogEntry]:
    """Parse the sample catalog after replacing some of its text."""
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return list(parse_catalog(text, "shop.toml", NOW, LIMITS))


def refusal(**changes: str) -> str:
    """The message refusing the sample catalog once changed."""
    with pytest.raises(CatalogError) as refused:
        parse(**changes)
    return str(refused.value)


def test_a_complete_campaign_becomes_a_draft_with_backing() -> None:
    [entry] = parse_catalog(CATALOG, "shop.toml", NOW, LIMITS)
    draft = entry.draft
    start_of_second = NOW.replace(microsecond=0)

    assert entry.live
    assert (draft.slug, draft.title, draft.creator_name) == ("tidal", "Tidal lamp", "Atelier Lumen")
    assert draft.creator_identities == (Identity(Platform.TELEGRAM, "42"),)
    assert draft.goal == Money(120_050, "EUR")
    assert draft.funding_model is FundingModel.ALL_OR_NOTHING
    assert draft.starts_at == start_of_second - timedelta(days=20)
    assert draft.ends_at == start_of_second + timedelta(hours=18)
    assert draft.staff_pick
    assert draft.stretch_goals == (200_000, 300_000)
    early, thanks = draft.tiers
    assert (early.amount, early.quantity_limit, early.estimated_delivery) == (
        1250,
        10,
        date(2027, 2, 1),
    )
    assert (early.ships, early.ship_countries) == (True, ("FR", "BE"))
    assert (thanks.amount, thanks.quantity_limit, thanks.ships) == (500, None, False)
    assert entry.backing == (Backing(4, tier="Early bird"), Backing(2, amount=2000))


def test_a_tier_is_secret_when_the_catalog_says_so() -> None:
    [entry] = parse(**{"quantity = 10": "quantity = 10\nsecret = true"})
    early, thanks = entry.draft.tiers
    assert (early.secret, thanks.secret) == (True, False)


def test_a_tier_opens_and_closes_at_times_written_as_a_campaigns() -> None:
    [entry] = parse(
        **{"quantity = 10": 'quantity = 10\nopens = "-20d"\ncloses = 2026-11-20T23:00:00+01:00'}
    )
    early, thanks = entry.draft.tiers
    assert early.opens_at == NOW.replace(microsecond=0) - timedelta(days=20)
    assert early.closes_at == datetime(2026, 11, 20, 22, tzinfo=UTC)
    assert (thanks.opens_at, thanks.closes_at) == (None, None)


def test_absolute_times_keep_their_instant_and_become_utc() -> None:
    [entry] = parse_catalog(
        CATALOG.replace('"-20d"', '"2026-11-01T10:00:00+02:00"').replace(
            'ends = "+18h"', "ends = 2026-12-01T08:00:00Z"
        ),
        "shop.toml",
        NOW,
        LIMITS,
    )

    assert entry.draft.starts_at == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert entry.draft.ends_at == datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_yen_amounts_have_no_decimals_and_months_can_be_absolute() -> None:
    [entry] = parse_catalog(
        CATALOG.replace('"EUR"', '"JPY"')
        .replace('"1200.50"', "600000")
        .replace("amount = 12.5", 'amount = "4800"')
        .replace('"+3mo"', '"2027-09"')
        .replace('["2000", 3000]', "[900000]"),
        "shop.toml",
        NOW,
        LIMITS,
    )

    assert entry.draft.goal == Money(600_000, "JPY")
    assert entry.draft.tiers[0].amount == 4800
    assert entry.draft.tiers[0].estimated_delivery == date(2027, 9, 1)


def test_a_draft_needs_no_backing_and_may_start_later() -> None:
    backing = CATALOG[CATALOG.index("[[campaigns.backing]]") :]
    [entry] = parse(
        **{
            backing: "",
            'funding = "all_or_nothing"': 'funding = "flexible"\nstatus = "draft"',
            '"-20d"': '"+2d"',
            'ends = "+18h"': 'ends = "+30d"',
        }
    )

    assert not entry.live
    assert entry.backing == ()
    assert entry.draft.funding_model is FundingModel.FLEXIBLE


PREFIX = 'shop.toml: campaign "tidal": '


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {'goal = "1200.50"': 'goal = "abc"'},
            'goal must be a positive amount in EUR like "25" or 12.5, with at most 2 decimals, '
            'got "abc"',
        ),
        (
            {'goal = "1200.50"': "goal = 12.345"},
            'goal must be a positive amount in EUR like "25" or 12.5, with at most 2 decimals, '
            "got 12.345",
        ),
        (
            {'goal = "1200.50"': 'goal = "1,200"'},
            'goal must be a positive amount in EUR like "25" or 12.5, without commas, got "1,200"',
        ),
        (
            {'goal = "1200.50"': "goal = -5"},
            'goal must be a positive amount in EUR like "25" or 12.5, got -5',
        ),
        (
            {'goal = "1200.50"': "goal = true"},
            'goal must be a positive amount in EUR like "25" or 12.5, got True',
        ),
        ({'goal = "1200.50"': ""}, "goal is required"),
        (
            {'currency = "EUR"': 'currency = "EURO"'},
            'currency must be an ISO 4217 currency code like "EUR", got "EURO"',
        ),
        (
            {'category = "design"': 'category = "cooking"'},
            "category must be one of art, comics, design, film, food, games, music, "
            'publishing, technology, community, got "cooking"',
        ),
        (
            {'funding = "all_or_nothing"': 'funding = "maybe"'},
            'funding must be one of all_or_nothing, flexible, got "maybe"',
        ),
        (
            {'"-20d"': '"yesterday"'},
            'starts must be a time like "-20d", "+18h" or "2026-05-01T12:00:00+02:00", '
            'got "yesterday"',
        ),
        (
            {'"-20d"': "2026-11-01T10:00:00"},
            'starts must be a time like "-20d", "+18h" or "2026-05-01T12:00:00+02:00", '
            "with its UTC offset, got 2026-11-01 10:00:00",
        ),
        (
            {'ends = "+18h"': 'ends = "-21d"'},
            "End: it must be after the start, and at most 90 days later",
        ),
        (
            {'"-20d"': '"-30d"', 'ends = "+18h"': 'ends = "-1h"'},
            "ends must be in the future for a live campaign",
        ),
        (
            {'title = "Tidal lamp"': f'title = "{"x" * 81}"'},
            "Title can be at most 80 characters long.",
        ),
        ({'image = "https://': 'image = "http://'}, "Image: it must be an https:// address"),
        (
            {'creators = ["telegram:42"]': 'creators = ["bob"]'},
            'creators must be a list of identities like "telegram:123" or "discord:456", '
            "got ['bob']",
        ),
        (
            {'stretch_goals = ["2000", 3000]': 'stretch_goals = ["1000"]'},
            "Stretch goals: they must rise, each above the goal",
        ),
        (
            {"staff_pick = true": 'staff_pick = "yes"'},
            'staff_pick must be true or false, got "yes"',
        ),
        (
            {"staff_pick = true": 'status = "open"\nstaff_pick = true'},
            'status must be one of live, draft, got "open"',
        ),
        ({"staff_pick": "colour = 'blue'\nstaff_pick"}, "colour is not a known field"),
        ({"amount = 12.5\n": ""}, "tiers[0].amount is required"),
        ({"quantity = 10": "quantity = 0"}, "tiers[0].quantity must be a positive integer, got 0"),
        (
            {'delivery = "+3mo"': 'delivery = "September"'},
            'tiers[0].delivery must be a month like "2026-09" or "+4mo", got "September"',
        ),
        (
            {'ship_countries = ["FR", "BE"]': 'ship_countries = ["France"]'},
            'tiers[0].ship_countries must be a list of two-letter country codes like ["FR", "BE"]'
            ", got ['France']",
        ),
        ({"ships = true": "ships = false"}, "tiers[0].ship_countries needs ships = true"),
        (
            {"quantity = 10": 'quantity = 10\nsecret = "yes"'},
            'tiers[0].secret must be true or false, got "yes"',
        ),
        (
            {"quantity = 10": 'quantity = 10\nopens = "soon"'},
            'tiers[0].opens must be a time like "-20d", "+18h" or "2026-05-01T12:00:00+02:00", '
            'got "soon"',
        ),
        (
            {"quantity = 10": 'quantity = 10\nopens = "+2h"\ncloses = "+1h"'},
            "tiers[0]: Reward dates: it must open before it closes, within the campaign's run",
        ),
        (
            {"quantity = 10": 'quantity = 10\ncloses = "+1d"'},
            "tiers[0]: Reward dates: it must open before it closes, within the campaign's run",
        ),
        (
            {'title = "Thanks"': 'title = "Early bird"'},
            "tiers have the same title twice; backing names tiers by title",
        ),
        (
            {'tier = "Early bird"': 'tier = "Late bird"'},
            'backing[0].tier names no tier of this campaign: "Late bird"',
        ),
        (
            {"count = 4": "count = 11"},
            'backing asks for 11 of "Early bird", which has 10',
        ),
        ({"count = 4": "count = -1"}, "backing[0].count must be a positive integer, got -1"),
        ({'tier = "Early bird"': ""}, "backing[0] needs a tier, an amount, or both"),
        (
            {'amount = "20"': 'amount = "10001"'},
            "backing[1] pledges must be between €0.01 and €10,000.00",
        ),
        (
            {'tier = "Early bird"': 'tier = "Early bird"\namount = "10"'},
            "backing[0] pledges must be between €12.50 and €10,000.00",
        ),
        (
            {'"-20d"': '"+1h"'},
            "backing needs a live campaign that has started",
        ),
    ],
)
def test_a_bad_field_is_named_with_its_campaign(changes: dict[str, str], message: str) -> None:
    assert refusal(**changes) == PREFIX + message


def test_a_campaign_without_a_slug_is_named_by_its_position() -> None:
    assert refusal(**{'slug = "tidal"': ""}) == "shop.toml: campaigns[0]: slug is required"


def test_a_slug_may_appear_only_once() -> None:
    with pytest.raises(CatalogError) as refused:
        parse(CATALOG + CATALOG)

    assert str(refused.value) == 'shop.toml: campaign "tidal" appears twice'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "shop.toml: campaigns is required"),
        ("campaigns = 5", "shop.toml: campaigns must be a non-empty array of tables, got 5"),
        ("campaigns = [5]", "shop.toml: campaigns[0]: must be a table"),
        ("title = 'x'\n" + CATALOG, "shop.toml: title is not a known field"),
        ("[[campaigns]\n", "shop.toml: not valid TOML: "),
    ],
)
def test_a_malformed_catalog_is_refused_as_a_whole(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as refused:
        parse(text)

    assert str(refused.value).startswith(message)


def test_a_cover_is_a_picture_beside_the_catalog_made_into_a_cover(tmp_path: Path) -> None:
    (tmp_path / "tidal.jpg").write_bytes((ROOT / "bots/demo_covers/maree-lampe.jpg").read_bytes())
    text = CATALOG.replace("staff_pick = true", 'staff_pick = true\ncover = "tidal.jpg"')
    [entry] = parse_catalog(text, "shop.toml", NOW, LIMITS, tmp_path)
    assert entry.cover is not None
    assert (entry.cover.width, entry.cover.height) == (1200, 675)
    assert parse()[0].cover is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.jpg", 'cover cannot be read: "missing.jpg" (No such file or directory)'),
        ("notes.txt", "That is not a picture Backit can use: send a JPEG, PNG or WebP image."),
    ],
)
def test_a_cover_that_cannot_be_one_is_named_with_its_campaign(
    tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a picture")
    text = CATALOG.replace("staff_pick = true", f'staff_pick = true\ncover = "{name}"')
    with pytest.raises(CatalogError) as refused:
        parse_catalog(text, "shop.toml", NOW, LIMITS, tmp_path)
    assert str(refused.value) == PREFIX + message


def test_a_cover_needs_a_catalog_read_from_a_file() -> None:
    assert refusal(**{"staff_pick = true": 'cover = "tidal.jpg"'}) == (
        PREFIX + "cover needs a catalog read from a file"
    )
