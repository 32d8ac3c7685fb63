"""`backit creators`: creators' payout accounts, and what each campaign pays its creator."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.report import accounts_table, statement_table
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.identity import Identity, Platform
from core.money import Money
from core.payouts import AccountState, DisputeState, PayoutAccount
from core.pledges import Pledge, PledgeStatus
from core.statements import statement
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

[[campaigns.backing]]
count = 2
tier = "Hardback"

[[campaigns.backing]]
count = 1
amount = "12.50"

[[campaigns]]
slug = "night-synth"
title = "Night Synth"
blurb = "A pocket synth."
creator = "Drift Circuits"
category = "technology"
currency = "USD"
goal = "5000"
funding = "flexible"
status = "draft"
starts = "-1d"
ends = "+30d"
"""
MOMENT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


@pytest.fixture
def seeded(backit: Backit, tmp_path: Path) -> Backit:
    """A database with one live campaign paid by three demo backers, and one draft."""
    catalog = tmp_path / "shop.toml"
    catalog.write_text(CATALOG, encoding="utf-8")
    assert backit("db", "upgrade").code == 0
    assert backit("seed", str(catalog)).code == 0
    return backit


def test_a_statement_lists_each_payment_and_what_the_creator_receives(seeded: Backit) -> None:
    run = seeded("creators", "statement", "river-book")

    assert run.code == 0, run.err
    rows, totals = run.out.split("\n\n")
    lines = rows.splitlines()
    assert lines[0].split() == ["DATE", "(UTC)", "#", "AMOUNT", "FEE", "NET", "STATUS", "TRANSFER"]
    assert [re.sub(STAMP, "DATE", line).split() for line in lines[1:]] == [
        ["DATE", "1", "£25.00", "£0.00", "£25.00", "paid", "-"],
        ["DATE", "2", "£25.00", "£0.00", "£25.00", "paid", "-"],
        ["DATE", "3", "£12.50", "£0.00", "£12.50", "paid", "-"],
    ]
    assert totals.splitlines() == [
        "raised    £62.50",
        "fee       £0.00",
        "refunded  £0.00",
        "disputed  £0.00",
        "receives  £62.50",
    ]


def test_a_statement_as_csv_has_a_header_and_amounts_in_major_units(seeded: Backit) -> None:
    run = seeded("creators", "statement", "An Atlas", "--csv")

    assert run.code == 0, run.err
    rows = list(csv.reader(io.StringIO(run.out)))
    assert rows[0] == [
        "date",
        "backer_number",
        "amount",
        "fee",
        "net",
        "currency",
        "status",
        "transfer_id",
    ]
    assert all(re.fullmatch(STAMP, row[0]) for row in rows[1:])
    assert [row[1:] for row in rows[1:]] == [
        ["1", "25.00", "0.00", "25.00", "GBP", "paid", ""],
        ["2", "25.00", "0.00", "25.00", "GBP", "paid", ""],
        ["3", "12.50", "0.00", "12.50", "GBP", "paid", ""],
    ]


def test_a_campaign_nobody_paid_has_an_empty_statement(seeded: Backit) -> None:
    assert seeded("creators", "statement", "night-synth").out == "night-synth has no payments\n"
    csv_run = seeded("creators", "statement", "night-synth", "--csv")
    assert csv_run.out.splitlines() == [
        "date,backer_number,amount,fee,net,currency,status,transfer_id"
    ]


def test_a_statement_of_an_unknown_campaign_is_one_line_of_error(seeded: Backit) -> None:
    run = seeded("creators", "statement", "nowhere")

    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith("error: ")


def _campaign() -> Campaign:
    return Campaign(
        id=1,
        slug="lamp",
        title="The Lamp",
        blurb="",
        description="",
        creator_name="Ada",
        creator_identities=(Identity(Platform.TELEGRAM, "1000"),),
        category="design",
        goal=Money(10_000, "EUR"),
        funding_model=FundingModel.FLEXIBLE,
        starts_at=MOMENT,
        ends_at=MOMENT,
        status=CampaignStatus.LIVE,
    )


def _pledge(pledge_id: int, **fields: object) -> Pledge:
    values: dict[str, object] = {
        "id": pledge_id,
        "backer_id": pledge_id,
        "campaign_id": 1,
        "tier_id": None,
        "amount": Money(5_000, "EUR"),
        "status": PledgeStatus.PAID,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "backer_number": pledge_id,
        "fee": 280,
        "payout_account": "acct_1",
    }
    values.update(fields)
    return Pledge(**values)  # type: ignore[arg-type]


def test_the_statement_table_shows_fees_refunds_disputes_and_transfers() -> None:
    sheet = statement(
        _campaign(),
        [
            _pledge(1, transfer_id="tr_1"),
            _pledge(2, status=PledgeStatus.REFUNDED, refunded_amount=5_000, transfer_id="tr_2"),
            _pledge(3, dispute=DisputeState.OPEN, disputed_amount=5_000, transfer_id="tr_3"),
            _pledge(4, status=PledgeStatus.PENDING),
        ],
    )

    rows, totals = statement_table(sheet).split("\n\n")

    assert [line.split("  ")[0] for line in rows.splitlines()[1:]] == ["2026-11-01T12:00:00Z"] * 3
    assert [re.split(r"\s{2,}", line)[1:] for line in rows.splitlines()[1:]] == [
        ["1", "€50.00", "€2.80", "€47.20", "paid", "tr_1"],
        ["2", "€50.00", "€0.00", "€0.00", "refunded", "tr_2"],
        ["3", "€50.00", "€2.80", "€47.20", "paid, dispute open", "tr_3"],
    ]
    assert totals.splitlines() == [
        "raised    €150.00",
        "fee       €5.60",
        "refunded  €50.00",
        "disputed  €50.00",
        "receives  €94.40",
    ]


def test_the_accounts_table_says_where_each_creator_stands() -> None:
    ready = PayoutAccount(
        1,
        AccountState("acct_1", "FR", True, True, True, (), MOMENT),
        (Identity(Platform.TELEGRAM, "1000"), Identity(Platform.DISCORD, "2000")),
        MOMENT,
    )
    waiting = PayoutAccount(
        2,
        AccountState(
            "acct_22", "DE", False, False, False, ("external_account", "tos_acceptance"), MOMENT
        ),
        (Identity(Platform.TELEGRAM, "3000"),),
        MOMENT,
    )

    assert accounts_table([ready, waiting]).splitlines() == [
        "ACCOUNT  COUNTRY  CHARGES  PAYOUTS  AS OF (UTC)           IDENTITIES                   "
        "STILL DUE",
        "acct_1   FR       yes      yes      2026-11-01T12:00:00Z  telegram:1000, discord:2000  -",
        "acct_22  DE       no       no       2026-11-01T12:00:00Z  telegram:3000                "
        "external_account, tos_acceptance",
    ]
