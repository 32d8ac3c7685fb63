"""The backers list as a CSV file: what the operator's CLI prints and a creator receives in chat."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from babel.dates import format_date

from core.i18n import current_locale, ngettext
from core.money import Money
from core.usecases.exporting import BackerExport, BackerRow
from core.views.formatting import number

BACKER_COLUMNS = (
    "backer_number",
    "name",
    "platform",
    "tier",
    "amount",
    "currency",
    "status",
    "shipping_address",
)
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class BackerSheet:
    """A file to send: its name, its bytes, and the one line that goes with it."""

    filename: str
    data: bytes
    caption: str


def spreadsheet_text(text: str) -> str:
    """Backers choose their names: a leading quote keeps a spreadsheet from running one."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def backers_csv(rows: Sequence[BackerRow]) -> str:
    """Backers as CSV with a header; amounts are decimals in major units beside the currency."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BACKER_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                "" if row.backer_number is None else row.backer_number,
                spreadsheet_text(row.name),
                row.platform,
                spreadsheet_text(row.tier),
                f"{Money(row.amount, row.currency).to_major():f}",
                row.currency,
                row.status,
                spreadsheet_text(row.shipping_address),
            ]
        )
    return out.getvalue()


def backer_sheet(export: BackerExport) -> BackerSheet:
    """A campaign's backers as `<slug>-backers.csv`, with a caption saying how many and when."""
    count = len(export.rows)
    as_of = format_date(export.as_of.astimezone(UTC), "medium", locale=current_locale.get())
    caption = ngettext(
        "{count} backer of “{title}”, as of {date}",
        "{count} backers of “{title}”, as of {date}",
        count,
    ).format(count=number(count), title=export.campaign.title, date=as_of)
    # Excel reads a CSV as UTF-8 only when it starts with a byte order mark.
    data = backers_csv(export.rows).encode("utf-8-sig")
    return BackerSheet(f"{export.campaign.slug}-backers.csv", data, caption)
