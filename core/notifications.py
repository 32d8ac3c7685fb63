"""The notifications events cause, as data with a stable key so each is sent once."""

from __future__ import annotations

from core.campaigns import Campaign
from core.milestones import Milestone
from core.outbox import Notification
from core.pledges import Pledge
from core.updates import CreatorUpdate


def milestone_reached(milestone: Milestone) -> Notification:
    """A campaign crossed a share of its goal or a stretch goal."""
    campaign_id = milestone.campaign_id
    return Notification(
        event_key=f"milestone:{campaign_id}:{milestone.kind}:{milestone.value}",
        type="milestone",
        data={"campaign_id": campaign_id, "kind": str(milestone.kind), "value": milestone.value},
    )


def pledge_receipt(pledge: Pledge) -> Notification:
    """A backer's pledge changed status (confirmed, failed, cancelled, refunded)."""
    return Notification(
        event_key=f"receipt:{pledge.id}:{pledge.status}",
        type="receipt",
        data={
            "pledge_id": pledge.id,
            "campaign_id": pledge.campaign_id,
            "tier_id": pledge.tier_id,
            "status": str(pledge.status),
            "amount": pledge.amount.amount,
            "currency": pledge.amount.currency,
            "backer_number": pledge.backer_number,
        },
    )


def referral_credited(pledge: Pledge, referrals: int) -> Notification:
    """Someone backed through an ambassador's link (no names are shared)."""
    return Notification(
        event_key=f"referral:{pledge.id}",
        type="referral",
        data={"campaign_id": pledge.campaign_id, "referrals": referrals},
    )


def update_key(update_id: int) -> str:
    """The event key every message of one creator update shares."""
    return f"update:{update_id}"


def update_posted(update: CreatorUpdate) -> Notification:
    """A creator posted news."""
    return Notification(
        event_key=update_key(update.id),
        type="update",
        data={"campaign_id": update.campaign_id, "update_id": update.id, "text": update.text},
    )


def deadline_near(campaign: Campaign) -> Notification:
    """A campaign its followers have not backed ends within the reminder window."""
    return Notification(
        event_key=f"reminder:{campaign.id}",
        type="reminder",
        data={"campaign_id": campaign.id},
    )


def campaign_ended(campaign: Campaign) -> Notification:
    """A campaign reached its deadline, funded or not."""
    return Notification(
        event_key=f"ended:{campaign.id}",
        type="ended",
        data={
            "campaign_id": campaign.id,
            "status": str(campaign.status),
            "funding_model": str(campaign.funding_model),
        },
    )
