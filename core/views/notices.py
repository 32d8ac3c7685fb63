"""Notifications as their readers see them: translated, with the links that act on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import N_, current_locale, gettext, ngettext
from core.milestones import MilestoneKind
from core.moments import date_time
from core.money import Money
from core.outbox import (
    CampaignEnded,
    CampaignLaunched,
    DeadlineNear,
    DeliveryCounts,
    DisputeOpened,
    Event,
    MilestoneReached,
    PayoutsChanged,
    PledgeReceipt,
    ReferralCredited,
    ReviewDecided,
    ReviewRequested,
    UpdatePosted,
)
from core.pledge_links import RETRY_WINDOW
from core.pledges import PledgeStatus
from core.views.cards import raised_of_goal
from core.views.formatting import backers, number, percent, pledged, time_left
from core.views.intents import Show
from core.views.model import Button, Buttons, Notice
from core.views.pictures import CardPicture, card_picture, celebration_picture
from core.views.reviews import review_decided, review_request


class NoticeLinks(Protocol):
    """Where a notice's buttons lead: campaign pages (crediting a referral) and retry pages."""

    def campaign_url(self, campaign: Campaign, referral_code: str | None = None) -> str | None:
        """A campaign's public page, crediting `referral_code`; None without a web server."""
        ...

    def retry_url(self, pledge_id: int, expires_at: datetime) -> str | None:
        """A page to pay a declined pledge with another card; None without payments."""
        ...

    def picture_url(self, campaign: Campaign, picture: CardPicture) -> str | None:
        """Where a campaign's picture is served; None without a web server."""
        ...


@dataclass(frozen=True, slots=True)
class NoticeContext:
    """What writing one notice needs besides its data: the campaign as it is now, and the
    reader's referral code when the notice is theirs alone."""

    campaign: Campaign
    referral_code: str | None
    links: NoticeLinks
    now: datetime


def notice(event: Event, context: NoticeContext) -> Notice:
    """A notification of an event in the current locale."""
    match event:
        case MilestoneReached():
            return _milestone(event, context)
        case DeadlineNear():
            return _reminder(context)
        case CampaignLaunched():
            return _launched(context)
        case CampaignEnded():
            return _ended(event, context)
        case PledgeReceipt():
            return _receipt(event, context)
        case ReferralCredited():
            return _referral(event, context)
        case UpdatePosted():
            return _update(event, context)
        case DisputeOpened():
            return _dispute(event, context)
        case PayoutsChanged():
            return _payouts(event, context)
        case ReviewRequested():
            return review_request(context.campaign, context.now)
        case ReviewDecided():
            return review_decided(event, context.campaign)


def _backers(campaign: Campaign) -> str:
    return backers(campaign.backers_count)


def _link(label: str, url: str | None) -> Buttons:
    return ((Button(label, url=url),),) if url else ()


def _see_campaign(context: NoticeContext) -> Buttons:
    return _link(gettext("See the campaign"), context.links.campaign_url(context.campaign))


def _back_it(context: NoticeContext) -> Buttons:
    """While pledges are open: the campaign's card in the reader's chat, one tap from its rewards;
    then its page."""
    campaign = context.campaign
    if not campaign.accepts_pledges(context.now):
        return _see_campaign(context)
    back = Button(gettext("Back it"), Show(campaign.id))
    return ((back,), *_see_campaign(context))


def _share(context: NoticeContext) -> Buttons:
    url = context.links.campaign_url(context.campaign, context.referral_code)
    return _link(gettext("Share your link"), url) if context.referral_code else ()


def _milestone(event: MilestoneReached, context: NoticeContext) -> Notice:
    campaign = context.campaign
    raised, backers = raised_of_goal(campaign), _backers(campaign)
    progress = gettext("{raised} from {backers}.").format(raised=raised, backers=backers)
    if event.kind is MilestoneKind.STRETCH:
        goal = Money(event.value, campaign.goal.currency).format(current_locale.get())
        title = gettext("{title} unlocked a stretch goal: {amount}")
        title = title.format(title=campaign.title, amount=goal)
    elif event.value >= 100:
        title = gettext("{title} is funded!").format(title=campaign.title)
    else:
        title = gettext("{title} reached {percent} of its goal").format(
            title=campaign.title, percent=percent(event.value)
        )
        # One sentence to translate: languages order and capitalise the time left differently.
        progress = gettext("{raised} from {backers}, {left}.").format(
            raised=raised, backers=backers, left=time_left(campaign, context.now)
        )
    # As of the minute, like every picture: one drawing serves all its readers in a language.
    minute = context.now.replace(second=0, microsecond=0)
    picture = celebration_picture(campaign, event.kind, event.value, minute)
    return Notice(
        title,
        progress,
        _back_it(context),
        campaign.slug,
        picture,
        context.links.picture_url(campaign, picture),
    )


def _reminder(context: NoticeContext) -> Notice:
    campaign = context.campaign
    title = gettext("{title} ends soon").format(title=campaign.title)
    text = gettext("{left}: {raised} ({percent}). It ends on {end}.").format(
        left=time_left(campaign, context.now),
        raised=raised_of_goal(campaign),
        percent=percent(campaign.percent),
        end=date_time(campaign.ends_at),
    )
    return Notice(title, text, _back_it(context), campaign.slug)


def _launched(context: NoticeContext) -> Notice:
    campaign = context.campaign
    now = context.now
    title = gettext("{title} is live!").format(title=campaign.title)
    lines = [
        campaign.blurb,
        gettext("It takes pledges until {end}.").format(end=date_time(campaign.ends_at)),
    ]
    # Early birds are what waiting for the launch was worth: each named with its price and end.
    lines.extend(
        gettext("Early bird: {reward}, {amount}, until {date}.").format(
            reward=tier.title,
            amount=tier.amount.format(current_locale.get()),
            date=date_time(tier.closes_at),
        )
        for tier in campaign.tiers
        if tier.closes_at is not None and tier.offered(now)
    )
    picture = card_picture(campaign, now.replace(second=0, microsecond=0))
    return Notice(
        title,
        "\n".join(lines),
        _back_it(context),
        campaign.slug,
        picture,
        context.links.picture_url(campaign, picture),
    )


def _ended(event: CampaignEnded, context: NoticeContext) -> Notice:
    campaign = context.campaign
    status = event.status
    flexible = event.funding_model is FundingModel.FLEXIBLE
    raised = gettext("It raised {raised} from {backers}.").format(
        raised=raised_of_goal(campaign), backers=_backers(campaign)
    )
    if status is CampaignStatus.SUCCESSFUL:
        title = gettext("{title} is funded")
        money = (
            gettext("Thank you to everyone who backed it.")
            if flexible
            else gettext("If you backed it, your card is charged now for your pledge.")
        )
    elif status is CampaignStatus.CANCELLED:
        title = gettext("{title} was cancelled")
        money = (
            gettext("Every payment is refunded.")
            if flexible
            else gettext("No one is charged: every pledge is released.")
        )
    elif flexible:
        # A flexible campaign keeps what it raised even under its goal.
        title = gettext("{title} has ended")
        money = gettext("As a flexible campaign, its creator keeps what was pledged.")
    else:
        title = gettext("{title} did not reach its goal")
        money = gettext("No one is charged: every pledge is released.")
    return Notice(title.format(title=campaign.title), f"{raised}\n{money}", _see_campaign(context))


def _reward_title(campaign: Campaign, event: PledgeReceipt) -> str | None:
    # Receipts queued before they carried the reward name none.
    tier = campaign.tier(event.tier_id) if event.tier_id is not None else None
    return tier.title if tier is not None else None


def _receipt(event: PledgeReceipt, context: NoticeContext) -> Notice:
    campaign = context.campaign
    money = event.amount
    reward = _reward_title(campaign, event)
    # The amount and the reward it is for: "€79 for “Deluxe edition”".
    amount = pledged(money, reward)
    status = event.status
    number_line = (
        gettext("You are backer #{number}.").format(number=number(event.backer_number))
        if event.backer_number
        else ""
    )
    if event.raised:
        title = gettext("Pledge changed")
        text = gettext("Your pledge to “{title}” is now {amount}. Thank you for giving more!")
        return Notice(title, text.format(title=campaign.title, amount=amount), _share(context))
    if status is PledgeStatus.PAID:
        title = gettext("Thank you for backing {title}!").format(title=campaign.title)
        text = gettext("Your pledge of {amount} is confirmed.").format(amount=amount)
        invite = gettext("Share your link: whoever backs through it counts as brought by you.")
        return Notice(title, " ".join(filter(None, (text, number_line, invite))), _share(context))
    if status is PledgeStatus.AUTHORIZED:
        title = gettext("Pledge saved for {title}").format(title=campaign.title)
        if reward is None:
            saved = gettext(
                "Your card is saved for {amount}: it is charged only if the campaign reaches its "
                "goal by {end}."
            )
        else:
            saved = gettext(
                "Your card is saved for “{reward}” ({amount}): it is charged only if the campaign "
                "reaches its goal by {end}."
            )
        text = saved.format(
            amount=money.format(current_locale.get()),
            reward=reward,
            end=date_time(campaign.ends_at),
        )
        return Notice(title, " ".join(filter(None, (text, number_line))), _share(context))
    if status is PledgeStatus.FAILED:
        title = gettext("Payment failed for {title}").format(title=campaign.title)
        expires = campaign.ends_at + RETRY_WINDOW
        text = gettext(
            "Your card could not be charged {amount}. You can pay with another card until {end}."
        ).format(amount=amount, end=date_time(expires))
        url = context.links.retry_url(event.pledge_id, expires)
        return Notice(title, text, _link(gettext("Pay now"), url))
    if status is PledgeStatus.REFUNDED:
        title = gettext("Pledge refunded")
        text = gettext(
            "Your pledge of {amount} to {title} was refunded; your bank may take a few days "
            "to show it."
        )
        return Notice(title, text.format(amount=amount, title=campaign.title))
    title = gettext("Pledge cancelled")
    text = gettext("Your pledge of {amount} to {title} is cancelled.")
    return Notice(title, text.format(amount=amount, title=campaign.title))


def _referral(event: ReferralCredited, context: NoticeContext) -> Notice:
    title = gettext("Someone backed {title} through your link").format(title=context.campaign.title)
    count = event.referrals
    text = ngettext(
        "You have brought {count} backer so far. Thank you for spreading the word!",
        "You have brought {count} backers so far. Thank you for spreading the word!",
        count,
    ).format(count=number(count))
    return Notice(title, text, _share(context))


def _update(event: UpdatePosted, context: NoticeContext) -> Notice:
    title = gettext("Update from {title}").format(title=context.campaign.title)
    return Notice(title, event.text, _back_it(context), context.campaign.slug)


def delivery_report(counts: DeliveryCounts, finished: bool) -> str:
    """A creator's view of an update's delivery: "Delivering: 1,234 of 5,000 · 3 unreachable"."""
    if counts.total == 0:
        return gettext("Your update is posted; there is no one to send it to yet.")
    line = (
        gettext("Update delivered to {sent} of {total}")
        if finished
        else gettext("Delivering your update: {sent} of {total}")
    ).format(sent=number(counts.sent), total=number(counts.total))
    if counts.failed:
        unreachable = ngettext("{count} unreachable", "{count} unreachable", counts.failed)
        line += " · " + unreachable.format(count=number(counts.failed))
    return line


# Stripe's dispute reasons, as a creator reads them; another reason is shown as Stripe names it.
_DISPUTE_REASONS = {
    "bank_cannot_process": N_("the bank could not process it"),
    "credit_not_processed": N_("a promised refund did not arrive"),
    "duplicate": N_("charged twice"),
    "fraudulent": N_("the cardholder did not make this payment"),
    "general": N_("no reason given"),
    "product_not_received": N_("the reward never arrived"),
    "product_unacceptable": N_("the reward was not as described"),
    "subscription_canceled": N_("a cancelled subscription was charged"),
    "unrecognized": N_("the cardholder does not recognise the charge"),
}


def dispute_reason(reason: str) -> str:
    """A provider's dispute reason in the reader's language."""
    known = _DISPUTE_REASONS.get(reason)
    return gettext(known) if known is not None else reason


def _dispute(event: DisputeOpened, context: NoticeContext) -> Notice:
    campaign = context.campaign
    title = gettext("A pledge to {title} is disputed").format(title=campaign.title)
    who = (
        gettext("Backer #{number}").format(number=number(event.backer_number))
        if event.backer_number
        else gettext("A backer")
    )
    text = gettext(
        "{who} disputed {amount} with their bank: {reason}. The amount is out of your total "
        "while the dispute is open."
    ).format(
        who=who,
        amount=event.amount.format(current_locale.get()),
        reason=dispute_reason(event.reason),
    )
    if event.evidence_due_by is not None:
        evidence = gettext(
            "Send your evidence (proof of delivery, your messages with the backer) to the team "
            "running Backit before {due}."
        ).format(due=date_time(event.evidence_due_by))
        text = f"{text}\n{evidence}"
    return Notice(title, text, _see_campaign(context))


def _payouts(event: PayoutsChanged, context: NoticeContext) -> Notice:
    campaign = context.campaign
    if event.taking:
        title = gettext("{title} takes pledges again").format(title=campaign.title)
        text = gettext("Your payout account can take payments again.")
        return Notice(title, text, _see_campaign(context))
    title = gettext("New pledges to {title} are paused").format(title=campaign.title)
    text = gettext(
        "Stripe needs more details for your payout account, so it can't take payments. Pledges "
        "already made are safe. Finish setting it up with /payouts."
    )
    return Notice(title, text, _see_campaign(context))
