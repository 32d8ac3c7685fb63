"""Campaigns by Ada on Telegram, and pledges by Telegram users, through core."""

from __future__ import annotations

from typing import Any

from core.campaigns import Campaign
from core.identity import Caller, Identity, Platform
from core.pledges import Pledge
from core.ports import Clock, UnitOfWorkFactory
from tests.adapters import chat_campaigns

CREATOR = Identity(Platform.TELEGRAM, "7")


async def live_campaign(
    uows: UnitOfWorkFactory, clock: Clock, slug: str = "lamp", **options: Any
) -> Campaign:
    """A live campaign by Ada (Telegram user 7); options as in chat_campaigns.live_campaign."""
    return await chat_campaigns.live_campaign(uows, clock, slug, creators=(CREATOR,), **options)


async def paid_pledge(
    uows: UnitOfWorkFactory,
    clock: Clock,
    campaign: Campaign,
    user_id: int,
    amount: int = 1_000,
    referral_code: str | None = None,
) -> Pledge:
    """A Telegram user's pledge of a custom amount, paid as if the provider had confirmed it."""
    caller = Caller(Identity(Platform.TELEGRAM, str(user_id)), f"Person {user_id}", "en")
    return await chat_campaigns.paid_pledge(uows, clock, campaign, caller, amount, referral_code)
