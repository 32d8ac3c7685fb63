"""Reviewing as creators and operators read it: the card an operator decides on, its buttons,
and what each side is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus
from core.i18n import gettext
from core.moments import date_time
from core.outbox import ReviewDecided
from core.usecases.reviewing import REASON_MAX, Decision, Submission
from core.views.cards import draft_card
from core.views.formatting import duration, labelled
from core.views.intents import Approve, RequestChanges, Show
from core.views.model import Button, Buttons, Card, Notice, Reply
from core.views.pictures import card_picture


def card_text(card: Card) -> str:
    """A card as plain text, everything it says in the order it says it (its title aside):
    what an operator reads before deciding."""
    lines = [card.subtitle, ""]
    if card.body:
        lines += [card.body, ""]
    lines.append(f"{card.progress.bar} {card.progress.label}")
    lines += [f"{labelled(field.name)} {field.value}" for field in card.fields]
    for section in card.sections:
        lines += ["", section.title]
        for entry in section.entries:
            lines.append(f"▸ {entry.heading}" if entry.lines else entry.heading)
            lines += list(entry.lines)
    return "\n".join(lines)


def approve_label() -> str:
    """The button that publishes a campaign waiting for review."""
    return gettext("Approve")


def request_changes_label() -> str:
    """The button that sends a campaign back to its creator, asking why first."""
    return gettext("Request changes")


def review_buttons(campaign_id: int) -> Buttons:
    """An operator's two choices about a campaign waiting for review."""
    return (
        (
            Button(approve_label(), Approve(campaign_id)),
            Button(request_changes_label(), RequestChanges(campaign_id)),
        ),
    )


def review_request(campaign: Campaign, now: datetime) -> Notice:
    """An operator's notice of a campaign submitted for review: its card as backers will see
    it (its picture too, where the whole fits under one), with Approve and Request changes."""
    title = gettext("Review requested: {title}").format(title=campaign.title)
    if campaign.starts_at > now:
        when = gettext("it would launch on {start}.").format(start=date_time(campaign.starts_at))
        # The card as backers will see it once approved: coming soon until its start.
        shown = replace(campaign, status=CampaignStatus.COMING_SOON)
    else:
        run = duration(campaign.ends_at - campaign.starts_at)
        when = gettext("approved, it launches at once and runs for {run}.").format(run=run)
        # Approved after its start, it launches then, for the whole of its run.
        shown = replace(campaign.launched_at(now), status=CampaignStatus.LIVE)
    submitted = gettext("Submitted by {creator} as {slug}; {when}").format(
        creator=campaign.creator_name, slug=campaign.slug, when=when
    )
    card = draft_card(shown, now)
    text = f"{submitted}\n\n{card_text(card)}"
    # As of the minute, like every picture; not served by the web server while unpublished.
    picture = card_picture(campaign, now.replace(second=0, microsecond=0))
    return Notice(title, text, review_buttons(campaign.id), None, picture)


def review_decided(event: ReviewDecided, campaign: Campaign) -> Notice:
    """A creator's notice of an operator's decision: published, or the changes asked for."""
    if not event.approved:
        title = gettext("Changes requested for {title}").format(title=campaign.title)
        text = gettext(
            "An operator asked for changes before publishing it:\n\n{reason}\n\n"
            "When it is ready, submit it again with /submit {slug}."
        ).format(reason=event.reason, slug=campaign.slug)
        return Notice(title, text)
    title = gettext("{title} is approved").format(title=campaign.title)
    if event.status is CampaignStatus.COMING_SOON:
        text = gettext(
            "It is published as coming soon: people can discover it now, and back it from {start}."
        ).format(start=date_time(campaign.starts_at))
    else:
        text = gettext("It is live: people can discover it and back it now.")
    see = Button(gettext("See the campaign"), Show(campaign.id))
    return Notice(title, text, ((see,),), campaign.slug)


def submitted(submission: Submission) -> Reply:
    """What a creator is told once their campaign is sent for review."""
    campaign = submission.campaign
    if submission.already:
        text = gettext("“{title}” is already waiting for review.")
    elif submission.operators:
        text = gettext(
            "“{title}” is sent for review. An operator will approve it or ask for changes, "
            "and you will hear which here."
        )
    else:
        text = gettext(
            "“{title}” is sent for review. An operator will review it (from Backit's command "
            "line), and you will hear the decision here."
        )
    return Reply(text.format(title=campaign.title))


def draft_submitted(submission: Submission) -> str:
    """The end of /newcampaign: the draft stored as `slug`, and sent for review."""
    saved = gettext("Your draft “{title}” is saved as {slug}.").format(
        title=submission.campaign.title, slug=submission.campaign.slug
    )
    return f"{saved} {submitted(submission).text}"


def draft_kept(title: str, slug: str, refusal: str) -> str:
    """The end of /newcampaign when the draft could not be sent for review."""
    return gettext(
        "Your draft “{title}” is saved as {slug}, but it could not be sent for review: "
        "{refusal} Send /submit {slug} to try again."
    ).format(title=title, slug=slug, refusal=refusal)


def approved(decision: Decision) -> Reply:
    """What the approving operator is told."""
    campaign = decision.campaign
    if decision.already:
        text = gettext("“{title}” was already approved.")
    elif campaign.status is CampaignStatus.COMING_SOON:
        text = gettext("“{title}” is approved: coming soon until {start}. Its creator is told.")
    else:
        text = gettext("“{title}” is approved and live. Its creator is told.")
    return Reply(text.format(title=campaign.title, start=date_time(campaign.starts_at)))


def reason_question(campaign: Campaign) -> str:
    """What an operator is asked after pressing Request changes."""
    return gettext(
        "What should the creator of “{title}” change? Send it as your next message "
        "(at most {limit} characters)."
    ).format(title=campaign.title, limit=REASON_MAX)


def reason_label() -> str:
    """A form field's label: the changes a campaign needs."""
    return gettext("What should the creator change?")


def changes_sent(decision: Decision) -> Reply:
    """What the operator is told once the reason is on its way to the creator."""
    text = gettext(
        "“{title}” is back with its creator, with your reason. It comes back here "
        "when they submit it again."
    )
    return Reply(text.format(title=decision.campaign.title))
