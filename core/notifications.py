"""The notifications events cause, as typed events with a stable key so each is sent once."""

from __future__ import annotations

import secrets
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus
from core.milestones import Milestone
from core.money import Money
from core.outbox import (
    CampaignEnded,
    CampaignLaunched,
    DeadlineNear,
    DisputeOpened,
    MilestoneReached,
    Notification,
    PayoutsChanged,
    PledgeReceipt,
    ReferralCredited,
    ReviewDecided,
    ReviewRequested,
    UpdatePosted,
)
from core.payouts import DisputeReport
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


def campaign_launched(campaign: Campaign) -> Notification:
    """A coming-soon campaign went live."""
    return Notification(f"launched:{campaign.id}", CampaignLaunched(campaign.id))


def campaign_ended(campaign: Campaign) -> Notification:
    """A campaign reached its deadline, funded or not."""
    return Notification(
        f"ended:{campaign.id}",
        CampaignEnded(campaign.id, campaign.status, campaign.funding_model),
    )


def dispute_opened(pledge: Pledge, dispute: DisputeReport) -> Notification:
    """A backer disputed a pledge's charge: its creators hear why, and by when to answer."""
    return Notification(
        f"dispute:{pledge.id}",
        DisputeOpened(
            pledge.campaign_id,
            pledge.id,
            Money(dispute.amount, pledge.amount.currency),
            pledge.backer_number,
            dispute.reason,
            dispute.evidence_due_by,
        ),
    )


def payouts_changed(campaign: Campaign, taking: bool, as_of: datetime) -> Notification:
    """A live campaign's payout account stopped or started again taking payments."""
    stamp = int(as_of.timestamp())
    return Notification(
        f"payouts:{campaign.id}:{'on' if taking else 'off'}:{stamp}",
        PayoutsChanged(campaign.id, taking),
    )


def _occasion(at: datetime) -> str:
    """One submission, or one sending back, of a campaign: it may have many, even within one
    tick of a clock. The change and its messages are written together, so a repeated request
    finds the status changed and writes nothing: no retry needs the same key."""
    return f"{int(at.timestamp())}:{secrets.token_hex(4)}"


def review_requested(campaign: Campaign, at: datetime) -> Notification:
    """A creator submitted a campaign for review: each operator gets it once per submission."""
    return Notification(f"review:{campaign.id}:asked:{_occasion(at)}", ReviewRequested(campaign.id))


def review_approved(campaign: Campaign, status: CampaignStatus) -> Notification:
    """An operator approved a campaign, now live or coming soon: its creators hear it once."""
    return Notification(f"review:{campaign.id}:approved", ReviewDecided(campaign.id, True, status))


def changes_requested(campaign: Campaign, reason: str, at: datetime) -> Notification:
    """An operator sent a campaign back to its creators as a draft, saying why."""
    return Notification(
        f"review:{campaign.id}:changes:{_occasion(at)}",
        ReviewDecided(campaign.id, False, CampaignStatus.DRAFT, reason),
    )
