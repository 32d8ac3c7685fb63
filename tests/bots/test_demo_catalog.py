"""The demo catalog: varied, quick to seed, and showing every kind of progress once seeded."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bots.catalog import CatalogEntry, parse_catalog, read_catalog
from bots.config import load_settings
from core.campaigns import FundingModel
from tests.bots.conftest import ROOT, Backit

LIMITS = load_settings(env={}).pledges.limits
MAX_DEMO_BACKERS = 400


@pytest.fixture(scope="module")
def entries() -> list[CatalogEntry]:
    """The demo catalog, parsed as `backit seed` would."""
    return read_catalog(None, datetime.now(UTC), LIMITS)


def test_the_demo_is_varied(entries: list[CatalogEntry]) -> None:
    drafts = [entry.draft for entry in entries]
    tiers = [tier for draft in drafts for tier in draft.tiers]

    assert len(drafts) >= 12
    assert len({draft.category for draft in drafts}) >= 6
    assert {draft.funding_model for draft in drafts} == set(FundingModel)
    assert {"EUR", "USD", "GBP", "JPY"} <= {draft.goal.currency for draft in drafts}
    assert any(draft.staff_pick for draft in drafts)
    assert any(draft.stretch_goals for draft in drafts)
    assert all(draft.image_url is None for draft in drafts)
    assert any(tier.quantity_limit is None for tier in tiers)
    assert any(tier.quantity_limit is not None for tier in tiers)
    assert any(tier.ship_countries for tier in tiers)
    assert any(tier.estimated_delivery for tier in tiers)
    # An early bird closing two days into the demo.
    assert any(tier.closes_at for tier in tiers)
    assert any(tier.secret for tier in tiers)


def test_the_demo_launches_a_campaign_minutes_after_seeding_with_an_early_bird(
    entries: list[CatalogEntry],
) -> None:
    seeded_at = datetime.now(UTC)
    [soon] = [entry for entry in entries if entry.live and entry.draft.starts_at > seeded_at]
    launch = soon.draft.starts_at

    # Long enough to open its card and ask to be notified, short enough to wait for.
    assert timedelta(minutes=3) < launch - seeded_at <= timedelta(minutes=5)
    assert soon.backing == ()
    early_bird = soon.draft.tiers[0]
    assert (early_bird.opens_at, early_bird.closes_at) == (launch, launch + timedelta(hours=48))


def test_the_demo_speaks_english_and_french(entries: list[CatalogEntry]) -> None:
    blurbs = " ".join(entry.draft.blurb for entry in entries)

    assert re.search(r"\b(une|des|qui)\b", blurbs)
    assert re.search(r"\b(the|and|with)\b", blurbs)


def test_the_demo_keeps_seeding_quick(entries: list[CatalogEntry]) -> None:
    assert sum(b.count for entry in entries for b in entry.backing) <= MAX_DEMO_BACKERS


def _status(entry: CatalogEntry, now: datetime) -> str:
    """What seeding makes of an entry: a draft, or published, coming soon until its start."""
    if not entry.live:
        return "draft"
    return "coming_soon" if entry.draft.starts_at > now else "live"


def _expected(entry: CatalogEntry, now: datetime) -> dict[str, Any]:
    prices = {tier.title: tier.amount for tier in entry.draft.tiers}
    return {
        "slug": entry.draft.slug,
        "status": _status(entry, now),
        "raised": sum(
            b.count * (b.amount if b.amount is not None else prices[b.tier or ""])
            for b in entry.backing
        ),
        "backers": sum(b.count for b in entry.backing),
        "claimed": [
            sum(b.count for b in entry.backing if b.tier == tier.title)
            for tier in entry.draft.tiers
        ],
    }


def test_seeded_figures_match_the_catalog(entries: list[CatalogEntry], demo: Backit) -> None:
    stored = {campaign["slug"]: campaign for campaign in demo.json("campaigns", "list")}

    for entry in entries:
        shown = demo.json("campaigns", "show", entry.draft.slug)
        assert {
            "slug": shown["slug"],
            "status": shown["status"],
            "raised": shown["raised"],
            "backers": shown["backers"],
            "claimed": [tier["claimed"] for tier in shown["tiers"]],
        } == _expected(entry, datetime.now(UTC))
        assert stored[entry.draft.slug] == {k: v for k, v in shown.items() if k != "tiers"}


def test_seeded_demo_shows_every_kind_of_progress(
    entries: list[CatalogEntry], demo: Backit
) -> None:
    campaigns = {c["slug"]: c for c in demo.json("campaigns", "list") if c["status"] == "live"}
    stretch = {entry.draft.slug: entry.draft.stretch_goals for entry in entries}
    started = {entry.draft.slug: entry.draft.starts_at for entry in entries}
    now = datetime.now(UTC)

    def ends_at(campaign: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(campaign["ends_at"])

    nearly_funded = [c for c in campaigns.values() if 80 <= c["percent"] <= 95]
    ending_within_a_day = [c for c in campaigns.values() if ends_at(c) - now < timedelta(days=1)]
    past_goal_and_a_stretch = [
        c
        for c in campaigns.values()
        if c["raised"] > c["goal"] and any(goal <= c["raised"] for goal in stretch[c["slug"]])
    ]
    just_starting = [c for slug, c in campaigns.items() if now - started[slug] <= timedelta(days=3)]
    assert nearly_funded
    assert ending_within_a_day
    assert past_goal_and_a_stretch
    assert len(just_starting) >= 2
    assert all(c["percent"] < 10 for c in just_starting)


def test_every_demo_campaign_has_its_own_small_cover_shipped_with_it(
    entries: list[CatalogEntry],
) -> None:
    shipped = sorted((ROOT / "bots" / "demo_covers").glob("*.jpg"))
    assert [path.stem for path in shipped] == sorted(entry.draft.slug for entry in entries)
    assert all(15_000 < path.stat().st_size < 70_000 for path in shipped)
    covers = [entry.cover for entry in entries]
    assert all(cover is not None and (cover.width, cover.height) == (1200, 675) for cover in covers)
    assert len({cover.digest for cover in covers if cover is not None}) == len(entries)


def test_seeding_gives_each_demo_campaign_its_cover(
    entries: list[CatalogEntry], demo: Backit
) -> None:
    seeded = {campaign["slug"]: campaign["cover"] for campaign in demo.json("campaigns", "list")}
    assert seeded == {
        entry.draft.slug: entry.cover.digest for entry in entries if entry.cover is not None
    }


def test_the_readme_catalog_example_is_a_valid_catalog(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Catalog format") :]
    example = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert example is not None
    (tmp_path / "covers").mkdir()
    shutil.copy(
        ROOT / "bots" / "demo_covers" / "maree-lampe.jpg", tmp_path / "covers" / "tidal.jpg"
    )

    [entry] = parse_catalog(example.group(1), "README.md", datetime.now(UTC), LIMITS, tmp_path)

    assert entry.live
    assert entry.backing
    assert entry.cover is not None
