"""How the CLI shows campaigns: aligned plain text for people, JSON for programs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from core.campaigns import Campaign, RewardTier
from core.money import Money
from core.payouts import PayoutAccount
from core.statements import Statement, StatementLine
from core.usecases.exporting import BackerRow

LOCALE = "en"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def iso_utc(moment: datetime) -> str:
    """An instant as ISO 8601 in UTC, to the second: 2026-05-01T12:00:00Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso_utc(moment)


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as columns, each padded to its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def campaigns_table(campaigns: Sequence[Campaign]) -> str:
    """One line per campaign."""
    header = ["SLUG", "STATUS", "RAISED", "GOAL", "%", "BACKERS", "ENDS (UTC)", "TITLE"]
    rows = [
        [
            c.slug,
            str(c.status),
            c.raised_money.format(LOCALE),
            c.goal.format(LOCALE),
            f"{c.percent}%",
            str(c.backers_count),
            iso_utc(c.ends_at),
            c.title,
        ]
        for c in campaigns
    ]
    return table([header, *rows])


def review_table(campaigns: Sequence[Campaign]) -> str:
    """One line per campaign waiting for review: what an operator decides on."""
    header = ["SLUG", "STARTS (UTC)", "CREATOR", "TITLE"]
    rows = [[c.slug, iso_utc(c.starts_at), c.creator_name, c.title] for c in campaigns]
    return table([header, *rows])


def campaign_text(c: Campaign) -> str:
    """One campaign's figures and tiers."""
    facts = table(
        [
            ["slug", c.slug],
            ["title", c.title],
            ["creator", c.creator_name],
            ["category", c.category],
            ["status", str(c.status)],
            ["funding", str(c.funding_model)],
            ["goal", c.goal.format(LOCALE)],
            ["raised", f"{c.raised_money.format(LOCALE)} ({c.percent}%)"],
            ["backers", str(c.backers_count)],
            ["starts_at", iso_utc(c.starts_at)],
            ["ends_at", iso_utc(c.ends_at)],
            ["late_until", _iso_or_none(c.late_until) or "-"],
            ["raised_after", f"{c.late_raised_money.format(LOCALE)} ({c.late_backers} backers)"],
        ]
    )
    if not c.tiers:
        return f"{facts}\n\nno reward tiers"
    tiers = [
        ["TIER", "PRICE", "LATE PRICE", "CLAIMED", "REMAINING", "OPENS", "CLOSES", "SECRET CODE"]
    ]
    tiers += [
        [
            t.title,
            t.amount.format(LOCALE),
            "-" if t.late_amount is None else t.late_amount.format(LOCALE),
            str(t.claimed),
            _remaining(t),
            _iso_or_none(t.opens_at) or "-",
            _iso_or_none(t.closes_at) or "-",
            t.secret_code or "-",
        ]
        for t in c.tiers
    ]
    links = [_secret_links(c, t) for t in c.tiers if t.secret_code is not None]
    return "\n\n".join((facts, table(tiers), *links))


def _secret_links(c: Campaign, tier: RewardTier) -> str:
    """Where a secret tier is offered: the Telegram start parameter, the Discord command."""
    return (
        f"secret tier {tier.title!r}: Telegram t.me/<bot>?start=s_{tier.secret_code} · "
        f"Discord /campaign name:{c.slug} code:{tier.secret_code}"
    )


def _remaining(tier: RewardTier) -> str:
    return "unlimited" if tier.remaining is None else str(tier.remaining)


def campaign_json(c: Campaign, *, tiers: bool) -> dict[str, Any]:
    """A campaign as JSON-ready data; amounts are integers in minor units of `currency`."""
    data: dict[str, Any] = {
        "slug": c.slug,
        "title": c.title,
        "creator": c.creator_name,
        "category": c.category,
        "blurb": c.blurb,
        "description": c.description,
        "status": str(c.status),
        "funding_model": str(c.funding_model),
        "currency": c.goal.currency,
        "goal": c.goal.amount,
        "raised": c.raised,
        "percent": c.percent,
        "backers": c.backers_count,
        "starts_at": iso_utc(c.starts_at),
        "ends_at": iso_utc(c.ends_at),
        # Late pledges, taken after it succeeded until late_until, are counted apart.
        "late_until": _iso_or_none(c.late_until),
        "late_raised": c.late_raised,
        "late_backers": c.late_backers,
        # The digest of its cover, which changes with the picture.
        "cover": c.cover,
    }
    if tiers:
        data["tiers"] = [
            {
                "title": t.title,
                "amount": t.amount.amount,
                # None: not offered to late backers.
                "late_amount": None if t.late_amount is None else t.late_amount.amount,
                "quantity_limit": t.quantity_limit,
                "claimed": t.claimed,
                "remaining": t.remaining,
                "opens_at": _iso_or_none(t.opens_at),
                "closes_at": _iso_or_none(t.closes_at),
                # Offered only through a link carrying the code: for the operator, never public.
                "secret": t.secret,
                "secret_code": t.secret_code,
            }
            for t in c.tiers
        ]
    return data


def _one_line(text: str) -> str:
    """An address's lines joined with commas; no control character reaches the terminal."""
    return _CONTROL.sub(" ", ", ".join(text.splitlines())).strip()


def backers_table(rows: Sequence[BackerRow]) -> str:
    """Backers as aligned columns, each address on one line."""
    header = ["#", "NAME", "PLATFORM", "TIER", "AMOUNT", "STATUS", "SHIPPING ADDRESS"]
    return table(
        [
            header,
            *(
                [
                    "" if row.backer_number is None else str(row.backer_number),
                    _one_line(row.name),
                    row.platform,
                    _one_line(row.tier),
                    Money(row.amount, row.currency).format(LOCALE),
                    row.status,
                    _one_line(row.shipping_address),
                ]
                for row in rows
            ),
        ]
    )


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def accounts_table(accounts: Sequence[PayoutAccount]) -> str:
    """Creators' payout accounts: whose, where, what Stripe lets them do, what it still needs."""
    header = ["ACCOUNT", "COUNTRY", "CHARGES", "PAYOUTS", "AS OF (UTC)", "IDENTITIES", "STILL DUE"]
    rows = [
        [
            a.account_id,
            a.state.country,
            _yes(a.state.charges_enabled),
            _yes(a.state.payouts_enabled),
            iso_utc(a.state.as_of),
            ", ".join(str(identity) for identity in a.identities),
            ", ".join(a.state.currently_due) or "-",
        ]
        for a in accounts
    ]
    return table([header, *rows])


def _payment_status(line: StatementLine) -> str:
    """A payment's pledge status, and its dispute's state if a backer disputed it."""
    if line.dispute is None:
        return str(line.status)
    return f"{line.status}, dispute {line.dispute}"


def statement_table(sheet: Statement) -> str:
    """A campaign's payments as aligned columns, then what they come to."""
    header = ["DATE (UTC)", "#", "AMOUNT", "FEE", "NET", "STATUS", "TRANSFER"]
    rows = [
        [
            iso_utc(line.pledged_at),
            "" if line.backer_number is None else str(line.backer_number),
            line.amount.format(LOCALE),
            line.fee.format(LOCALE),
            line.net.format(LOCALE),
            _payment_status(line),
            line.transfer_id or "-",
        ]
        for line in sheet.lines
    ]
    totals = [
        ["raised", sheet.raised.format(LOCALE)],
        ["fee", sheet.fee.format(LOCALE)],
        ["refunded", sheet.refunded.format(LOCALE)],
        ["disputed", sheet.disputed.format(LOCALE)],
        ["receives", sheet.receives.format(LOCALE)],
    ]
    return f"{table([header, *rows])}\n\n{table(totals)}"


STATEMENT_COLUMNS = (
    "date",
    "backer_number",
    "amount",
    "fee",
    "net",
    "currency",
    "status",
    "transfer_id",
)


def statement_csv(sheet: Statement) -> str:
    """A campaign's payments as CSV with a header, amounts in major units beside the currency
    (as the backers export writes them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STATEMENT_COLUMNS)
    for line in sheet.lines:
        writer.writerow(
            [
                iso_utc(line.pledged_at),
                "" if line.backer_number is None else line.backer_number,
                f"{line.amount.to_major():f}",
                f"{line.fee.to_major():f}",
                f"{line.net.to_major():f}",
                line.amount.currency,
                _payment_status(line),
                line.transfer_id or "",
            ]
        )
    return out.getvalue()
