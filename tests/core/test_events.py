"""Each notification's event is its own class: stored as plain data, read back strictly."""

from __future__ import annotations

from typing import Any

import pytest

from core.campaigns import CampaignStatus, FundingModel
from core.milestones import MilestoneKind
from core.money import Money
from core.outbox import (
    CampaignEnded,
    DeadlineNear,
    Event,
    MalformedNotification,
    MilestoneReached,
    PledgeReceipt,
    ReferralCredited,
    UpdatePosted,
    read_event,
)
from core.pledges import PledgeStatus

EVENTS: list[Event] = [
    MilestoneReached(1, MilestoneKind.PERCENT, 50),
    PledgeReceipt(1, 7, PledgeStatus.PAID, Money(1_250, "EUR"), 3),
    PledgeReceipt(1, 8, PledgeStatus.FAILED, Money(500, "JPY"), None),
    ReferralCredited(1, 2),
    UpdatePosted(1, 4, "Hello — ça va?"),
    DeadlineNear(1),
    CampaignEnded(1, CampaignStatus.SUCCESSFUL, FundingModel.ALL_OR_NOTHING),
]


@pytest.mark.parametrize("event", EVENTS)
def test_every_event_reads_back_as_it_was_stored(event: Event) -> None:
    assert read_event(event.type, event.data()) == event


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("gossip", {"campaign_id": 1}),
        ("milestone", {"campaign_id": 1, "kind": "percent"}),
        ("milestone", {"campaign_id": 1, "kind": "halfway", "value": 50}),
        ("milestone", {"campaign_id": True, "kind": "percent", "value": 50}),
        ("receipt", {"campaign_id": 1, "pledge_id": 7, "status": "paid", "amount": "12"}),
        ("update", {"campaign_id": "1", "update_id": 4, "text": "Hi"}),
        ("update", [1, 4, "Hi"]),
        ("reminder", {}),
        ("ended", {"campaign_id": 1, "status": "funded", "funding_model": "flexible"}),
    ],
)
def test_an_unknown_kind_or_data_that_does_not_fit_is_malformed(kind: str, data: Any) -> None:
    with pytest.raises(MalformedNotification):
        read_event(kind, data)
