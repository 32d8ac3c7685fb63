"""Choosing when a campaign launches: until it is live, its whole run moves with its launch."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from core.campaigns import UNPUBLISHED, Campaign, CampaignStatus
from core.errors import DomainError
from core.i18n import N_
from core.identity import Identity
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.choosing import chosen_campaign
from core.usecases.managing import MAX_DURATION, field_error

# A campaign whose launch may still move: not yet live.
MOVABLE = frozenset({*UNPUBLISHED, CampaignStatus.COMING_SOON})
_NOW = frozenset({"now", "maintenant"})
_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ t](\d{1,2}):(\d{2}))?$", re.ASCII)
_LAUNCH = N_("Launch")
_FORMAT = N_("send a date and time in UTC, like 2026-12-20 18:00, or “now”")


class NotYourLaunch(DomainError):
    """Someone other than a campaign's creator tried to choose when it launches."""

    template = N_("Only the creator of “{title}” can choose when it launches.")


class AlreadyLaunched(DomainError):
    """A campaign already live, or over, has no launch left to move."""

    template = N_("“{title}” has already launched, so its launch can no longer move.")


def launch_moment(text: str, now: datetime) -> datetime:
    """When a campaign should launch, from "now" or a UTC date with an optional time
    ("2026-12-20 18:00"), at most 90 days away; a moment earlier this minute means now."""
    typed = " ".join(text.split()).lower()
    if typed in _NOW:
        return now
    match = _MOMENT.match(typed)
    if match is None:
        raise field_error(_LAUNCH, _FORMAT)
    day, hour, minute = match.group(1, 2, 3)
    try:
        moment = datetime.combine(
            date.fromisoformat(day), time(int(hour or 0), int(minute or 0)), UTC
        )
    except ValueError:
        raise field_error(_LAUNCH, _FORMAT) from None
    if moment < now.replace(second=0, microsecond=0):
        raise field_error(_LAUNCH, N_("it has already passed"))
    if moment > now + MAX_DURATION:
        raise field_error(_LAUNCH, N_("it must be at most 90 days away"))
    return max(moment, now)


def _movable(campaign: Campaign, creator: Identity) -> Campaign:
    """The campaign if `creator` made it and it is not yet live."""
    if not campaign.is_creator(creator):
        raise NotYourLaunch(title=campaign.title)
    if campaign.status not in MOVABLE:
        raise AlreadyLaunched(title=campaign.title)
    return campaign


async def campaign_to_launch(uow: UnitOfWork, creator: Identity, name: str) -> Campaign:
    """The campaign (by slug or title) whose launch `creator` may choose, checked before they
    are asked when."""
    async with uow:
        return _movable(await chosen_campaign(uow, name, creator, ()), creator)


async def set_launch(
    uows: UnitOfWorkFactory, clock: Clock, creator: Identity, name: str, text: str
) -> Campaign:
    """Make the creator's campaign launch when `text` says, its end and its rewards' windows
    moved by as much so that its run keeps its length; only before it is live."""
    moment = launch_moment(text, clock.now())
    async with uows() as uow:
        campaign = _movable(await chosen_campaign(uow, name, creator, ()), creator)
        moved = campaign.launched_at(moment)
        # The scheduler may make it live meanwhile: the move then does not happen.
        if not await uow.campaigns.reschedule(moved, campaign.starts_at, MOVABLE):
            raise AlreadyLaunched(title=campaign.title)
        await uow.commit()
    return moved
