"""Campaigns by Ada on Discord, and paid pledges, through core."""

from __future__ import annotations

from typing import Any

from core.campaigns import Campaign
from core.identity import Identity, Platform
from core.ports import Clock, UnitOfWorkFactory
from tests.adapters import chat_campaigns

# Ada's Discord account: she created the campaigns below.
CREATOR = Identity(Platform.DISCORD, "700000000000000007")
paid_pledge = chat_campaigns.paid_pledge


async def live_campaign(
    uows: UnitOfWorkFactory, clock: Clock, slug: str = "lamp", **options: Any
) -> Campaign:
    """A live campaign by Ada unless `creators` says otherwise; options as in chat_campaigns."""
    options.setdefault("creators", (CREATOR,))
    return await chat_campaigns.live_campaign(uows, clock, slug, **options)
