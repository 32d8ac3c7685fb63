"""Stripe's webhook: verified on the raw body, and every event applied exactly once."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from core.campaigns import Campaign
from core.pledges import Pledge, PledgeStatus
from core.usecases.managing import TierDraft
from tests.payment_fixtures import RunningBackit, fetch, pay_on_page
from tests.storage_fixtures import refused_changes_to
from tests.stripe_standin_fixtures import WEBHOOK_SECRET

StripeEvent = dict[str, Any]


def signed(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header for a body, as Stripe computes it."""
    return stripe.WebhookSignature.generate_signature_header(  # type: ignore[no-any-return]
        payload, secret, timestamp
    )


async def deliver(
    browser: aiohttp.ClientSession, backit: RunningBackit, body: str, signature: str | None
) -> int:
    """POST a body to Backit's webhook as Stripe does; the answer's status."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    async with browser.post(
        f"{backit.url}/stripe/webhook", data=body.encode(), headers=headers
    ) as answer:
        return answer.status


async def redeliver(
    browser: aiohttp.ClientSession, backit: RunningBackit, event: StripeEvent
) -> int:
    """Deliver one of the stand-in's events again, freshly signed."""
    body = json.dumps(event)
    return await deliver(browser, backit, body, signed(body))


async def checkout_session(
    backit: RunningBackit, browser: aiohttp.ClientSession, campaign: Campaign
) -> str:
    """The id of the checkout session a backer's link to the first reward opened."""
    backer = await backit.backer(1)
    link = await fetch(browser, backit.pledge_url(backer, campaign, campaign.tiers[0].id))
    assert link.location is not None
    return link.location.rsplit("/", 1)[-1]


def event_of(standin: StripeStandin, event_type: str) -> StripeEvent:
    """The one event of a type the stand-in emitted."""
    (event,) = standin.events(event_type)
    return event


async def only_pledge(backit: RunningBackit, campaign: Campaign) -> Pledge:
    """The campaign's single pledge, as committed."""
    (pledge,) = await backit.pledges(campaign.id)
    return pledge


@pytest.fixture
async def lamp(backit: RunningBackit) -> Campaign:
    """A flexible €100 campaign with a €50 reward limited to 10 units."""
    return await backit.campaign(tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=10),))


@pytest.fixture
async def paid_unannounced(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> StripeEvent:
    """A pledge paid on the checkout page whose webhooks were all lost: its completion event."""
    backit.standin.drop_webhooks(lambda event: True)
    link = await fetch(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    assert link.location is not None
    assert (await pay_on_page(browser, link.location)).status == 303
    return event_of(backit.standin, "checkout.session.completed")


async def test_one_event_delivered_ten_times_five_at_once_changes_the_pledge_once(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    paid_unannounced: StripeEvent,
) -> None:
    body = json.dumps(paid_unannounced)

    together = await asyncio.gather(
        *(deliver(browser, backit, body, signed(body)) for _ in range(5))
    )
    one_by_one = [await deliver(browser, backit, body, signed(body)) for _ in range(5)]

    assert together + one_by_one == [200] * 10
    pledge = await only_pledge(backit, lamp)
    assert (pledge.status, pledge.backer_number) == (PledgeStatus.PAID, 1)
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count) == (5_000, 1)
    # Half the goal at once: 50 % is announced, not also 25 %.
    assert [m.notification.data["value"] for m in await backit.outbox("milestone")] == [50]
    assert len(await backit.outbox("receipt")) == 1
    assert await backit.payment_events() == 1


Forgery = Callable[[str], tuple[str, str | None]]


def tampered(body: str) -> tuple[str, str | None]:
    """The body changed after it was signed."""
    forged = body.replace('"amount_total": 5000', '"amount_total": 500000')
    assert forged != body
    return forged, signed(body)


def wrong_secret(body: str) -> tuple[str, str | None]:
    """Signed with a secret that is not Backit's."""
    return body, signed(body, "whsec_someone_else")


def too_old(body: str) -> tuple[str, str | None]:
    """Signed more than 300 seconds ago: a replay."""
    return body, signed(body, timestamp=int(time.time()) - 301)


def no_signature(body: str) -> tuple[str, str | None]:
    """Not signed at all."""
    return body, None


@pytest.mark.parametrize("forge", [tampered, wrong_secret, too_old, no_signature])
async def test_an_event_that_fails_verification_is_refused_and_writes_nothing(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    paid_unannounced: StripeEvent,
    forge: Forgery,
) -> None:
    body, signature = forge(json.dumps(paid_unannounced))

    status = await deliver(browser, backit, body, signature)

    assert status == 400
    assert (await only_pledge(backit, lamp)).status is PledgeStatus.PENDING
    assert (await backit.reload(lamp.id)).raised == 0
    assert await backit.payment_events() == 0


async def test_a_body_over_one_mebibyte_is_refused_as_too_large(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    huge = json.dumps({"padding": "x" * (1024 * 1024)})

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(huge), 65_536):
            yield huge[start : start + 65_536].encode()

    url, headers = f"{backit.url}/stripe/webhook", {"Stripe-Signature": signed(huge)}
    async with browser.post(url, data=io.BytesIO(huge.encode()), headers=headers) as declared:
        assert declared.request_info.headers["Content-Length"] == str(len(huge))
        assert declared.status == 413
    async with browser.post(url, data=chunks(), headers=headers) as streamed:
        assert "Content-Length" not in streamed.request_info.headers
        assert streamed.status == 413
    assert await backit.payment_events() == 0


async def test_events_backit_does_not_use_are_acknowledged_and_ignored(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    paid_unannounced: StripeEvent,
) -> None:
    unused = [
        event
        for event in backit.standin.events()
        if event["type"] in ("customer.created", "charge.succeeded", "payment_intent.created")
    ]

    statuses = [await redeliver(browser, backit, event) for event in unused]

    assert statuses == [200, 200, 200]
    assert (await only_pledge(backit, lamp)).status is PledgeStatus.PENDING
    assert await backit.payment_events() == 0


async def test_a_debit_settled_before_its_completion_arrives_is_paid_once(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    # Only the settlement gets through at first; the completion turns up last.
    backit.standin.drop_webhooks(
        lambda event: event["type"] != "checkout.session.async_payment_succeeded"
    )
    session_id = await checkout_session(backit, browser, lamp)
    await backit.standin.pay_by_sepa_debit(session_id)
    await backit.standin.settle_sepa_debit(session_id)
    await backit.standin.wait_for_deliveries()
    paid = await only_pledge(backit, lamp)

    late = await redeliver(browser, backit, event_of(backit.standin, "checkout.session.completed"))

    assert late == 200
    assert paid.status is PledgeStatus.PAID
    assert paid.payment_intent_id is not None
    assert paid.customer_id is not None
    assert await only_pledge(backit, lamp) == paid
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count) == (5_000, 1)
    assert len(await backit.outbox("receipt")) == 1


async def test_a_failed_debit_fails_the_pledge_and_frees_the_reward(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    session_id = await checkout_session(backit, browser, lamp)
    await backit.standin.pay_by_sepa_debit(session_id)
    await backit.standin.settle_sepa_debit(session_id, succeeded=False)
    await backit.standin.wait_for_deliveries()

    assert (await only_pledge(backit, lamp)).status is PledgeStatus.FAILED
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.tiers[0].claimed) == (0, 0)


async def test_an_expired_checkout_releases_the_reward_and_counts_nothing(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    await checkout_session(backit, browser, lamp)
    assert (await backit.reload(lamp.id)).tiers[0].claimed == 1

    backit.clock.advance(timedelta(minutes=32))
    backit.standin.expire_due_sessions()
    await backit.standin.wait_for_deliveries()

    assert (await only_pledge(backit, lamp)).status is PledgeStatus.EXPIRED
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (0, 0, 0)
    assert await backit.outbox("receipt") == []
    assert await backit.payment_events() == 1


async def test_a_partial_then_a_full_refund_each_lower_the_total_once(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    stripe_client: stripe.StripeClient,
    lamp: Campaign,
) -> None:
    await backit.back(browser, backit.pledge_url(await backit.backer(1), lamp, lamp.tiers[0].id))
    await backit.standin.wait_for_deliveries()
    pledge = await only_pledge(backit, lamp)
    assert pledge.payment_intent_id is not None

    await stripe_client.v1.refunds.create_async(
        {"payment_intent": pledge.payment_intent_id, "amount": 1_000}
    )
    await backit.standin.wait_for_deliveries()
    partly = await only_pledge(backit, lamp)
    after_partial = await backit.reload(lamp.id)
    await backit.services.gateway.refund(partly, f"backit-pledge-{pledge.id}-refund")
    await backit.standin.wait_for_deliveries()
    replays = [
        await redeliver(browser, backit, event)
        for event in backit.standin.events("charge.refunded")
    ]

    assert (partly.status, partly.refunded_amount) == (PledgeStatus.PAID, 1_000)
    assert (after_partial.raised, after_partial.backers_count) == (4_000, 1)
    assert replays == [200, 200]
    refunded = await only_pledge(backit, lamp)
    assert (refunded.status, refunded.refunded_amount) == (PledgeStatus.REFUNDED, 5_000)
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count, stored.tiers[0].claimed) == (0, 0, 0)
    receipts = [m.notification.data["status"] for m in await backit.outbox("receipt")]
    assert receipts == ["paid", "refunded"]


async def test_an_event_the_database_refuses_is_answered_500_and_applied_when_redelivered(
    backit: RunningBackit, browser: aiohttp.ClientSession, lamp: Campaign
) -> None:
    await checkout_session(backit, browser, lamp)
    pending = await only_pledge(backit, lamp)
    settled = {
        "id": "evt_settled",
        "object": "event",
        "type": "checkout.session.async_payment_succeeded",
        "data": {
            "object": {
                "id": pending.checkout_session_id,
                "object": "checkout.session",
                "mode": "payment",
                "amount_total": 5_000,
                "currency": "eur",
                "metadata": {"pledge_id": str(pending.id)},
            }
        },
    }

    async with refused_changes_to(backit.database, pending.id):
        refused = await redeliver(browser, backit, settled)
    after_refusal = (await only_pledge(backit, lamp), await backit.payment_events())
    retried = await redeliver(browser, backit, settled)

    assert (refused, retried) == (500, 200)
    assert after_refusal == (pending, 0)
    assert (await only_pledge(backit, lamp)).status is PledgeStatus.PAID
    assert (await backit.reload(lamp.id)).raised == 5_000


def mutated(event: StripeEvent, event_id: str, **fields: object) -> StripeEvent:
    """A copy of an event under another id, its object's fields changed."""
    changed = copy.deepcopy(event)
    changed["id"] = event_id
    changed["data"]["object"].update(fields)
    return changed


@pytest.mark.parametrize(
    ("event_type", "fields", "reason"),
    [
        (
            "checkout.session.completed",
            {"amount_total": 1, "currency": "gbp", "id": "cs_someone_else"},
            "currency GBP, expected EUR",
        ),
        ("checkout.session.completed", {"amount_total": 1}, "amount 1 EUR, expected 5000 EUR"),
        ("payment_intent.succeeded", {"amount": 1}, "amount 1 EUR, expected 5000 EUR"),
    ],
)
async def test_an_event_about_other_money_is_recorded_as_an_anomaly_and_moves_nothing(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    paid_unannounced: StripeEvent,
    caplog: pytest.LogCaptureFixture,
    event_type: str,
    fields: dict[str, object],
    reason: str,
) -> None:
    pending = await only_pledge(backit, lamp)
    wrong = mutated(event_of(backit.standin, event_type), "evt_wrong", **fields)

    with caplog.at_level(logging.INFO, logger="adapters.web.stripe_webhook"):
        statuses = [await redeliver(browser, backit, wrong) for _ in range(2)]

    assert statuses == [200, 200]
    assert await only_pledge(backit, lamp) == pending
    stored = await backit.reload(lamp.id)
    assert (stored.raised, stored.backers_count) == (0, 0)
    assert await backit.outbox("receipt") == []
    (anomaly,) = await backit.anomalies()
    assert (anomaly.event_id, anomaly.event_type, anomaly.pledge_id, anomaly.reason) == (
        "evt_wrong",
        event_type,
        pending.id,
        reason,
    )
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        f"webhook evt_wrong {event_type}: pledge {pending.id} not applied, "
        f"recorded as an anomaly: {reason}"
    ]


async def test_the_right_event_still_pays_after_a_wrong_one_was_refused(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    paid_unannounced: StripeEvent,
) -> None:
    wrong = mutated(paid_unannounced, "evt_wrong", amount_total=1)

    statuses = [await redeliver(browser, backit, e) for e in (wrong, paid_unannounced)]

    assert statuses == [200, 200]
    pledge = await only_pledge(backit, lamp)
    assert pledge.status is PledgeStatus.PAID
    assert pledge.checkout_session_id == paid_unannounced["data"]["object"]["id"]
    assert (await backit.reload(lamp.id)).raised == 5_000


def completed_naming(pledge_id: object) -> str:
    """A completion event naming a pledge id, as JSON."""
    session = {"id": "cs_x", "object": "checkout.session", "metadata": {"pledge_id": pledge_id}}
    event = {"id": "evt_poison", "type": "checkout.session.completed", "data": {"object": session}}
    return json.dumps(event)


@pytest.mark.parametrize(
    ("body", "event_id", "reason"),
    [
        ("[]", None, "the event is not a JSON object"),
        ('"checkout.session.completed"', None, "the event is not a JSON object"),
        ("null", None, "the event is not a JSON object"),
        ("{", None, "the body is not JSON"),
        ("[" * 100_000, None, "the body is not JSON"),
        ('{"id": "evt_poison", "type": 7}', "evt_poison", "the event's type is not text"),
        (
            '{"id": 7, "type": "charge.refunded", "data": {"object": {}}}',
            None,
            "the event has no usable id",
        ),
        (
            '{"id": "evt_poison", "type": "checkout.session.completed"}',
            "evt_poison",
            "data is not an object",
        ),
        (
            '{"id": "evt_poison", "type": "payment_intent.succeeded", "data": {"object": []}}',
            "evt_poison",
            "data.object is not an object",
        ),
        (completed_naming("²"), "evt_poison", "pledge id '\\xb2' is not a pledge id"),
        (
            completed_naming(str(2**70)),
            "evt_poison",
            "pledge id '1180591620717411303424' is not a pledge id",
        ),
        (completed_naming("7" * 5_000), "evt_poison", f"pledge id '{'7' * 30}' is not a pledge id"),
        (completed_naming(7), "evt_poison", "pledge id is a int, not text"),
    ],
)
async def test_an_authentic_event_that_cannot_be_read_is_recorded_and_acknowledged(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    lamp: Campaign,
    caplog: pytest.LogCaptureFixture,
    body: str,
    event_id: str | None,
    reason: str,
) -> None:
    await checkout_session(backit, browser, lamp)
    pending = await only_pledge(backit, lamp)

    with caplog.at_level(logging.INFO, logger="adapters.web.stripe_webhook"):
        statuses = [await deliver(browser, backit, body, signed(body)) for _ in range(2)]

    assert statuses == [200, 200]
    assert await only_pledge(backit, lamp) == pending
    assert (await backit.reload(lamp.id)).raised == 0
    anomalies = [(a.event_id, a.pledge_id, a.reason) for a in await backit.anomalies()]
    # With an id, the second delivery is known as a repeat; without one it cannot be.
    assert anomalies == [(event_id, None, reason)] * (1 if event_id else 2)
    assert await backit.payment_events() == (1 if event_id else 0)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == len(anomalies)
    for error in errors:
        assert error.getMessage().startswith(f"webhook {event_id} ")
        assert error.getMessage().endswith(
            f": pledge None unreadable, recorded as an anomaly: {reason}"
        )
        assert error.exc_info is None


async def test_a_signature_header_that_is_not_ascii_is_refused_as_invalid(
    backit: RunningBackit, browser: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        status = await deliver(browser, backit, "{}", "t=1,v1=é")

    assert status == 400
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "refused a webhook that failed verification"
    ]
    assert await backit.payment_events() == 0


class Noticed(logging.Handler):
    """Notes that a logger wrote something."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        """Note it."""
        self.seen.set()


async def test_a_client_that_leaves_mid_upload_is_logged_in_one_line(
    backit: RunningBackit, caplog: pytest.LogCaptureFixture
) -> None:
    host, port = backit.url.removeprefix("http://").split(":")
    # Whichever speaks first, Backit or aiohttp (on an exception from the handler).
    noticed, loggers = Noticed(), ("adapters.web.request_body", "aiohttp.server")
    for name in loggers:
        logging.getLogger(name).addHandler(noticed)
    with caplog.at_level(logging.INFO):
        _, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            b'POST /stripe/webhook HTTP/1.1\r\nHost: backit\r\nContent-Length: 1000\r\n\r\n{"id"'
        )
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        await noticed.seen.wait()
    for name in loggers:
        logging.getLogger(name).removeHandler(noticed)

    noted = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.getMessage(), r.exc_info) for r in noted] == [
        (
            "adapters.web.request_body",
            "stripe webhook: the client went away while sending its request (Connection lost)",
            None,
        )
    ]
