"""Communities: only admins change a chat's links and announcements."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound
from core.identity import Platform
from core.ports import CampaignQuery
from core.usecases.browsing import browse
from core.usecases.communities import (
    NotChatAdmin,
    Place,
    community_here,
    link_campaign,
    linked_campaigns,
    set_announcements,
    unlink_campaign,
)
from core.usecases.managing import create_campaign, publish_campaign
from tests.core.conftest import CREATOR, caller, draft
from tests.fakes import FakeDatabase, FixedClock

GROUP = Place(Platform.TELEGRAM, "-100", "Makers", "fr", caller_is_admin=True)
MEMBER = Place(Platform.TELEGRAM, "-100", "Makers", "fr", caller_is_admin=False)


async def test_an_admin_links_and_unlinks_a_campaign(db: FakeDatabase, campaign: Campaign) -> None:
    await link_campaign(db.unit_of_work, GROUP, "lamp")
    await link_campaign(db.unit_of_work, GROUP, "lamp")
    assert [c.slug for c in await linked_campaigns(db.unit_of_work, GROUP)] == ["lamp"]
    [community] = db.state.communities.values()
    assert (community.title, community.locale, community.announcements) == ("Makers", "fr", True)
    await unlink_campaign(db.unit_of_work, GROUP, "lamp")
    assert await linked_campaigns(db.unit_of_work, GROUP) == []


async def test_members_who_are_not_admins_change_nothing(
    db: FakeDatabase, campaign: Campaign
) -> None:
    for action in (link_campaign, unlink_campaign):
        with pytest.raises(NotChatAdmin):
            await action(db.unit_of_work, MEMBER, "lamp")
    with pytest.raises(NotChatAdmin):
        await set_announcements(db.unit_of_work, MEMBER, False)
    assert db.state.communities == {}


async def test_announcements_can_be_turned_off_and_keep_the_links(
    db: FakeDatabase, campaign: Campaign
) -> None:
    await link_campaign(db.unit_of_work, GROUP, "lamp")
    community = await set_announcements(db.unit_of_work, GROUP, False, channel_id="77")
    assert (community.announcements, community.announce_channel_id) == (False, "77")
    assert community.linked_campaign_ids == (campaign.id,)


async def test_linking_an_unknown_campaign_is_refused(db: FakeDatabase) -> None:
    with pytest.raises(CampaignNotFound):
        await link_campaign(db.unit_of_work, GROUP, "nope")


async def test_a_draft_is_linked_by_its_creator_only(db: FakeDatabase, clock: FixedClock) -> None:
    await create_campaign(db.unit_of_work(), draft(clock, slug="zine", title="Zine"))
    with pytest.raises(CampaignNotFound):
        await link_campaign(db.unit_of_work, replace(GROUP, caller=caller(1).identity), "zine")
    linked = await link_campaign(db.unit_of_work, replace(GROUP, caller=CREATOR), "zine")
    assert linked.slug == "zine"


async def test_a_chats_linked_campaigns_are_browsed_first(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await create_campaign(db.unit_of_work(), draft(clock, slug="zine", title="Zine"))
    await publish_campaign(db.unit_of_work(), clock, "zine")
    await link_campaign(db.unit_of_work, GROUP, "zine")
    here = await community_here(db.unit_of_work, Platform.TELEGRAM, "-100")
    assert here is not None
    page = await browse(db.unit_of_work(), clock, CampaignQuery(community_id=here.id, limit=5))
    assert [c.slug for c in page.campaigns] == ["zine", "lamp"]
