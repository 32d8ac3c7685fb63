"""The campaign card: the one view of a campaign every surface shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.campaigns import Campaign, RewardTier
from core.categories import category_name
from core.i18n import current_locale, gettext
from core.views.formatting import date_time, funding_model, number, time_left
from core.views.intents import Follow, Pledge, PledgeCustom, Unfollow
from core.views.model import Button, Card, Field, Progress
from core.views.progress import progress_bar


def progress(campaign: Campaign) -> Progress:
    """A campaign's progress toward its goal."""
    return Progress(campaign.percent, progress_bar(campaign.percent))


def raised_of_goal(campaign: Campaign) -> str:
    """ "€3,100 of €5,000" in the reader's format."""
    locale = current_locale.get()
    return gettext("{raised} of {goal}").format(
        raised=campaign.raised_money.format(locale), goal=campaign.goal.format(locale)
    )


def tier_label(tier: RewardTier, now: datetime) -> str:
    """A tier's button text: its title, price and what is left (units held at checkout are not
    left), or when the units held at checkout may come back."""
    parts = [tier.title, tier.amount.format(current_locale.get())]
    wait = tier.checkout_wait(now)
    if wait is not None:
        # Short: a button label is at most 64 characters on Telegram.
        parts.append(gettext("At checkout · try again in {count} min").format(count=number(wait)))
    elif tier.sold_out:
        parts.append(gettext("Sold out"))
    elif tier.remaining is not None:
        parts.append(gettext("{count} left").format(count=number(tier.remaining)))
    return " · ".join(parts)


def _story(campaign: Campaign) -> str:
    """The blurb, then the creator's longer description when there is one."""
    return "\n\n".join(part for part in (campaign.blurb, campaign.description) if part)


def campaign_card(campaign: Campaign, now: datetime, *, following: bool) -> Card:
    """A campaign with its figures, its reward buttons and a follow toggle."""
    campaign_id = campaign.id
    rows: list[tuple[Button, ...]] = []
    if campaign.is_open(now):
        rows.extend(
            (
                Button(
                    tier_label(tier, now),
                    Pledge(campaign_id, tier.id),
                    available=not tier.sold_out,
                ),
            )
            for tier in campaign.tiers
        )
        rows.append((Button(gettext("Pledge without a reward"), PledgeCustom(campaign_id)),))
    toggle = (
        Button(gettext("Unfollow"), Unfollow(campaign_id))
        if following
        else Button(gettext("Follow"), Follow(campaign_id))
    )
    rows.append((toggle,))
    return Card(
        title=campaign.title,
        subtitle=gettext("by {creator} · {category}").format(
            creator=campaign.creator_name, category=category_name(campaign.category)
        ),
        body=_story(campaign),
        progress=progress(campaign),
        fields=(
            Field(gettext("Raised"), raised_of_goal(campaign)),
            Field(gettext("Backers"), number(campaign.backers_count)),
            # Every platform shows the same count as the lists (not Discord's own rounding of a
            # live timestamp), and the date it counts down to.
            Field(gettext("Time left"), time_left(campaign, now)),
            Field(gettext("Ends"), date_time(campaign.ends_at)),
            Field(gettext("Funding"), funding_model(campaign.funding_model)),
        ),
        image_url=campaign.image_url,
        buttons=tuple(rows),
    )


def draft_card(campaign: Campaign, now: datetime) -> Card:
    """A campaign not stored yet: its card without buttons, its rewards spelled out."""
    card = campaign_card(campaign, now, following=False)
    added = [Field(gettext("Reward"), tier_label(tier, now)) for tier in campaign.tiers]
    return replace(card, fields=(*card.fields, *added), buttons=())
