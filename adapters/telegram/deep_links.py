"""`/start` payloads: open a campaign card (or one with a secret reward), carry on a pledge
begun in a group, or run a personal command asked for in a group."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.ids import parse_id
from core.usecases.backers import REFERRAL_CODE

# Telegram allows at most 64 characters of A-Za-z0-9_- in a start payload.
MAX_PAYLOAD = 64
_ALLOWED = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Commands whose answer is for one person alone: asked in a group, they are answered in private.
PERSONAL_COMMANDS = (
    "following",
    "mypledges",
    "mycampaigns",
    "payouts",
    "ambassadors",
    "language",
    "submit",
)


@dataclass(frozen=True, slots=True)
class OpenCampaign:
    """Show a campaign's card, crediting whoever shared it."""

    slug: str
    referral_code: str | None = None


@dataclass(frozen=True, slots=True)
class ContinuePledge:
    """Show the personal pledge button for a reward tapped in a group (tier None: no reward)."""

    campaign_id: int
    tier_id: int | None
    referral_code: str | None = None


@dataclass(frozen=True, slots=True)
class RevealReward:
    """Show a campaign's card with the secret reward its code reveals."""

    code: str


@dataclass(frozen=True, slots=True)
class RunCommand:
    """Run a personal command in the private chat, as if the person had typed it there."""

    command: str


StartPayload = OpenCampaign | ContinuePledge | RevealReward | RunCommand


def _with_ref(payload: str, referral_code: str | None) -> str:
    return f"{payload}_{referral_code}" if referral_code else payload


def encode(payload: StartPayload) -> str:
    """The start parameter for a deep link."""
    if isinstance(payload, RunCommand):
        text = payload.command if payload.command in PERSONAL_COMMANDS else ""
    elif isinstance(payload, OpenCampaign):
        text = _with_ref(f"c_{payload.slug}", payload.referral_code)
    elif isinstance(payload, RevealReward):
        text = f"s_{payload.code}"
    else:
        text = _with_ref(f"p_{payload.campaign_id}_{payload.tier_id or 0}", payload.referral_code)
    if not _ALLOWED.match(text):
        raise ValueError(f"not a valid start payload: {text!r}")
    return text


def decode(text: str) -> StartPayload | None:
    """Read a start parameter; None for anything that is not one of ours."""
    if not _ALLOWED.match(text):
        return None
    if text in PERSONAL_COMMANDS:
        return RunCommand(text)
    kind, _, rest = text.partition("_")
    if kind == "c":
        # Slugs have no underscore, so the first one ends the slug.
        slug, _, ref = rest.partition("_")
        if _SLUG.match(slug) and (not ref or REFERRAL_CODE.match(ref)):
            return OpenCampaign(slug, ref or None)
    elif kind == "s":
        # Checked by core, which refuses a malformed code as it does an unknown one.
        return RevealReward(rest)
    elif kind == "p":
        campaign, _, rest = rest.partition("_")
        tier, _, ref = rest.partition("_")
        campaign_id, tier_id = parse_id(campaign), parse_id(tier)
        if (
            campaign_id is not None
            and tier_id is not None
            and (not ref or REFERRAL_CODE.match(ref))
        ):
            return ContinuePledge(campaign_id, tier_id or None, ref or None)
    return None
