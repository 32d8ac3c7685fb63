"""Payment commands end to end: real SQLite, the real Stripe gateway, a Stripe stand-in."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.standins.stripe import StripeStandin
from adapters.stripe.gateway import HANDLED_EVENTS
from core.campaigns import CampaignStatus
from core.payments import CheckoutMode, MalformedEvent, OutcomeKind, PaymentOutcome, ReportedTerms
from core.pledges import PledgeStatus
from core.usecases.payments import apply_payment_outcome, record_unusable_event
from tests.bots.checkouts import CATALOG, STRIPE_KEY, Checkouts, checkouts, standin
from tests.bots.conftest import QUIET, Backit, write_config


@pytest.fixture
async def stripe(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StripeStandin]:
    """A running Stripe stand-in, with its key in STRIPE_SECRET_KEY."""
    async with standin() as running:
        monkeypatch.setenv("STRIPE_SECRET_KEY", STRIPE_KEY)
        yield running


@pytest.fixture
async def shop(capsys: pytest.CaptureFixture[str], tmp_path: Path, stripe: StripeStandin) -> Backit:
    """`backit` with [stripe] api_base on the stand-in, and one flexible campaign seeded."""
    config = write_config(tmp_path, **QUIET, **{'api_base = ""': f'api_base = "{stripe.base_url}"'})
    catalog = tmp_path / "shop.toml"
    catalog.write_text(CATALOG, encoding="utf-8")
    backit = Backit(capsys, config)
    assert (await backit.in_thread("db", "upgrade")).code == 0
    assert (await backit.in_thread("seed", str(catalog))).code == 0
    return backit


@pytest.fixture
async def pledges(tmp_path: Path, shop: Backit, stripe: StripeStandin) -> AsyncIterator[Checkouts]:
    """Pledges to the seeded campaign, through the real gateway and the stand-in."""
    async with checkouts(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}", stripe) as made:
        yield made


async def _campaign(shop: Backit) -> Any:
    run = await shop.in_thread("campaigns", "show", "tide-lamp", "--json")
    assert run.code == 0, run.err
    return json.loads(run.out)


async def test_reconcile_applies_a_payment_whose_webhook_was_dropped(
    shop: Backit, stripe: StripeStandin, pledges: Checkouts
) -> None:
    stripe.webhook_url = "http://127.0.0.1:9/stripe/webhook"
    stripe.drop_webhooks(lambda event: True)
    confirmed = await pledges.start("tide-lamp", "Thanks", "Grace")
    await pledges.pay(confirmed)
    await pledges.confirm(confirmed)
    missed = await pledges.start("tide-lamp", "Thanks", "Alan")
    await pledges.pay(missed)
    assert (await pledges.reload(missed.id)).status is PledgeStatus.PENDING

    run = await shop.in_thread("payments", "reconcile")

    assert run.code == 0, run.err
    examined = len([event for event in stripe.events() if event["type"] in HANDLED_EVENTS])
    lines = run.out.splitlines()
    assert lines[0].startswith(f"examined {examined} Stripe events since ")
    assert lines[1:] == [
        "repaired 1 pledge:",
        "PLEDGE  CAMPAIGN   KIND",
        f"{missed.id}       tide-lamp  paid",
    ]
    assert (await pledges.reload(missed.id)).status is PledgeStatus.PAID
    assert (await _campaign(shop))["raised"] == 1000

    again = await shop.in_thread("payments", "reconcile", "--days", "30")

    assert again.out.splitlines()[1:] == ["nothing to repair"]
    assert (await _campaign(shop))["raised"] == 1000


@pytest.mark.parametrize("command", [["payments", "reconcile"], ["campaigns", "cancel", "x"]])
def test_payment_commands_need_the_stripe_key(backit: Backit, command: list[str]) -> None:
    run = backit(*command)

    assert run.code == 2
    assert (
        run.err == f"error: backit {' '.join(command[:2])} talks to Stripe: set STRIPE_SECRET_KEY\n"
    )


@pytest.mark.parametrize("days", ["0", "31", "three"])
def test_reconcile_reads_between_one_and_thirty_days(
    backit: Backit, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        backit("payments", "reconcile", "--days", days)

    assert exited.value.code == 2
    assert "must be a whole number of days from 1 to 30" in capsys.readouterr().err


async def test_backers_export_lists_paid_pledges_with_their_shipping_address(
    shop: Backit, pledges: Checkouts
) -> None:
    lamp = await pledges.start("tide-lamp", "Lamp", "Ada")
    await pledges.pay(
        lamp,
        shipping_name="Ada Lovelace",
        line1="12 rue des Lilas",
        postal_code="75001",
        city="Paris",
        country="FR",
    )
    await pledges.confirm(lamp)
    thanks = await pledges.start("tide-lamp", "Thanks", "=HYPERLINK(evil)")
    await pledges.pay(thanks)
    await pledges.confirm(thanks)
    await pledges.start("tide-lamp", "Thanks", "Still deciding")

    exported = await shop.in_thread("campaigns", "backers", "tide-lamp", "--csv")
    shown = await shop.in_thread("campaigns", "backers", "tide-lamp")

    assert exported.code == 0, exported.err
    assert list(csv.reader(io.StringIO(exported.out))) == [
        [
            "backer_number",
            "name",
            "platform",
            "tier",
            "amount",
            "currency",
            "status",
            "shipping_address",
        ],
        [
            "1",
            "Ada",
            "telegram",
            "Lamp",
            "40.00",
            "EUR",
            "paid",
            "Ada Lovelace\n12 rue des Lilas\n75001 Paris\nFR",
        ],
        ["2", "'=HYPERLINK(evil)", "telegram", "Thanks", "5.00", "EUR", "paid", ""],
    ]
    assert shown.out.splitlines() == [
        "#  NAME              PLATFORM  TIER    AMOUNT  STATUS  SHIPPING ADDRESS",
        "1  Ada               telegram  Lamp    €40.00  paid    "
        "Ada Lovelace, 12 rue des Lilas, 75001 Paris, FR",
        "2  =HYPERLINK(evil)  telegram  Thanks  €5.00   paid",
    ]


async def test_backers_of_a_campaign_nobody_backed_and_of_an_unknown_one(shop: Backit) -> None:
    empty = await shop.in_thread("campaigns", "backers", "tide-lamp")
    unknown = await shop.in_thread("campaigns", "backers", "no-such-lamp", "--csv")

    assert (empty.code, empty.out) == (0, "tide-lamp has no backers\n")
    assert (unknown.code, unknown.out) == (1, "")
    assert unknown.err == (
        "error: There is no campaign called “no-such-lamp”. Did you mean “Tide, a lamp”?\n"
    )


async def test_cancel_refunds_every_paid_pledge_and_charges_nobody(
    shop: Backit, stripe: StripeStandin, pledges: Checkouts
) -> None:
    paid = []
    for backer in ("Ada", "Grace"):
        pledge = await pledges.start("tide-lamp", "Thanks", backer)
        await pledges.pay(pledge)
        await pledges.confirm(pledge)
        paid.append(pledge)
    assert (await _campaign(shop))["raised"] == 1000

    run = await shop.in_thread("campaigns", "cancel", "tide-lamp")

    assert run.code == 0, run.err
    assert run.out == (
        "cancelled tide-lamp: 2 pledges refunded, 0 pledges released; nobody will be charged\n"
    )
    campaign = await _campaign(shop)
    assert (campaign["status"], campaign["raised"]) == (CampaignStatus.CANCELLED, 0)
    assert [(await pledges.reload(p.id)).status for p in paid] == [PledgeStatus.REFUNDED] * 2
    refunded = {e["data"]["object"]["payment_intent"] for e in stripe.events("charge.refunded")}
    assert refunded == {(await pledges.reload(p.id)).payment_intent_id for p in paid}

    again = await shop.in_thread("campaigns", "cancel", "tide-lamp")

    assert again.code == 1
    assert again.err.startswith("error: ")


async def test_cancel_while_stripe_is_down_cancels_and_says_what_is_left(
    shop: Backit, stripe: StripeStandin, pledges: Checkouts, monkeypatch: pytest.MonkeyPatch
) -> None:
    pledge = await pledges.start("tide-lamp", "Thanks", "Ada")
    await pledges.pay(pledge)
    await pledges.confirm(pledge)
    # Nothing listens on port 9 of this machine: every Stripe request is refused.
    monkeypatch.setenv("BACKIT_STRIPE__API_BASE", "http://127.0.0.1:9")

    run = await shop.in_thread("campaigns", "cancel", "tide-lamp")

    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "error: tide-lamp is cancelled, but Stripe could not settle every pledge; "
        "`backit run` with payments on finishes once Stripe answers"
    )
    assert (await _campaign(shop))["status"] == CampaignStatus.CANCELLED
    assert (await pledges.reload(pledge.id)).status is PledgeStatus.PAID


async def test_reconcile_lists_the_events_recorded_as_anomalies(
    shop: Backit, pledges: Checkouts
) -> None:
    pledge = await pledges.start("tide-lamp", "Thanks", "Ada")
    wrong_amount = PaymentOutcome(
        pledge.id,
        OutcomeKind.PAID,
        "evt_wrong",
        event_type="payment_intent.succeeded",
        terms=ReportedTerms(1, "EUR", CheckoutMode.PAYMENT),
    )
    await apply_payment_outcome(pledges.db.unit_of_work(), pledges.clock, wrong_amount)
    unreadable = MalformedEvent("the event is not a JSON object")
    await record_unusable_event(
        pledges.db.unit_of_work(), pledges.clock, unreadable.anomaly(pledges.clock.now())
    )

    run = await shop.in_thread("payments", "reconcile")

    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[1:3] == [
        "nothing to repair",
        "2 unresolved Stripe events not applied "
        "(anomalies; `backit payments resolve ANOMALY` once looked into):",
    ]
    assert re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<when>", "\n".join(lines[3:])) == (
        "ANOMALY  RECORDED              EVENT      TYPE                      PLEDGE  REASON\n"
        "1        <when>  evt_wrong  payment_intent.succeeded  1       "
        "amount 1 EUR, expected 500 EUR\n"
        "2        <when>  -          -                         -       "
        "the event is not a JSON object"
    )
    assert (await pledges.reload(pledge.id)).status is PledgeStatus.PENDING

    resolved = await shop.in_thread("payments", "resolve", "1")
    again = await shop.in_thread("payments", "resolve", "1")
    listed = await shop.in_thread("payments", "reconcile")

    assert (resolved.code, resolved.out) == (0, "anomaly 1 resolved\n")
    assert (again.code, again.err) == (1, "error: there is no unresolved anomaly 1\n")
    assert listed.out.splitlines()[2] == (
        "1 unresolved Stripe event not applied "
        "(anomalies; `backit payments resolve ANOMALY` once looked into):"
    )
    assert listed.out.splitlines()[4].startswith("2  ")


@pytest.mark.parametrize("anomaly", ["0", "²", str(2**63), "one"])
def test_resolve_takes_a_record_number(
    backit: Backit, capsys: pytest.CaptureFixture[str], anomaly: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        backit("payments", "resolve", anomaly)

    assert exited.value.code == 2
    assert f"must be a whole number from 1 up, got {anomaly!r}" in capsys.readouterr().err
