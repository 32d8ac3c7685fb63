"""Whose share link brought a person to a campaign, kept for the buttons they press next."""

from __future__ import annotations

from adapters.telegram.context import BackitContext

# Conversation state, campaign id -> referral code: a card opened from someone's share link
# credits them for what its buttons then lead to, even the ones that ask a question first.
REFERRED = "referred"


def remember_referral(context: BackitContext, campaign_id: int, referral_code: str) -> None:
    """Note that the person came to a campaign through `referral_code`."""
    assert context.user_data is not None
    context.user_data.setdefault(REFERRED, {})[campaign_id] = referral_code


def referral_for(context: BackitContext, campaign_id: int) -> str | None:
    """The referral code that brought the person to a campaign, if one did."""
    assert context.user_data is not None
    code: str | None = context.user_data.get(REFERRED, {}).get(campaign_id)
    return code
