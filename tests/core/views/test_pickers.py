"""Pickers and the linked marker: what a chat shows of the campaigns it could be about."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.campaigns import Campaign
from core.i18n import use_locale
from core.ports import CampaignQuery
from core.usecases.browsing import BrowsePage
from core.usecases.choosing import Purpose
from core.views.intents import Pick, StaleButton, decode
from core.views.lists import browse_page, search_page
from core.views.pickers import campaign_picker, pick_intent, picked
from tests.fakes import FixedClock


def test_lists_mark_only_the_campaigns_linked_to_the_chat(
    campaign: Campaign, clock: FixedClock
) -> None:
    other = replace(campaign, id=campaign.id + 1, title="Other")
    page = BrowsePage(CampaignQuery(text="lamp"), [campaign, other], total=2)
    with use_locale("fr"):
        marked = browse_page(page, clock.now(), linked=(campaign.id,))
        found = search_page(page, clock.now(), linked=(campaign.id,))
    for listing in (marked, found):
        assert listing.items[0].detail.startswith("⚑ Liée ici · 0\u00a0% · ")
        assert "⚑" not in listing.items[1].detail


def test_a_picker_offers_each_campaign_for_its_command(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        picker = campaign_picker(Purpose.LINK, [campaign], clock.now())
        empty = campaign_picker(Purpose.UPDATE, [], clock.now())
    assert picker.title == "Which campaign should be linked here?"
    assert picker.items[0].title == campaign.title
    assert picker.items[0].intent == Pick("link", campaign.id)
    assert (empty.items, empty.empty_text) == ((), "You have not created a campaign yet.")


def test_a_picked_button_is_read_back_and_a_forged_one_is_stale() -> None:
    assert picked(pick_intent(Purpose.AMBASSADORS, 12)) is Purpose.AMBASSADORS
    with pytest.raises(StaleButton):
        picked(Pick("launch", 3))
    for forged in ("w:link:x", "w:link", "w", "w:LINK:3", "w:link:3:4"):
        with pytest.raises(StaleButton):
            decode(forged)
