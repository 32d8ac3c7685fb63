"""Choosing a campaign: by what a person typed (its slug or title), or by a picker's id."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum

from core.campaigns import UNDERWAY, Campaign, CampaignStatus
from core.errors import CampaignNotFound, DomainError, TextTooLong
from core.i18n import N_, LazyText, gettext
from core.identity import Identity, Platform
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.usecases.browsing import (
    SEARCH_MAX_CHARS,
    CampaignDetail,
    as_seen_by,
    published,
    shown_by_id,
)

# Far above any slug or title: longer input is refused before it is quoted back.
NAME_MAX = 200
# How many close matches an error suggests.
SUGGESTIONS = 5
# A word, for suggesting titles that share one with what was typed.
_WORD = re.compile(r"\w+")
# What stands in for a control character when the input is quoted back.
REPLACEMENT = "\ufffd"

# How many campaigns a Telegram picker offers (Discord's autocomplete shows up to 25).
PICKER_SIZE = 10

# A picker's button names its campaign by id; a typed argument is text.
Choice = str | int


class Purpose(StrEnum):
    """The command a campaign is picked for; short values, as they travel in button data."""

    CAMPAIGN = "campaign"
    LINK = "link"
    UNLINK = "unlink"
    UPDATE = "update"
    AMBASSADORS = "ambassadors"
    UPDATES = "updates"
    SUBMIT = "submit"


class AmbiguousName(DomainError):
    """What was typed begins several campaigns' titles."""

    template = N_("“{typed}” could be several campaigns: {titles}. Which one?")


class UnknownName(DomainError):
    """No campaign has that slug or title, but some come close."""

    template = N_("There is no campaign called “{typed}”. Did you mean {titles}?")


def folded(text: str) -> str:
    """Text as names are compared: without case, accents or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split())


def quoted(typed: str) -> str:
    """What was typed, as it is shown back: control characters (and the invisible ones that
    reorder text, such as right-to-left overrides) made visible, nothing cut."""
    return "".join(REPLACEMENT if _hidden(char) else char for char in typed.strip())


def _hidden(char: str) -> bool:
    # A zero-width joiner belongs to emoji sequences: it is kept.
    return unicodedata.category(char) in ("Cc", "Cf") and char != "\u200d"


def _titles(campaigns: Iterable[Campaign]) -> str:
    """Campaign titles, each quoted the reader's way (errors are raised in their locale)."""
    return ", ".join(gettext("“{title}”").format(title=c.title) for c in campaigns)


def _close(campaigns: Sequence[Campaign], key: str) -> list[Campaign]:
    """Campaigns whose title or slug holds what was typed, or shares a word of it."""
    words = {word for word in _WORD.findall(key) if len(word) > 2}
    close = []
    for campaign in campaigns:
        title = folded(campaign.title)
        if key in f"{title} {campaign.slug}" or words & set(_WORD.findall(title)):
            close.append(campaign)
    return close[:SUGGESTIONS]


def match_name(campaigns: Sequence[Campaign], typed: str) -> Campaign:
    """The one campaign named by `typed`: its slug, its whole title, or the start of only one
    title; case, accents and spaces do not matter. Raises a translated error otherwise."""
    if len(typed) > NAME_MAX:
        raise TextTooLong(field=LazyText(N_("Campaign name")), limit=NAME_MAX)
    key = folded(typed)
    if not key:
        raise CampaignNotFound(slug=quoted(typed))
    for campaign in campaigns:
        if campaign.slug == key:
            return campaign
    whole = [c for c in campaigns if folded(c.title) == key]
    starting = whole or [c for c in campaigns if folded(c.title).startswith(key)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise AmbiguousName(typed=quoted(typed), titles=_titles(starting[:SUGGESTIONS]))
    close = _close(campaigns, key)
    if close:
        raise UnknownName(typed=quoted(typed), titles=_titles(close))
    raise CampaignNotFound(slug=quoted(typed))


async def shown_by_name(
    uow: UnitOfWork, typed: str, viewer: Identity | None, operators: Collection[Identity]
) -> Campaign:
    """In an open unit of work, the campaign the viewer named, among those they may see."""
    if len(typed) <= NAME_MAX:
        by_slug = await uow.campaigns.by_slug(folded(typed))
        if by_slug is not None and by_slug.shown_to(viewer, operators):
            return by_slug
    everything = await uow.campaigns.list_all()
    return match_name([c for c in everything if c.shown_to(viewer, operators)], typed)


async def any_campaign_named(uows: UnitOfWorkFactory, typed: str) -> Campaign:
    """Any campaign, drafts included, by slug or title: for the operator's console."""
    async with uows() as uow:
        by_slug = await uow.campaigns.by_slug(folded(typed)) if len(typed) <= NAME_MAX else None
        return by_slug or match_name(await uow.campaigns.list_all(), typed)


async def chosen_campaign(
    uow: UnitOfWork, choice: Choice, viewer: Identity | None, operators: Collection[Identity]
) -> Campaign:
    """In an open unit of work, the campaign picked from a list (an id) or typed (a name)."""
    if isinstance(choice, int):
        return await shown_by_id(uow, choice, viewer, operators)
    return await shown_by_name(uow, choice, viewer, operators)


async def chosen_detail(
    uow: UnitOfWork, choice: Choice, viewer: Identity | None, operators: Collection[Identity]
) -> CampaignDetail:
    """A campaign picked or named, as the viewer sees it: followed, backed."""
    async with uow:
        campaign = await chosen_campaign(uow, choice, viewer, operators)
        return await as_seen_by(uow, campaign, viewer)


def narrowed(campaigns: Sequence[Campaign], typed: str, limit: int) -> list[Campaign]:
    """The campaigns whose title or slug holds what is typed so far (all of them before),
    those whose title starts with it first: for a platform's autocomplete."""
    key = folded(typed[:NAME_MAX])
    if not key:
        return list(campaigns[:limit])
    starting = [c for c in campaigns if folded(c.title).startswith(key) or c.slug.startswith(key)]
    first = {c.id for c in starting}
    holding = [
        c for c in campaigns if c.id not in first and (key in folded(c.title) or key in c.slug)
    ]
    return (starting + holding)[:limit]


async def campaigns_to_pick(
    uows: UnitOfWorkFactory,
    clock: Clock,
    purpose: Purpose,
    viewer: Identity,
    here: tuple[Platform, str] | None = None,
    typed: str = "",
    limit: int = PICKER_SIZE,
) -> Sequence[Campaign]:
    """The campaigns a command offers to pick from, narrowed to what is `typed` so far: the
    viewer's own to post to or report on, their drafts to submit for review, a chat's linked
    ones to unlink, published ones (and the viewer's own) to link, published ones to show:
    live, then coming soon."""
    now = clock.now()
    words = typed.strip()[:SEARCH_MAX_CHARS]
    async with uows() as uow:
        if purpose in (Purpose.UPDATE, Purpose.AMBASSADORS):
            return narrowed(await uow.campaigns.created_by(viewer), words, limit)
        if purpose is Purpose.SUBMIT:
            mine = await uow.campaigns.created_by(viewer)
            drafts = [c for c in mine if c.status is CampaignStatus.DRAFT]
            return narrowed(drafts, words, limit)
        community = await uow.communities.get(*here) if here is not None else None
        linked = community.linked_campaign_ids if community is not None else ()
        if purpose is Purpose.UNLINK:
            found = [await uow.campaigns.get(campaign_id) for campaign_id in linked]
            return narrowed([c for c in found if c is not None], words, limit)
        # Published campaigns are many: the database finds those whose title or blurb holds
        # the words.
        shown = await published(uow, now, words, limit)
        if purpose in (Purpose.CAMPAIGN, Purpose.UPDATES):
            return shown
        mine = await uow.campaigns.created_by(viewer)
        own = [c for c in mine if c.status in UNDERWAY]
        seen = set(linked)
        chosen = []
        for campaign in [*narrowed(own, words, limit), *shown]:
            if campaign.id not in seen:
                seen.add(campaign.id)
                chosen.append(campaign)
        return chosen[:limit]
