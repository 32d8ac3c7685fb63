"""Communities: group admins link campaigns to their chat and choose whether to hear news."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.campaigns import Campaign
from core.communities import Community
from core.errors import DomainError
from core.i18n import N_, negotiate
from core.identity import Identity, Platform
from core.ports import UnitOfWorkFactory
from core.usecases.choosing import Choice, chosen_campaign


class NotChatAdmin(DomainError):
    """Only the chat's administrators may change its settings."""

    template = N_("Only this chat's administrators can do that.")


@dataclass(frozen=True, slots=True)
class Place:
    """A group, channel or server as the platform describes it, and who is asking."""

    platform: Platform
    chat_id: str
    title: str
    locale: str
    # Checked with the platform by the adapter, never taken from the message itself.
    caller_is_admin: bool
    # Who is asking: a draft is linked only by its creators.
    caller: Identity | None = None
    announce_channel_id: str | None = None


async def _community(uows: UnitOfWorkFactory, place: Place) -> Community:
    async with uows() as uow:
        existing = await uow.communities.get(place.platform, place.chat_id)
        community = await uow.communities.save(
            Community(
                id=existing.id if existing else 0,
                platform=place.platform,
                chat_id=place.chat_id,
                title=place.title,
                announce_channel_id=(
                    place.announce_channel_id if existing is None else existing.announce_channel_id
                ),
                announcements=existing.announcements if existing else True,
                locale=negotiate(place.locale),
            )
        )
        await uow.commit()
    return community


async def link_campaign(uows: UnitOfWorkFactory, place: Place, choice: Choice) -> Campaign:
    """Link a campaign to a chat, so it is shown first and its milestones are announced."""
    if not place.caller_is_admin:
        raise NotChatAdmin()
    community = await _community(uows, place)
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, place.caller, ())
        await uow.communities.link(community.id, campaign.id)
        await uow.commit()
    return campaign


async def unlink_campaign(uows: UnitOfWorkFactory, place: Place, choice: Choice) -> Campaign:
    """Stop showing and announcing a campaign in a chat."""
    if not place.caller_is_admin:
        raise NotChatAdmin()
    async with uows() as uow:
        campaign = await chosen_campaign(uow, choice, place.caller, ())
        community = await uow.communities.get(place.platform, place.chat_id)
        if community is not None:
            await uow.communities.unlink(community.id, campaign.id)
            await uow.commit()
    return campaign


async def set_announcements(
    uows: UnitOfWorkFactory, place: Place, enabled: bool, channel_id: str | None = None
) -> Community:
    """Turn milestone and update announcements on or off (and, on Discord, pick the channel)."""
    if not place.caller_is_admin:
        raise NotChatAdmin()
    community = await _community(uows, place)
    async with uows() as uow:
        community.announcements = enabled
        if channel_id is not None:
            community.announce_channel_id = channel_id
        saved = await uow.communities.save(community)
        await uow.commit()
    return saved


async def linked_campaigns(uows: UnitOfWorkFactory, place: Place) -> Sequence[Campaign]:
    """The campaigns a chat has linked."""
    async with uows() as uow:
        community = await uow.communities.get(place.platform, place.chat_id)
        if community is None:
            return []
        found = [await uow.campaigns.get(cid) for cid in community.linked_campaign_ids]
    return [campaign for campaign in found if campaign is not None]


async def community_here(
    uows: UnitOfWorkFactory, platform: Platform, chat_id: str
) -> Community | None:
    """A chat's community, if it has one: its linked campaigns come first, marked, in lists."""
    async with uows(read_only=True) as uow:
        return await uow.communities.get(platform, chat_id)
