"""The operator CLI end to end, in-process, on real SQLite files."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from adapters.storage import Database
from bots.clock import SystemClock
from bots.config import load_settings
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.usecases.choosing import any_campaign_named
from core.usecases.late_pledges import open_late_pledges
from core.usecases.pledging import PledgeLimits
from core.usecases.reviewing import submit
from tests.bots.conftest import Backit

CATALOG = """
[[campaigns]]
slug = "river-book"
title = "An Atlas of Lost Rivers"
blurb = "Forty buried rivers, mapped."
creator = "Tom Ashdown"
category = "publishing"
currency = "GBP"
goal = "100"
funding = "flexible"
starts = "-3d"
ends = "+20d"

[[campaigns.tiers]]
title = "Hardback"
amount = "25"
quantity = 10

[[campaigns.tiers]]
title = "Ebook"
amount = "10"
closes = "+10d"

[[campaigns.backing]]
count = 4
tier = "Hardback"

[[campaigns.backing]]
count = 2
amount = "50"

[[campaigns]]
slug = "night-synth"
title = "Night Synth"
blurb = "A pocket synth."
creator = "Drift Circuits"
category = "technology"
currency = "USD"
goal = "5000"
funding = "all_or_nothing"
status = "draft"
starts = "-1d"
ends = "+30d"
"""


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A two-campaign catalog file: one live and backed, one draft."""
    path = tmp_path / "shop.toml"
    path.write_text(CATALOG, encoding="utf-8")
    return path


@pytest.fixture
def seeded(backit: Backit, catalog: Path) -> Backit:
    """`backit` on a database seeded with the two-campaign catalog."""
    assert backit("db", "upgrade").code == 0
    assert backit("seed", str(catalog)).code == 0
    return backit


def test_db_upgrade_makes_an_empty_database_ready_and_can_run_again(backit: Backit) -> None:
    assert backit("db", "upgrade").out == "database schema is up to date\n"
    assert backit("db", "upgrade").code == 0

    assert backit("campaigns", "list").out == "no campaigns\n"
    assert backit.json("campaigns", "list") == []


def test_seed_creates_publishes_and_backs_each_campaign(backit: Backit, catalog: Path) -> None:
    backit("db", "upgrade")

    run = backit("seed", str(catalog))

    assert run.code == 0
    assert run.out.splitlines() == [
        "created  river-book   live   200%  6 backers",
        "created  night-synth  draft  0%    0 backers",
        "2 created, 0 skipped",
    ]
    book = backit.json("campaigns", "show", "river-book")
    assert {key: book[key] for key in ("status", "currency", "goal", "raised", "backers")} == {
        "status": "live",
        "currency": "GBP",
        "goal": 10_000,
        "raised": 20_000,
        "backers": 6,
    }
    assert [(t["title"], t["claimed"], t["remaining"]) for t in book["tiers"]] == [
        ("Hardback", 4, 6),
        ("Ebook", 0, None),
    ]
    hardback, ebook = book["tiers"]
    assert (hardback["opens_at"], hardback["closes_at"], ebook["opens_at"]) == (None, None, None)
    # Both counted from the moment the catalog was read: 3 days before, 10 days after.
    assert ebook["closes_at"].endswith("Z")
    closes = datetime.fromisoformat(ebook["closes_at"])
    assert closes - datetime.fromisoformat(book["starts_at"]) == timedelta(days=13)
    assert (book["creator"], book["category"], book["blurb"]) == (
        "Tom Ashdown",
        "publishing",
        "Forty buried rivers, mapped.",
    )
    assert book["description"] == ""
    assert backit.json("campaigns", "show", "night-synth")["status"] == "draft"


def test_seeding_twice_skips_existing_slugs_and_changes_nothing(
    seeded: Backit, catalog: Path
) -> None:
    before = seeded.json("campaigns", "list")

    run = seeded("seed", str(catalog))

    assert run.out.splitlines() == [
        "skipped  river-book   (exists)",
        "skipped  night-synth  (exists)",
        "0 created, 2 skipped",
    ]
    assert seeded.json("campaigns", "list") == before


def test_if_empty_seeds_an_empty_database_only(backit: Backit, catalog: Path) -> None:
    backit("db", "upgrade")

    assert "2 created" in backit("seed", str(catalog), "--if-empty").out
    run = backit("seed", "--if-empty")

    assert run.code == 0
    assert run.out == "there are campaigns already; nothing seeded\n"
    assert len(backit.json("campaigns", "list")) == 2


def test_with_connect_on_seed_refuses_live_campaigns_of_creators_not_paid_and_seeds_nothing(
    backit: Backit, catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backit("db", "upgrade")
    monkeypatch.setenv("BACKIT_PAYMENTS__CONNECT", "true")

    run = backit("seed", str(catalog))

    assert run.code == 1
    # The draft needs no account: only the live campaign is named.
    assert "no payout account taking payments" in run.err
    assert ": river-book; nothing seeded" in run.err
    assert "Traceback" not in run.err
    assert backit.json("campaigns", "list") == []


def test_list_prints_aligned_rows_with_money_in_each_currency(seeded: Backit) -> None:
    lines = seeded("campaigns", "list").out.splitlines()

    header, synth, book = lines
    assert header.split() == [
        "SLUG",
        "STATUS",
        "RAISED",
        "GOAL",
        "%",
        "BACKERS",
        "ENDS",
        "(UTC)",
        "TITLE",
    ]
    assert synth.split()[:6] == ["night-synth", "draft", "$0.00", "$5,000.00", "0%", "0"]
    assert book.split()[:6] == ["river-book", "live", "£200.00", "£100.00", "200%", "6"]
    assert {
        line.index(word) for line, word in zip(lines, ["STATUS", "draft", "live"], strict=True)
    } == {header.index("STATUS")}


def test_list_json_gives_integer_minor_units_with_their_currency(seeded: Backit) -> None:
    synth, book = seeded.json("campaigns", "list")

    assert synth == {
        "slug": "night-synth",
        "title": "Night Synth",
        "creator": "Drift Circuits",
        "category": "technology",
        "blurb": "A pocket synth.",
        "description": "",
        "status": "draft",
        "funding_model": "all_or_nothing",
        "currency": "USD",
        "goal": 500_000,
        "raised": 0,
        "percent": 0,
        "backers": 0,
        "starts_at": synth["starts_at"],
        "ends_at": synth["ends_at"],
        "late_until": None,
        "late_raised": 0,
        "late_backers": 0,
        "cover": None,
    }
    assert book["ends_at"].endswith("Z")


def test_show_prints_the_figures_and_each_tier_s_stock(seeded: Backit) -> None:
    out = seeded("campaigns", "show", "river-book").out

    assert "raised        £200.00 (200%)" in out
    assert "backers       6" in out
    assert "late_until    -\nraised_after  £0.00 (0 backers)" in out
    assert re.search(r"Hardback  £25\.00  -           4        6          -      - +-\n", out)
    assert re.search(
        r"Ebook     £10\.00  -           0        unlimited  -      \d{4}-\d\d-\d\dT[\d:]+Z", out
    )


def test_show_gives_late_pledges_their_period_prices_and_figures(
    seeded: Backit, config: Path
) -> None:
    seeded("campaigns", "close", "river-book")
    operator = Caller(Identity(Platform.TELEGRAM, "1"), "Operator", "en")

    async def open_late() -> datetime:
        async with Database.connect(f"sqlite+aiosqlite:///{config.parent / 'backit.db'}") as db:
            book = await any_campaign_named(db.unit_of_work, "river-book")
            opened = await open_late_pledges(
                db.unit_of_work,
                SystemClock(),
                PledgeLimits(),
                (operator.identity,),
                operator,
                book.id,
                14,
                {book.tiers[0].id: Money(3_000, "GBP")},
            )
        assert opened.late_until is not None
        return opened.late_until

    until = asyncio.run(open_late())
    shown = seeded("campaigns", "show", "river-book").out
    book = seeded.json("campaigns", "show", "river-book")

    assert f"late_until    {until.isoformat(timespec='seconds').replace('+00:00', 'Z')}" in shown
    assert re.search(r"Hardback  £25\.00  £30\.00      4 ", shown)
    assert (book["late_until"], book["late_raised"], book["late_backers"]) == (
        until.isoformat(timespec="seconds").replace("+00:00", "Z"),
        0,
        0,
    )
    assert [tier["late_amount"] for tier in book["tiers"]] == [3_000, None]


def test_campaigns_are_named_by_title_too_and_a_wrong_name_suggests_close_ones(
    seeded: Backit,
) -> None:
    assert "raised        £200.00 (200%)" in seeded("campaigns", "show", "an atlas of lost").out
    assert seeded("campaigns", "publish", "NIGHT synth").out.startswith("night-synth is live")

    run = seeded("campaigns", "close", "Lost Rivers of London")

    assert (run.code, run.out) == (1, "")
    assert run.err == (
        "error: There is no campaign called “Lost Rivers of London”. "
        "Did you mean “An Atlas of Lost Rivers”?\n"
    )


def test_create_from_a_file_makes_drafts_without_backers(backit: Backit, catalog: Path) -> None:
    backit("db", "upgrade")

    run = backit("campaigns", "create", "--from", str(catalog))

    assert run.out == "created draft river-book\ncreated draft night-synth\n"
    book = backit.json("campaigns", "show", "river-book")
    assert (book["status"], book["backers"]) == ("draft", 0)


def test_a_secret_tier_gets_its_code_at_creation_and_show_gives_it_with_its_links(
    backit: Backit, tmp_path: Path
) -> None:
    backit("db", "upgrade")
    path = tmp_path / "secret.toml"
    path.write_text(
        CATALOG.replace('closes = "+10d"', 'closes = "+10d"\nsecret = true'), encoding="utf-8"
    )

    backit("campaigns", "create", "--from", str(path))

    book = backit.json("campaigns", "show", "river-book")
    hardback, ebook = book["tiers"]
    assert (hardback["secret"], hardback["secret_code"]) == (False, None)
    code = ebook["secret_code"]
    assert ebook["secret"]
    assert re.fullmatch(r"[A-Za-z0-9]{10}", code)
    text = backit("campaigns", "show", "river-book").out
    assert re.search(rf"Ebook +£10\.00 .* {code}\n", text)
    assert text.endswith(
        f"secret tier 'Ebook': Telegram t.me/<bot>?start=s_{code} · "
        f"Discord /campaign name:river-book code:{code}\n"
    )


def test_publish_makes_a_draft_live(backit: Backit, catalog: Path) -> None:
    backit("db", "upgrade")
    backit("campaigns", "create", "--from", str(catalog))

    run = backit("campaigns", "publish", "night-synth")

    ends_at = backit.json("campaigns", "show", "night-synth")["ends_at"]
    assert run.out == f"night-synth is live until {ends_at}\n"
    assert backit.json("campaigns", "show", "night-synth")["status"] == "live"


def test_publishing_before_the_start_makes_a_draft_coming_soon(
    backit: Backit, tmp_path: Path
) -> None:
    path = tmp_path / "soon.toml"
    path.write_text(CATALOG.replace('starts = "-1d"', 'starts = "+2h"'), encoding="utf-8")
    backit("db", "upgrade")
    backit("campaigns", "create", "--from", str(path))

    run = backit("campaigns", "publish", "night-synth")

    shown = backit.json("campaigns", "show", "night-synth")
    assert run.out == (
        f"night-synth is coming soon: it launches at {shown['starts_at']} "
        f"and runs until {shown['ends_at']}\n"
    )
    assert shown["status"] == "coming_soon"
    listed = backit("campaigns", "list").out
    assert re.search(r"night-synth +.*coming_soon", listed)


def test_create_refuses_a_file_with_a_slug_in_use_and_creates_nothing(
    seeded: Backit, tmp_path: Path
) -> None:
    fresh = CATALOG.replace('"night-synth"', '"day-synth"')
    path = tmp_path / "again.toml"
    path.write_text(fresh, encoding="utf-8")

    run = seeded("campaigns", "create", "--from", str(path))

    assert (run.code, run.err) == (
        1,
        "error: campaign 'river-book' exists already; nothing created\n",
    )
    assert len(seeded.json("campaigns", "list")) == 2


def test_close_settles_a_live_campaign_now_by_its_goal(seeded: Backit) -> None:
    seeded("campaigns", "publish", "night-synth")

    funded = seeded("campaigns", "close", "river-book")
    unfunded = seeded("campaigns", "close", "night-synth")

    assert funded.out == "closed river-book: successful, £200.00 of £100.00 (200%)\n"
    assert unfunded.out == "closed night-synth: failed, $0.00 of $5,000.00 (0%)\n"
    assert seeded.json("campaigns", "show", "river-book")["status"] == "successful"


def test_closing_a_campaign_that_is_not_live_fails_with_a_reason(seeded: Backit) -> None:
    run = seeded("campaigns", "close", "night-synth")

    assert (run.code, run.out) == (1, "")
    assert run.err == "error: night-synth is not live (draft); nothing to close\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("campaigns", "show", "nope"),
        ("campaigns", "publish", "nope"),
        ("campaigns", "close", "nope"),
    ],
)
def test_an_unknown_slug_is_one_line_of_error_and_exit_code_1(
    seeded: Backit, argv: tuple[str, ...]
) -> None:
    run = seeded(*argv)

    assert (run.code, run.out) == (1, "")
    assert run.err == "error: There is no campaign called “nope”.\n"


def test_a_bad_catalog_is_refused_before_anything_is_written(
    backit: Backit, tmp_path: Path
) -> None:
    backit("db", "upgrade")
    path = tmp_path / "bad.toml"
    path.write_text(CATALOG.replace('goal = "5000"', 'goal = "lots"'), encoding="utf-8")

    run = backit("seed", str(path))

    assert run.code == 1
    assert run.err.startswith(f'error: {path}: campaign "night-synth": goal must be')
    assert backit.json("campaigns", "list") == []


def test_a_missing_catalog_file_is_named(backit: Backit, tmp_path: Path) -> None:
    run = backit("seed", str(tmp_path / "nowhere.toml"))

    assert run.code == 1
    assert run.err.startswith(f"error: {tmp_path / 'nowhere.toml'}: cannot read the catalog")


async def _submitted(config: Path, slug: str) -> None:
    """A creator sent the draft for review, as /submit does."""
    settings = load_settings(config)
    async with Database.connect(settings.database_url) as db:
        await submit(db.unit_of_work, SystemClock(), frozenset(), DRIFT, slug)


DRIFT = Identity(Platform.TELEGRAM, "77")


def test_review_lists_the_campaigns_waiting_for_an_operator(backit: Backit, tmp_path: Path) -> None:
    backit("db", "upgrade")
    assert backit("campaigns", "review").out == "no campaigns waiting for review\n"
    assert backit.json("campaigns", "review") == []
    catalog = tmp_path / "drafts.toml"
    catalog.write_text(
        CATALOG.replace('status = "draft"\n', 'status = "draft"\ncreators = ["telegram:77"]\n'),
        encoding="utf-8",
    )
    backit("campaigns", "create", "--from", str(catalog))
    asyncio.run(_submitted(backit.config, "night-synth"))

    run = backit("campaigns", "review")
    starts = backit.json("campaigns", "show", "night-synth")["starts_at"]
    lines = run.out.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["SLUG", "STARTS (UTC)", "CREATOR", "TITLE"]
    assert re.split(r"\s{2,}", lines[1]) == ["night-synth", starts, "Drift Circuits", "Night Synth"]
    assert len(lines) == 2
    (waiting,) = backit.json("campaigns", "review")
    assert (waiting["slug"], waiting["title"], waiting["creator"], waiting["status"]) == (
        "night-synth",
        "Night Synth",
        "Drift Circuits",
        "in_review",
    )
    assert waiting["starts_at"] == starts

    # Published from here, it leaves the queue, and its creator is told as from the chat.
    published = backit("campaigns", "publish", "night-synth")
    assert published.out.startswith("night-synth is live until ")
    assert backit.json("campaigns", "review") == []
    assert asyncio.run(_decisions(backit.config)) == [("77", True, "live")]


async def _decisions(config: Path) -> list[tuple[str, object, object]]:
    """Who each review decision waiting in the outbox goes to, and what it says."""
    settings = load_settings(config)
    async with Database.connect(settings.database_url) as db, db.unit_of_work() as uow:
        pending = await uow.outbox.pending()
    return [
        (m.recipient.address, m.notification.data["approved"], m.notification.data["status"])
        for m in pending
        if m.notification.type == "review_decided"
    ]
