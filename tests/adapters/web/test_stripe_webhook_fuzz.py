"""Whatever an authentic webhook holds, Backit answers below 500 and moves no money.

Hypothesis signs arbitrary bodies with the real secret: JSON of any shape, event envelopes of
the types Backit reads, and the real events of a pledge with their fields changed or removed.
One pledge is refunded in full first, so that no event, however it is changed, may legitimately
move it; another waits on its checkout page for a sum no changed event carries, so that any
event turned towards it is about other money. Any write to pledges, totals, tiers, milestones
or the outbox is a fault.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.storage import Database
from adapters.storage.tables import CampaignRow, MilestoneRow, OutboxRow, PledgeRow, RewardTierRow
from adapters.stripe.gateway import HANDLED_EVENTS
from adapters.stripe.outcomes import PURPOSE_KEY
from core.campaigns import Campaign
from core.pledges import PledgeStatus
from core.usecases.managing import TierDraft
from tests.adapters.web.test_stripe_webhook import StripeEvent, deliver, signed
from tests.payment_fixtures import RunningBackit

T = TypeVar("T")
PAID_AMOUNT, PENDING_AMOUNT = 5_000, 7_500
# Stands for an event id no delivery has used yet, given just before the body is sent.
FRESH = "evt_fresh"
WATCHED = (PledgeRow, CampaignRow, RewardTierRow, MilestoneRow, OutboxRow)
# The fields whose values decide what an event means.
TELLING_FIELDS = (
    "id",
    "amount",
    "amount_total",
    "amount_refunded",
    "currency",
    "mode",
    "status",
    "payment_status",
    "payment_intent",
    "client_reference_id",
    "metadata",
    "setup_intent",
    "shipping_details",
)
# Values at the edges of what ids, amounts and text may be.
EDGES = st.sampled_from(
    [0, 1, -1, 2**31, 2**63 - 1, 2**63, 2**70, True, "", "²", "7" * 5_000, "\x00", "é"]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | EDGES
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


async def snapshot(database: Database) -> list[list[tuple[Any, ...]]]:
    """Every row of the tables an event must not change, in a stable order."""
    async with database.engine.connect() as connection:
        return [
            [
                tuple(row)
                for row in await connection.execute(
                    sa.select(model).order_by(*model.__table__.primary_key)
                )
            ]
            for model in WATCHED
        ]


def other_than_pending(value: Any) -> Any:
    """Any value but the pending pledge's amount, which would make a valid payment of it."""
    return value + 1 if type(value) is int and value == PENDING_AMOUNT else value


@st.composite
def mutated_events(draw: st.DrawFn, events: list[StripeEvent], pledge_ids: list[int]) -> Any:
    """A real event under a fresh id, often turned to another pledge, with some of its
    object's fields (or its metadata's) changed or removed."""
    event = copy.deepcopy(draw(st.sampled_from(events)))
    # Mostly fresh ids and the event's own type, so that most reach the pledge checks.
    event["id"] = draw(JSON) if draw(st.integers(0, 9)) == 0 else FRESH
    if draw(st.integers(0, 3)) == 0:
        event["type"] = draw(st.sampled_from(HANDLED_EVENTS))
    obj = event["data"]["object"]
    if draw(st.booleans()):
        obj["metadata"] = {"pledge_id": str(draw(st.sampled_from(pledge_ids)))}
    for field in draw(st.lists(st.sampled_from(TELLING_FIELDS), max_size=3)):
        target = obj
        if field == "metadata" and isinstance(obj.get("metadata"), dict):
            target, field = obj["metadata"], draw(st.sampled_from(["pledge_id", PURPOSE_KEY]))
        if draw(st.booleans()):
            target.pop(field, None)
        else:
            target[field] = other_than_pending(draw(JSON))
    if draw(st.integers(0, 9)) == 0:
        event["data"] = draw(JSON)
    return event


def envelopes() -> st.SearchStrategy[Any]:
    """Event envelopes of the types Backit reads, around anything."""
    return st.fixed_dictionaries(
        {"id": st.just(FRESH) | JSON, "type": st.sampled_from(HANDLED_EVENTS) | JSON},
        optional={"data": st.fixed_dictionaries({}, optional={"object": JSON}) | JSON},
    )


@pytest.fixture
async def refunded(
    backit: RunningBackit, browser: aiohttp.ClientSession
) -> tuple[list[StripeEvent], list[int]]:
    """A €50 pledge paid then refunded in full, and a €75 one pending: the events Stripe sent
    about the first, and both pledges' ids."""
    tiers = (TierDraft("Early bird", "", PAID_AMOUNT), TierDraft("Lamp", "", PENDING_AMOUNT))
    lamp: Campaign = await backit.campaign(tiers=tiers)
    paying, waiting = await backit.backer(1), await backit.backer(2)
    await backit.back(browser, backit.pledge_url(paying, lamp, lamp.tiers[0].id))
    await backit.standin.wait_for_deliveries()
    (paid,) = await backit.pledges(lamp.id)
    await backit.services.gateway.refund(paid, f"backit-pledge-{paid.id}-refund")
    async with browser.get(
        backit.pledge_url(waiting, lamp, lamp.tiers[1].id), allow_redirects=False
    ):
        pass
    await backit.standin.wait_for_deliveries()
    pledges = await backit.pledges(lamp.id)
    assert [(p.status, p.amount.amount) for p in pledges] == [
        (PledgeStatus.REFUNDED, PAID_AMOUNT),
        (PledgeStatus.PENDING, PENDING_AMOUNT),
    ]
    events = [e for e in backit.standin.events() if e["type"] in HANDLED_EVENTS]
    return events, [p.id for p in pledges]


async def test_no_signed_body_gets_a_5xx_or_moves_money(
    backit: RunningBackit,
    browser: aiohttp.ClientSession,
    refunded: tuple[list[StripeEvent], list[int]],
) -> None:
    loop = asyncio.get_running_loop()
    before = await snapshot(backit.database)
    answers: set[int] = set()
    fresh = itertools.count()

    def on_the_loop(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    # The server runs on this test's loop; Hypothesis drives it from a thread of its own.
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    # Half of the bodies are real events changed, which reach deepest.
    @given(body=st.one_of(JSON, envelopes(), mutated_events(*refunded), mutated_events(*refunded)))
    def any_signed_body(body: Any) -> None:
        if isinstance(body, dict) and body.get("id") == FRESH:
            body = {**body, "id": f"evt_fuzz_{next(fresh)}"}
        text = json.dumps(body)
        status = on_the_loop(deliver(browser, backit, text, signed(text)))
        answers.add(status)
        assert status < 500, text
        assert on_the_loop(snapshot(backit.database)) == before, text

    await asyncio.to_thread(any_signed_body)

    assert answers == {200}
