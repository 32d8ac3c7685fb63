"""Where reward buttons lead: a personal pledge link in private, a deep link from a group."""

from __future__ import annotations

from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import (
    ContinuePledge,
    OpenCampaign,
    RevealReward,
    StartPayload,
    encode,
)
from adapters.telegram.render import UrlFor
from core.views.intents import Follow, FundingChart, Intent, Pledge, PledgeCustom, Unfollow


def bot_link(username: str, payload: StartPayload) -> str:
    """A t.me link that opens the private chat with the bot `username` on a start payload."""
    return f"https://t.me/{username}?start={encode(payload)}"


def deep_link(context: BackitContext, payload: StartPayload) -> str:
    """A t.me link that opens the private chat with the bot on a start payload."""
    return bot_link(context.bot_username, payload)


def private_urls(
    context: BackitContext, backer_id: int, referral_code: str | None, *, backed: bool = False
) -> UrlFor:
    """In a private chat, each reward button is the backer's own one-tap pledge link; on a
    campaign they backed already, it asks first (change the pledge, or add a second?)."""

    def url_for(intent: Intent) -> str | None:
        if not isinstance(intent, Pledge) or backed:
            return None
        return context.services.personal_link(
            backer_id, intent.campaign_id, intent.tier_id, None, referral_code
        )

    return url_for


def group_urls(context: BackitContext, referral_code: str | None = None) -> UrlFor:
    """In a group, reward buttons lead into a private chat; no personal link is ever posted."""

    def url_for(intent: Intent) -> str | None:
        if isinstance(intent, Pledge) and intent.secret_code is not None:
            # The secret reward's own link: the private chat reveals it again, to pledge.
            return deep_link(context, RevealReward(intent.secret_code))
        if isinstance(intent, Pledge):
            return deep_link(
                context, ContinuePledge(intent.campaign_id, intent.tier_id, referral_code)
            )
        if isinstance(intent, PledgeCustom):
            return deep_link(context, ContinuePledge(intent.campaign_id, None, referral_code))
        return None

    return url_for


def shared_urls(context: BackitContext, slug: str, referral_code: str) -> UrlFor:
    """On a card shared inline anywhere: rewards, following and the chart go through the bot,
    crediting the person who shared it (a shared card's press names no chat to answer in)."""
    group = group_urls(context, referral_code)

    def url_for(intent: Intent) -> str | None:
        if isinstance(intent, Follow | Unfollow | FundingChart):
            return deep_link(context, OpenCampaign(slug, referral_code))
        return group(intent)

    return url_for
