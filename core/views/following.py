"""Following: what a person hears when they follow or unfollow a campaign."""

from __future__ import annotations

from core.campaigns import Campaign, CampaignStatus
from core.i18n import gettext
from core.views.model import Reply


def followed(campaign: Campaign) -> Reply:
    """Following a campaign, and what that brings: before its launch, word of it."""
    if campaign.status is CampaignStatus.COMING_SOON:
        return Reply(
            gettext("You will be told when “{title}” launches.").format(title=campaign.title)
        )
    return Reply(
        gettext("You follow “{title}”: you will hear about its milestones.").format(
            title=campaign.title
        )
    )


def unfollowed(campaign: Campaign) -> Reply:
    """No longer following a campaign."""
    return Reply(gettext("You no longer follow “{title}”.").format(title=campaign.title))
