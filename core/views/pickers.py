"""Pickers: the campaigns a command could be about, each a button, instead of typing a name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.campaigns import Campaign
from core.i18n import N_, gettext
from core.usecases.choosing import Purpose
from core.views.intents import Pick, StaleButton
from core.views.lists import campaign_item
from core.views.model import ListPage

QUESTIONS = {
    Purpose.CAMPAIGN: N_("Which campaign?"),
    Purpose.LINK: N_("Which campaign should be linked here?"),
    Purpose.UNLINK: N_("Which campaign should no longer be linked here?"),
    Purpose.UPDATE: N_("Which campaign is your update about?"),
    Purpose.AMBASSADORS: N_("Which campaign's ambassadors?"),
    Purpose.UPDATES: N_("Which campaign's updates?"),
    Purpose.SUBMIT: N_("Which draft should be sent for review?"),
}
NOTHING = {
    Purpose.CAMPAIGN: N_("No campaign is live right now."),
    Purpose.LINK: N_("No campaign is live right now, and you have none of your own."),
    Purpose.UNLINK: N_("No campaign is linked here."),
    Purpose.UPDATE: N_("You have not created a campaign yet."),
    Purpose.AMBASSADORS: N_("You have not created a campaign yet."),
    Purpose.UPDATES: N_("No campaign is live right now."),
    Purpose.SUBMIT: N_("You have no draft to send for review. /newcampaign to start one."),
}


def pick_intent(purpose: Purpose, campaign_id: int) -> Pick:
    """What pressing a campaign in a picker asks for."""
    return Pick(purpose.value, campaign_id)


def picked(intent: Pick) -> Purpose:
    """The command a picker's button was for (StaleButton if it names none)."""
    try:
        return Purpose(intent.purpose)
    except ValueError:
        raise StaleButton() from None


def campaign_picker(purpose: Purpose, campaigns: Sequence[Campaign], now: datetime) -> ListPage:
    """The campaigns to pick from, each line a button that runs the command for it."""
    return ListPage(
        title=gettext(QUESTIONS[purpose]),
        items=tuple(
            replace(campaign_item(campaign, now), intent=pick_intent(purpose, campaign.id))
            for campaign in campaigns
        ),
        buttons=(),
        empty_text=gettext(NOTHING[purpose]),
    )
