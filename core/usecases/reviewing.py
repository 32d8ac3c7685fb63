"""Reviewing: a creator submits a draft, an operator approves it (published) or asks for
changes (a draft again, with the reason); each side hears the other through the outbox."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core import notifications
from core.campaigns import PUBLISHED, Campaign, CampaignStatus
from core.errors import CampaignNotFound, DomainError, NotAllowed, TextTooLong
from core.i18n import N_, LazyText
from core.identity import Identity
from core.outbox import Notification
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.choosing import Choice, chosen_campaign
from core.usecases.managing import field_error, publish_in
from core.usecases.payments import direct_recipients

# What an operator may write to a creator about the changes their campaign needs.
REASON_MAX = 1_000


class NotAnOperator(NotAllowed):
    """Someone who is not an operator tried to review a campaign."""

    template = N_("Only an operator can review campaigns.")


class NotYourCampaign(NotAllowed):
    """Someone who did not create a campaign tried to submit it."""

    template = N_("Only the campaign's creator can submit it for review.")


class CannotSubmit(DomainError):
    """The campaign is not a draft that can be sent for review."""

    template = N_("“{title}” can't be submitted for review: {reason}")


class NotInReview(DomainError):
    """The campaign is no longer waiting for review: decided already, or withdrawn."""

    template = N_("“{title}” is not waiting for review: {reason}")


@dataclass(frozen=True, slots=True)
class Submission:
    """A campaign sent for review: `already` when it was waiting already (nothing was done),
    `operators` whether anyone is there to be told (else the command line is the way)."""

    campaign: Campaign
    already: bool
    operators: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """A review decided: the campaign as it now is; `already` when another operator had
    decided it the same way first (nobody is told twice)."""

    campaign: Campaign
    already: bool = False


def _why_not(campaign: Campaign) -> LazyText:
    """Why a campaign is neither a draft to submit nor waiting for review."""
    if campaign.status in PUBLISHED:
        return LazyText(N_("it is already published."))
    if campaign.status is CampaignStatus.DRAFT:
        return LazyText(N_("it is a draft, with its creator."))
    return LazyText(N_("it has ended."))


def _not_in_review(campaign: Campaign) -> NotInReview:
    return NotInReview(title=campaign.title, reason=_why_not(campaign))


def _cannot_submit(campaign: Campaign) -> CannotSubmit:
    return CannotSubmit(title=campaign.title, reason=_why_not(campaign))


async def _tell(
    uow: UnitOfWork, identities: Collection[Identity], notification: Notification, clock: Clock
) -> None:
    now = clock.now()
    ordered = sorted(identities, key=lambda identity: (identity.platform, identity.user_id))
    for recipient in await direct_recipients(uow, ordered):
        await uow.outbox.enqueue(recipient, notification, now)


async def submit(
    uows: UnitOfWorkFactory,
    clock: Clock,
    operators: Collection[Identity],
    creator: Identity,
    choice: Choice,
) -> Submission:
    """Send one of the creator's drafts (picked by id, or named) for review: each operator is
    told, in their language, with its card. Refused to anyone but its creators, for a campaign
    published or over, or one whose end has passed; one already in review is left as it is."""
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, creator, operators)
        if not campaign.is_creator(creator):
            raise NotYourCampaign()
        waiting = Submission(campaign, already=True, operators=bool(operators))
        if campaign.status is CampaignStatus.IN_REVIEW:
            return waiting
        if campaign.status is not CampaignStatus.DRAFT:
            raise _cannot_submit(campaign)
        now = clock.now()
        if campaign.ends_at <= now:
            raise field_error(N_("End"), N_("it has already passed"))
        if not await uow.campaigns.set_status(
            campaign.id, CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW
        ):
            # Submitted (or cancelled) meanwhile, from another chat: say what it is now.
            current = await uow.campaigns.get(campaign.id)
            if current is not None and current.status is CampaignStatus.IN_REVIEW:
                return Submission(current, already=True, operators=bool(operators))
            raise _cannot_submit(current or campaign)
        campaign.status = CampaignStatus.IN_REVIEW
        await _tell(uow, operators, notifications.review_requested(campaign, now), clock)
        await uow.commit()
    return Submission(campaign, already=False, operators=bool(operators))


def _operator(operators: Collection[Identity], actor: Identity | None) -> None:
    """`actor` None is the operator's own command line, which needs no platform identity."""
    if actor is not None and actor not in operators:
        raise NotAnOperator()


async def _campaign(uow: UnitOfWork, campaign_id: int) -> Campaign:
    campaign = await uow.campaigns.get(campaign_id)
    if campaign is None:
        raise CampaignNotFound(slug=str(campaign_id))
    return campaign


async def to_review(
    uows: UnitOfWorkFactory,
    operators: Collection[Identity],
    actor: Identity | None,
    campaign_id: int,
) -> Campaign:
    """A campaign waiting for review, for an operator about to decide it (before asking them
    why changes are needed); refused to anyone else, or once it is no longer waiting."""
    _operator(operators, actor)
    async with uows(read_only=True) as uow:
        campaign = await _campaign(uow, campaign_id)
    if campaign.status is not CampaignStatus.IN_REVIEW:
        raise _not_in_review(campaign)
    return campaign


async def approve(
    uows: UnitOfWorkFactory,
    clock: Clock,
    operators: Collection[Identity],
    actor: Identity | None,
    campaign_id: int,
    terms: PayoutTerms = NO_PAYOUTS,
) -> Decision:
    """Publish a campaign waiting for review, as publishing does (live, or coming soon until
    its start; with creators paid through their own accounts, only once the creator's takes
    payments), and tell its creators. Two operators approving at once publish it once, and
    its creators hear it once."""
    _operator(operators, actor)
    async with uows() as uow:
        campaign = await _campaign(uow, campaign_id)
        if campaign.status in PUBLISHED:
            return Decision(campaign, already=True)
        if campaign.status is not CampaignStatus.IN_REVIEW:
            raise _not_in_review(campaign)
        now = clock.now()
        # Approved after its start, it launches now: its run keeps its length.
        moved = campaign.launched_at(now) if campaign.starts_at < now else campaign
        status = None
        if moved is campaign or await uow.campaigns.reschedule(
            moved, campaign.starts_at, {CampaignStatus.IN_REVIEW}
        ):
            campaign = moved
            status = await publish_in(uow, campaign, now, terms)
        if status is None:
            current = await _campaign(uow, campaign_id)
            if current.status in PUBLISHED:
                return Decision(current, already=True)
            raise _not_in_review(current)
        campaign.status = status
        await _tell(
            uow,
            campaign.creator_identities,
            notifications.review_approved(campaign, status),
            clock,
        )
        await uow.commit()
    return Decision(campaign)


def review_reason(text: str) -> str:
    """Why a campaign needs changes, as its creator will read it: trimmed, required, at most
    REASON_MAX characters."""
    reason = text.strip()
    if not reason:
        raise field_error(N_("Reason"), N_("it is required"))
    if len(reason) > REASON_MAX:
        raise TextTooLong(field=LazyText(N_("Reason")), limit=REASON_MAX)
    return reason


async def request_changes(
    uows: UnitOfWorkFactory,
    clock: Clock,
    operators: Collection[Identity],
    actor: Identity | None,
    campaign_id: int,
    reason: str,
) -> Decision:
    """Send a campaign waiting for review back to its creators as a draft, with the reason:
    they change it and submit it again."""
    _operator(operators, actor)
    why = review_reason(reason)
    async with uows() as uow:
        campaign = await _campaign(uow, campaign_id)
        if campaign.status is not CampaignStatus.IN_REVIEW:
            raise _not_in_review(campaign)
        if not await uow.campaigns.set_status(
            campaign.id, CampaignStatus.IN_REVIEW, CampaignStatus.DRAFT
        ):
            raise _not_in_review(await _campaign(uow, campaign_id))
        campaign.status = CampaignStatus.DRAFT
        notification = notifications.changes_requested(campaign, why, clock.now())
        await _tell(uow, campaign.creator_identities, notification, clock)
        await uow.commit()
    return Decision(campaign)


async def in_review(uows: UnitOfWorkFactory) -> Sequence[Campaign]:
    """Every campaign waiting for review, the soonest to start first: the operators' queue."""
    async with uows(read_only=True) as uow:
        campaigns = await uow.campaigns.list_all()
    waiting = [c for c in campaigns if c.status is CampaignStatus.IN_REVIEW]
    return sorted(waiting, key=lambda c: (c.starts_at, c.slug))
