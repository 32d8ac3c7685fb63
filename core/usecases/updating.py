"""Creator updates: news from a campaign's creator to its followers or backers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from core import notifications
from core.campaigns import Campaign
from core.errors import CampaignNotFound, InvalidField, NotAllowed, TextTooLong
from core.i18n import N_, LazyText
from core.identity import Identity
from core.outbox import Audience
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.updates import UPDATE_MAX_CHARS, CreatorUpdate, UpdateAudience
from core.usecases.choosing import Choice, chosen_campaign

# Whom each audience a creator picks is queued for; public updates also go to communities.
_AUDIENCES = {
    UpdateAudience.EVERYONE: Audience.FOLLOWERS_AND_BACKERS,
    UpdateAudience.BACKERS: Audience.BACKERS,
}


@dataclass(frozen=True, slots=True)
class PostedUpdate:
    """An update and how many messages it queued."""

    update: CreatorUpdate
    queued: int


def update_text(text: str) -> str:
    """An update's text, trimmed, if it is neither empty nor too long."""
    text = text.strip()
    if not text:
        raise InvalidField(field=LazyText(N_("Update")), reason=LazyText(N_("it is empty")))
    if len(text) > UPDATE_MAX_CHARS:
        raise TextTooLong(field=LazyText(N_("Update")), limit=UPDATE_MAX_CHARS)
    return text


def _check_author(
    campaign: Campaign | None, operators: Collection[Identity], author: Identity, named: str
) -> Campaign:
    """The campaign if the author may post to it; a draft is missing to anyone else."""
    if campaign is None or not campaign.shown_to(author, operators):
        raise CampaignNotFound(slug=named)
    if not campaign.is_creator(author) and author not in operators:
        raise NotAllowed()
    return campaign


@dataclass(frozen=True, slots=True)
class UpdateReach:
    """How many would receive an update now, for each audience a creator may choose."""

    everyone: int
    backers: int

    def of(self, audience: UpdateAudience) -> int:
        """The count for one audience."""
        return self.everyone if audience is UpdateAudience.EVERYONE else self.backers


async def campaign_to_update(
    uows: UnitOfWorkFactory, operators: Collection[Identity], author: Identity, choice: Choice
) -> Campaign:
    """The campaign an author may post an update to, checked before they write it."""
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, author, operators)
    return _check_author(campaign, operators, author, str(choice))


async def update_reach(uows: UnitOfWorkFactory, campaign_id: int) -> UpdateReach:
    """Who an update would reach if sent now: shown before the creator picks an audience."""
    async with uows() as uow:
        everyone = await uow.outbox.count_audience(
            campaign_id, _AUDIENCES[UpdateAudience.EVERYONE], include_communities=True
        )
        backers = await uow.outbox.count_audience(
            campaign_id, _AUDIENCES[UpdateAudience.BACKERS], include_communities=False
        )
    return UpdateReach(everyone, backers)


async def post_update(
    uow: UnitOfWork,
    clock: Clock,
    operators: Collection[Identity],
    author: Identity,
    campaign_id: int,
    text: str,
    audience: UpdateAudience,
    report_chat: str | None = None,
) -> PostedUpdate:
    """Store an update and queue it for its audience (and linked communities when public);
    with `report_chat`, its delivery is reported there as it goes."""
    text = update_text(text)
    now = clock.now()
    async with uow:
        campaign = _check_author(
            await uow.campaigns.get(campaign_id), operators, author, str(campaign_id)
        )
        update = await uow.updates.add(
            CreatorUpdate(0, campaign.id, author, text, audience, now, report_chat)
        )
        queued = await uow.outbox.enqueue_audience(
            campaign.id,
            _AUDIENCES[audience],
            notifications.update_posted(update),
            now,
            include_communities=update.public,
        )
        if queued == 0:
            # The creator's confirmation already says nobody receives it: no report to follow.
            await uow.updates.finish_report(update.id)
        await uow.commit()
    return PostedUpdate(update, queued)
