"""Campaign catalogs: TOML files of campaigns to create, with demo backing to seed them."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from adapters.images.covers import cover_from_upload
from bots import catalog_values as read
from core.categories import CATEGORIES
from core.covers import Cover
from core.errors import DomainError
from core.money import Money
from core.usecases.managing import CampaignDraft, TierDraft, validate_draft, validate_window
from core.usecases.pledging import PledgeLimits

DEMO_NAME = "demo_catalog.toml"
STATUSES = ("live", "draft")

T = TypeVar("T")


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the campaign and the field."""


@dataclass(frozen=True, slots=True)
class Backing:
    """Demo backers to seed: how many, for which tier (by title) and/or what amount."""

    count: int
    tier: str | None = None
    # Minor units; None means the tier's price.
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One campaign of a catalog: its draft, whether to publish it, its demo backing and its
    cover."""

    draft: CampaignDraft
    live: bool
    backing: tuple[Backing, ...] = ()
    cover: Cover | None = None


class _Invalid(Exception):
    """A field that does not fit; the message starts with the field's name."""


class _Table:
    """One TOML table being read field by field; fields nobody asked for are refused."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise _Invalid(f"{where} must be a table" if where else "must be a table")
        self._data: dict[str, Any] = dict(data)
        self.where = where

    def required(self, key: str, reader: Callable[[Any], T]) -> T:
        """A field that must be present."""
        if key not in self._data:
            raise _Invalid(f"{self.name(key)} is required")
        return self._read(key, reader)

    def optional(self, key: str, reader: Callable[[Any], T]) -> T | None:
        """A field that may be left out (None then)."""
        return self._read(key, reader) if key in self._data else None

    def _read(self, key: str, reader: Callable[[Any], T]) -> T:
        value = self._data.pop(key)
        try:
            return reader(value)
        except ValueError as error:
            raise _Invalid(f"{self.name(key)} {error}, got {_shown(value)}") from None

    def tables(self, key: str) -> list[_Table]:
        """An array of tables such as [[campaigns.tiers]], possibly empty."""
        items = self._data.pop(key, [])
        if not isinstance(items, list):
            raise _Invalid(f"{self.name(key)} must be an array of tables")
        return [_Table(item, f"{self.name(key)}[{index}]") for index, item in enumerate(items)]

    def name(self, key: str) -> str:
        """How a field of this table is named in messages."""
        return f"{self.where}.{key}" if self.where else key

    def finish(self) -> None:
        """Refuse what is left: an unknown field is usually a typo."""
        if self._data:
            raise _Invalid(f"{self.name(next(iter(self._data)))} is not a known field")


def _array(value: object) -> list[object]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty array of tables")
    return value


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def read_catalog(path: Path | None, now: datetime, limits: PledgeLimits) -> list[CatalogEntry]:
    """Parse a catalog file, or the demo catalog shipped with the package when `path` is None."""
    if path is None:
        folder = files("bots")
        content = folder.joinpath(DEMO_NAME).read_text(encoding="utf-8")
        return parse_catalog(content, DEMO_NAME, now, limits, folder)
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(f"{path}: cannot read the catalog ({error.strerror})") from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: the catalog is not UTF-8 text") from None
    return parse_catalog(content, str(path), now, limits, path.parent)


def parse_catalog(
    content: str,
    source: str,
    now: datetime,
    limits: PledgeLimits,
    folder: Traversable | None = None,
) -> list[CatalogEntry]:
    """Check every campaign of a catalog and turn it into drafts; relative times count from now,
    and covers are files named from `folder`, the catalog's."""
    try:
        # Decimal keeps a TOML float such as 19.99 exactly as written.
        document = _Table(tomllib.loads(content, parse_float=Decimal), "")
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{source}: not valid TOML: {error}") from None
    now = now.astimezone(UTC).replace(microsecond=0)
    entries: list[CatalogEntry] = []
    try:
        campaigns = document.required("campaigns", _array)
    except _Invalid as error:
        raise CatalogError(f"{source}: {error}") from None
    for index, data in enumerate(campaigns):
        label = f"campaigns[{index}]"
        try:
            # Fields are named relative to their campaign, which the label names.
            table = _Table(data, "")
            slug = table.required("slug", read.text)
            label = f'campaign "{slug}"'
            entries.append(_entry(slug, table, now, limits, folder))
        except _Invalid as error:
            raise CatalogError(f"{source}: {label}: {error}") from None
        except DomainError as error:
            raise CatalogError(f"{source}: {label}: {error.user_message()}") from None
    try:
        document.finish()
    except _Invalid as error:
        raise CatalogError(f"{source}: {error}") from None
    repeated = [slug for slug, n in Counter(e.draft.slug for e in entries).items() if n > 1]
    if repeated:
        raise CatalogError(f'{source}: campaign "{repeated[0]}" appears twice')
    return entries


def _entry(
    slug: str, table: _Table, now: datetime, limits: PledgeLimits, folder: Traversable | None
) -> CatalogEntry:
    currency = table.required("currency", read.currency)
    amount = read.money(currency)
    starts_at = table.required("starts", read.instant(now))
    ends_at = table.required("ends", read.instant(now))
    # A run that is no run is refused by the draft's check, naming the campaign's dates.
    run = (starts_at, ends_at) if starts_at < ends_at else None
    tiers = tuple(_tier(tier, currency, now, run) for tier in table.tables("tiers"))
    backing_tables = table.tables("backing")
    live = (table.optional("status", read.one_of(STATUSES)) or "live") == "live"
    draft = CampaignDraft(
        slug=slug,
        title=table.required("title", read.text),
        blurb=table.required("blurb", read.text),
        description=table.optional("description", read.text) or "",
        creator_name=table.required("creator", read.text),
        creator_identities=table.optional("creators", read.identities) or (),
        category=table.required("category", read.one_of(tuple(CATEGORIES))),
        goal=table.required("goal", amount),
        funding_model=table.required("funding", read.funding_model),
        starts_at=starts_at,
        ends_at=ends_at,
        image_url=table.optional("image", read.text),
        staff_pick=table.optional("staff_pick", read.yes_no) or False,
        stretch_goals=table.optional("stretch_goals", read.amounts(currency)) or (),
        tiers=tiers,
    )
    cover_name = table.optional("cover", read.text)
    table.finish()
    validate_draft(draft)
    titles = [tier.title for tier in tiers]
    if len(set(titles)) != len(titles):
        raise _Invalid("tiers have the same title twice; backing names tiers by title")
    if live and draft.ends_at <= now:
        raise _Invalid("ends must be in the future for a live campaign")
    backing = tuple(_backing(item, draft, limits) for item in backing_tables)
    if backing and not (live and draft.starts_at <= now):
        raise _Invalid("backing needs a live campaign that has started")
    _check_stock(draft, backing)
    cover = _cover(cover_name, folder) if cover_name is not None else None
    return CatalogEntry(draft, live, backing, cover)


def _cover(name: str, folder: Traversable | None) -> Cover:
    """The cover made of a picture file beside the catalog, checked as an upload is."""
    if folder is None:
        raise _Invalid("cover needs a catalog read from a file")
    try:
        picture = folder.joinpath(name).read_bytes()
    except OSError as error:
        raise _Invalid(f'cover cannot be read: "{name}" ({error.strerror})') from None
    return cover_from_upload(picture)


def _tier(
    table: _Table, currency: str, now: datetime, run: tuple[datetime, datetime] | None
) -> TierDraft:
    ships = table.optional("ships", read.yes_no) or False
    tier = TierDraft(
        title=table.required("title", read.text),
        description=table.optional("description", read.text) or "",
        amount=table.required("amount", read.money(currency)).amount,
        quantity_limit=table.optional("quantity", read.positive_int),
        estimated_delivery=table.optional("delivery", read.month(now)),
        ships=ships,
        ship_countries=table.optional("ship_countries", read.countries) or (),
        opens_at=table.optional("opens", read.instant(now)),
        closes_at=table.optional("closes", read.instant(now)),
        secret=table.optional("secret", read.yes_no) or False,
    )
    table.finish()
    if tier.ship_countries and not ships:
        raise _Invalid(f"{table.name('ship_countries')} needs ships = true")
    try:
        if run is not None:
            validate_window(tier, *run)
    except DomainError as error:
        # Named here, where the tier's place is known; the draft's check would not say which.
        raise _Invalid(f"{table.where}: {error.user_message()}") from None
    return tier


def _backing(table: _Table, draft: CampaignDraft, limits: PledgeLimits) -> Backing:
    currency = draft.goal.currency
    backing = Backing(
        count=table.required("count", read.positive_int),
        tier=table.optional("tier", read.text),
        amount=table.optional("amount", lambda value: read.money(currency)(value).amount),
    )
    table.finish()
    minimum = Money(1, currency)
    if backing.tier is not None:
        tier = next((t for t in draft.tiers if t.title == backing.tier), None)
        if tier is None:
            raise _Invalid(f'{table.name("tier")} names no tier of this campaign: "{backing.tier}"')
        minimum = Money(tier.amount, currency)
    elif backing.amount is None:
        raise _Invalid(f"{table.where} needs a tier, an amount, or both")
    maximum = limits.maximum(currency)
    pledged = backing.amount if backing.amount is not None else minimum.amount
    if not minimum.amount <= pledged <= maximum.amount:
        low, high = minimum.format("en"), maximum.format("en")
        raise _Invalid(f"{table.where} pledges must be between {low} and {high}")
    return backing


def _check_stock(draft: CampaignDraft, backing: tuple[Backing, ...]) -> None:
    for tier in draft.tiers:
        wanted = sum(b.count for b in backing if b.tier == tier.title)
        if tier.quantity_limit is not None and wanted > tier.quantity_limit:
            raise _Invalid(
                f'backing asks for {wanted} of "{tier.title}", which has {tier.quantity_limit}'
            )
