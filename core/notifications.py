"""The notifications events cause, as typed events with a stable key so each is sent once."""

from __future__ import annotations

from core.campaigns import Campaign
from core.milestones import Milestone
from core.money import Money
from core.outbox import (
    CampaignEnded,
    DeadlineNear,
    MilestoneReached,
    Notification,
    PledgeReceipt,
    ReferralCredited,
    UpdatePosted,
)
from core.pledges import Pledge
from core.updates import CreatorUpdate


def milestone_reached(milestone: Milestone) -> Notification:
    """A campaign crossed a share of its goal or a stretch goal."""
    campaign_id = milestone.campaign_id
    return Notification(
        f"milestone:{campaign_id}:{milestone.kind}:{milestone.value}",
        MilestoneReached(campaign_id, milestone.kind, milestone.value),
    )


def pledge_receipt(pledge: Pledge) -> Notification:
    """A backer's pledge changed status (confirmed, failed, cancelled, refunded)."""
    return Notification(
        f"receipt:{pledge.id}:{pledge.status}",
        PledgeReceipt(
            pledge.campaign_id,
            pledge.id,
            pledge.status,
            pledge.amount,
            pledge.backer_number,
            pledge.tier_id,
        ),
    )


def pledge_raised(pledge: Pledge, top_up_id: int) -> Notification:
    """A paid pledge's top-up was paid: the pledge as it now is."""
    return Notification(
        f"receipt:{pledge.id}:raised:{top_up_id}",
        PledgeReceipt(
            pledge.campaign_id,
            pledge.id,
            pledge.status,
            Money(pledge.backed_amount, pledge.amount.currency),
            pledge.backer_number,
            pledge.tier_id,
            raised=True,
        ),
    )


def referral_credited(pledge: Pledge, referrals: int) -> Notification:
    """Someone backed through an ambassador's link (no names are shared)."""
    return Notification(f"referral:{pledge.id}", ReferralCredited(pledge.campaign_id, referrals))


def update_key(update_id: int) -> str:
    """The event key every message of one creator update shares."""
    return f"update:{update_id}"


def update_posted(update: CreatorUpdate) -> Notification:
    """A creator posted news."""
    return Notification(
        update_key(update.id), UpdatePosted(update.campaign_id, update.id, update.text)
    )


def deadline_near(campaign: Campaign) -> Notification:
    """A campaign its followers have not backed ends within the reminder window."""
    return Notification(f"reminder:{campaign.id}", DeadlineNear(campaign.id))


def campaign_ended(campaign: Campaign) -> Notification:
    """A campaign reached its deadline, funded or not."""
    return Notification(
        f"ended:{campaign.id}",
        CampaignEnded(campaign.id, campaign.status, campaign.funding_model),
    )
