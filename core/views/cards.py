"""The campaign card: the one view of a campaign every surface shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.campaigns import UNDERWAY, Campaign, CampaignStatus, FundingModel, RewardTier
from core.categories import category_name
from core.i18n import current_locale, gettext
from core.moments import date_time
from core.money import Money
from core.pledges import Pledge, PledgeStatus, can_change
from core.usecases.browsing import CampaignDetail
from core.views import intents
from core.views.formatting import (
    backers,
    funding_model,
    number,
    people_waiting,
    percent,
    time_left,
)
from core.views.intents import ChangePledge, Follow, FundingChart, PledgeCustom, Unfollow
from core.views.model import Button, Card, Field, Progress, Section
from core.views.progress import progress_bar
from core.views.rewards import availability, rewards_section, stretch_section

# Followers of a coming-soon campaign its card counts, from this many.
WAITING_SHOWN_FROM = 10


def progress(campaign: Campaign) -> Progress:
    """A campaign's progress toward its goal."""
    return Progress(campaign.percent, progress_bar(campaign.percent), percent(campaign.percent))


def raised_of_goal(campaign: Campaign) -> str:
    """ "€3,100 of €5,000" in the reader's format."""
    locale = current_locale.get()
    return gettext("{raised} of {goal}").format(
        raised=campaign.raised_money.format(locale), goal=campaign.goal.format(locale)
    )


def has_ended(campaign: Campaign, now: datetime) -> bool:
    """Whether a campaign is over: closed, cancelled, or past its end and about to be closed."""
    if campaign.status is CampaignStatus.LIVE:
        return now >= campaign.ends_at
    return campaign.status not in UNDERWAY


def ending(campaign: Campaign, now: datetime) -> str | None:
    """How an ended campaign ended and what it raised, in the words of its ending notice
    (core/views/notices.py); None while it has not ended."""
    if not has_ended(campaign, now):
        return None
    flexible = campaign.funding_model is FundingModel.FLEXIBLE
    figures = {"raised": raised_of_goal(campaign), "backers": backers(campaign.backers_count)}
    if campaign.status is CampaignStatus.SUCCESSFUL:
        return gettext("Funded: raised {raised} from {backers}").format(**figures)
    if campaign.status is CampaignStatus.CANCELLED:
        if flexible:
            return gettext("Cancelled: every payment is refunded")
        return gettext("Cancelled: no one is charged")
    if campaign.status is CampaignStatus.FAILED and not flexible:
        return gettext("Not funded: {raised} pledged, no one is charged").format(**figures)
    # A flexible campaign keeps what it raised; a live one past its end is being closed.
    return gettext("Ended: raised {raised} from {backers}").format(**figures)


def tier_label(campaign: Campaign, tier: RewardTier, now: datetime) -> str:
    """A tier's button text: its title, price (its late price while late pledges are taken)
    and what is left (units held at checkout are not left), or when the units held at checkout
    may come back; when it opens or closes."""
    price = tier.price(late=campaign.late_open(now)) or tier.amount
    parts = [tier.title, price.format(current_locale.get()), availability(tier, now)]
    return " · ".join(part for part in parts if part)


def late_fields(campaign: Campaign, now: datetime) -> tuple[Field, ...]:
    """Until when late pledges are taken, and what they raised, apart from the funded total;
    nothing for a campaign never opened to them."""
    if campaign.late_until is None:
        return ()
    raised = gettext("{amount} from {backers}").format(
        amount=campaign.late_raised_money.format(current_locale.get()),
        backers=backers(campaign.late_backers),
    )
    fields = [Field(gettext("Raised after the campaign"), raised)]
    if campaign.late_open(now):
        until = gettext("Open until {date}").format(date=date_time(campaign.late_until))
        fields.insert(0, Field(gettext("Late pledges"), until))
    return tuple(fields)


def _story(campaign: Campaign) -> str:
    """The blurb, then the creator's longer description when there is one."""
    return "\n\n".join(part for part in (campaign.blurb, campaign.description) if part)


def pledge_summary(pledge: Pledge, campaign: Campaign) -> str:
    """ "Deluxe edition, £79", or "£25" for a pledge without a reward."""
    amount = Money(pledge.backed_amount, pledge.amount.currency).format(current_locale.get())
    tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
    if tier is None:
        return amount
    return gettext("{reward}, {amount}").format(reward=tier.title, amount=amount)


def backed_field(pledge: Pledge, campaign: Campaign) -> Field:
    """The viewer's own pledge, as the first line of the card's figures."""
    summary = pledge_summary(pledge, campaign)
    if pledge.status is PledgeStatus.AUTHORIZED:
        # A card saved for an all-or-nothing campaign: nothing is charged yet.
        return Field(
            gettext("You pledged"),
            gettext("{pledge}, charged if it reaches its goal").format(pledge=summary),
        )
    return Field(gettext("You backed this"), summary)


def _follow_toggle(campaign: Campaign, following: bool) -> Button:
    """Follow or Unfollow; before its launch, following is asking to be told of it."""
    soon = campaign.status is CampaignStatus.COMING_SOON
    if following:
        label = gettext("Don't notify me") if soon else gettext("Unfollow")
        return Button(label, Unfollow(campaign.id))
    label = gettext("Notify me on launch") if soon else gettext("Follow")
    return Button(label, Follow(campaign.id))


def campaign_card(
    campaign: Campaign,
    now: datetime,
    *,
    following: bool,
    backed: Pledge | None = None,
    waiting: int = 0,
    revealed: RewardTier | None = None,
) -> Card:
    """A campaign with its figures, its listed reward buttons (and the secret one a link
    `revealed`) and a follow toggle; for a viewer who backed it, their pledge and a way to
    change it; coming soon, when it launches and, once they are many, how many are `waiting`
    for it."""
    campaign_id = campaign.id
    code = revealed.secret_code if revealed is not None else None
    tiers = campaign.shown_tiers(code)
    rows: list[tuple[Button, ...]] = []
    if campaign.accepts_pledges(now):
        late = campaign.late_open(now)
        rows.extend(
            (
                Button(
                    tier_label(campaign, tier, now),
                    intents.Pledge(campaign_id, tier.id, tier.secret_code),
                    available=tier.offered(now),
                ),
            )
            for tier in tiers
            # Late backers see only the rewards offered to them.
            if tier.price(late=late) is not None
        )
        rows.append((Button(gettext("Pledge without a reward"), PledgeCustom(campaign_id)),))
    toggle = _follow_toggle(campaign, following)
    if backed is not None and can_change(backed, campaign, now):
        rows.append((Button(gettext("Change my pledge"), ChangePledge(backed.id)),))
    rows.append((Button(gettext("Progress"), FundingChart(campaign_id)), toggle))
    mine = (backed_field(backed, campaign),) if backed is not None else ()
    return Card(
        title=campaign.title,
        subtitle=gettext("by {creator} · {category}").format(
            creator=campaign.creator_name, category=category_name(campaign.category)
        ),
        body=_story(campaign),
        progress=progress(campaign),
        fields=(*mine, *_figures(campaign, now, waiting), *late_fields(campaign, now)),
        image_url=campaign.image_url,
        buttons=tuple(rows),
        sections=_sections(campaign, tiers, now),
    )


def _figures(campaign: Campaign, now: datetime, waiting: int) -> tuple[Field, ...]:
    """The running figures, when it launches while it is coming soon, or once it is over,
    how it ended."""
    funding = Field(gettext("Funding"), funding_model(campaign.funding_model))
    if campaign.status is CampaignStatus.COMING_SOON:
        # A handful waiting reads as nobody caring: the count shows once it says something.
        crowd = (
            (Field(gettext("Waiting"), people_waiting(waiting)),)
            if waiting >= WAITING_SHOWN_FROM
            else ()
        )
        return (
            Field(gettext("Coming soon"), time_left(campaign, now)),
            Field(gettext("Launches"), date_time(campaign.starts_at)),
            *crowd,
            Field(gettext("Ends"), date_time(campaign.ends_at)),
            funding,
        )
    ended = ending(campaign, now)
    if ended is not None:
        # A campaign closed or cancelled before its deadline did not end on that date.
        if campaign.ends_at > now:
            return (Field(gettext("Result"), ended), funding)
        return (
            Field(gettext("Result"), ended),
            Field(gettext("Ended"), date_time(campaign.ends_at)),
            funding,
        )
    return (
        Field(gettext("Raised"), raised_of_goal(campaign)),
        Field(gettext("Backers"), number(campaign.backers_count)),
        # Every platform shows the same count as the lists (not Discord's own rounding of a
        # live timestamp), and the date it counts down to.
        Field(gettext("Time left"), time_left(campaign, now)),
        Field(gettext("Ends"), date_time(campaign.ends_at)),
        funding,
    )


def _sections(
    campaign: Campaign, tiers: list[RewardTier], now: datetime, *, secrets_marked: bool = False
) -> tuple[Section, ...]:
    """Stretch goals first (they are short and tell the progress), then every reward shown,
    secret ones said to be when `secrets_marked`."""
    sections = (
        stretch_section(campaign),
        # While late pledges are taken, what is left of each reward still matters.
        rewards_section(
            tiers,
            now,
            ended=has_ended(campaign, now) and not campaign.late_open(now),
            late=campaign.late_open(now),
            secrets_marked=secrets_marked,
        ),
    )
    return tuple(section for section in sections if section is not None)


def viewer_card(detail: CampaignDetail, now: datetime, *, own: bool) -> Card:
    """A campaign's card for whoever asked: a card of their own (a private chat, a message
    only they see) shows whether they follow it and their pledge; a card a group or server
    shares is everyone's, so it offers Follow to each reader and shows nobody's pledge."""
    if not own:
        return campaign_card(
            detail.campaign, now, following=False, waiting=detail.waiting, revealed=detail.revealed
        )
    return campaign_card(
        detail.campaign,
        now,
        following=detail.following,
        backed=detail.backed,
        waiting=detail.waiting,
        revealed=detail.revealed,
    )


def draft_card(campaign: Campaign, now: datetime) -> Card:
    """A campaign not published yet: its card, every reward spelled out in its sections, the
    secret ones marked, no buttons."""
    card = campaign_card(campaign, now, following=False)
    # Its creator and the operator reviewing it see the secret rewards backers' cards hide.
    sections = _sections(campaign, campaign.tiers, now, secrets_marked=True)
    return replace(card, buttons=(), sections=sections)
