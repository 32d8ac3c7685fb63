"""The backers CSV: columns, quoting, formula-proof cells, a name and a caption per locale."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from core.campaigns import Campaign
from core.i18n import use_locale
from core.usecases.exporting import BackerExport, BackerRow
from core.views.backer_sheet import BACKER_COLUMNS, backer_sheet, backers_csv

NBSP = "\u00a0"


def row(name: str, address: str = "", tier: str = "Lamp", number: int | None = 1) -> BackerRow:
    return BackerRow(1, number, name, "telegram", tier, 12_550, "EUR", "paid", address)


def test_commas_quotes_and_newlines_are_quoted_and_read_back_whole() -> None:
    rows = [row('Ada "Lamp", Jr.', "1 rue de la Paix\n75002 Paris, France")]

    text = backers_csv(rows)

    read = list(csv.reader(io.StringIO(text)))
    assert read[0] == list(BACKER_COLUMNS)
    assert read[1] == [
        "1",
        'Ada "Lamp", Jr.',
        "telegram",
        "Lamp",
        "125.50",
        "EUR",
        "paid",
        "1 rue de la Paix\n75002 Paris, France",
    ]
    assert '"Ada ""Lamp"", Jr."' in text


def test_cells_a_spreadsheet_would_run_as_formulas_are_prefixed() -> None:
    rows = [
        row('=HYPERLINK("http://evil")', "+33 1 23", tier="@SUM(A1)", number=None),
        row("-2+3", "\tTab"),
    ]

    read = list(csv.reader(io.StringIO(backers_csv(rows))))

    assert read[1][:2] == ["", '\'=HYPERLINK("http://evil")']
    assert (read[1][3], read[1][7]) == ("'@SUM(A1)", "'+33 1 23")
    assert (read[2][1], read[2][7]) == ("'-2+3", "'\tTab")


def test_the_sheet_is_named_for_the_campaign_and_captioned_in_the_readers_language(
    campaign: Campaign,
) -> None:
    export = BackerExport(campaign, [row("Ada"), row("Bo")], datetime(2026, 12, 7, 9, tzinfo=UTC))

    with use_locale("en"):
        english = backer_sheet(export)
    with use_locale("fr"):
        french = backer_sheet(export)
    with use_locale("en"):
        one = backer_sheet(BackerExport(campaign, [row("Ada")], export.as_of))

    assert english.filename == "lamp-backers.csv"
    assert english.caption == "2 backers of “The Reading Lamp”, as of Dec 7, 2026"
    assert one.caption == "1 backer of “The Reading Lamp”, as of Dec 7, 2026"
    assert french.caption == (f"2 contributeurs de «{NBSP}The Reading Lamp{NBSP}», au 7 déc. 2026")
    # A byte order mark lets spreadsheets read accented names as UTF-8.
    assert english.data == b"\xef\xbb\xbf" + backers_csv(export.rows).encode()
