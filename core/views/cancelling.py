"""Cancelling a pledge: the question, its answers."""

from __future__ import annotations

from core.campaigns import Campaign
from core.i18n import current_locale, gettext
from core.pledges import Pledge
from core.views.intents import ConfirmCancel, KeepPledge
from core.views.model import Button, Reply


def cancel_question(pledge: Pledge, campaign: Campaign) -> Reply:
    """Whether to cancel this pledge, asked with its amount and campaign, since money may move."""
    # A pledge raised by top-ups is cancelled whole: all of it is what may move.
    text = gettext("Cancel your {amount} pledge to “{title}”?").format(
        amount=pledge.with_top_ups.format(current_locale.get()), title=campaign.title
    )
    return Reply(
        text,
        (
            (
                Button(gettext("Cancel pledge"), ConfirmCancel(pledge.id)),
                Button(gettext("Keep it"), KeepPledge(pledge.id)),
            ),
        ),
    )


def cancelled() -> Reply:
    """The pledge is cancelled (its payment refunded or its card released)."""
    return Reply(gettext("Your pledge is cancelled."))


def kept() -> Reply:
    """The answer to "Keep it": nothing changed."""
    return Reply(gettext("Your pledge stays as it is."))
