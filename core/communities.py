"""Communities: Telegram groups and channels, Discord servers, and the campaigns they link."""

from __future__ import annotations

from dataclasses import dataclass

from core.identity import Platform


@dataclass(slots=True)
class Community:
    """A place where people talk; chat_id is a Telegram chat or a Discord guild."""

    id: int
    platform: Platform
    chat_id: str
    title: str
    # Where announcements go: the Telegram chat itself, or a Discord channel.
    announce_channel_id: str | None = None
    announcements: bool = True
    locale: str = "en"
    linked_campaign_ids: tuple[int, ...] = ()
