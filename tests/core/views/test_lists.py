"""List pages: browse with sorting and paging, follows, pledges."""

from __future__ import annotations

from core.campaigns import Campaign
from core.categories import CATEGORIES
from core.i18n import use_locale
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import BrowsePage
from core.views.intents import Browse, Categories, Show
from core.views.lists import (
    browse_page,
    category_picker,
    following_page,
    pledges_page,
    search_page,
)
from core.views.model import Button
from tests.fakes import FixedClock


def test_a_middle_page_links_both_ways_and_marks_the_sort(
    campaign: Campaign, clock: FixedClock
) -> None:
    query = CampaignQuery(sort=Sort.MOST_BACKED, category="design", offset=5, limit=5)
    with use_locale("en"):
        page = browse_page(BrowsePage(query, [campaign], total=12), clock.now())
    assert page.title == "Most backed · Design"
    assert page.footer == "Page 2 of 3"
    assert page.first_number == 6
    assert page.items[0].intent == Show(campaign.id)
    assert page.items[0].detail == "0% · €0.00 of €1,000.00 · 29 days left"
    sorts = [button.label for row in page.buttons[:2] for button in row]
    assert "• Most backed" in sorts
    assert len(sorts) == 7
    assert [b.label for b in page.buttons[2]] == ["Category: Design ▾"]
    assert page.buttons[2][0].intent == Categories(Sort.MOST_BACKED)
    previous, following = page.buttons[3]
    assert previous.intent == Browse(Sort.MOST_BACKED, "design", 0)
    assert following.intent == Browse(Sort.MOST_BACKED, "design", 10)


def test_the_only_page_has_no_paging_buttons(campaign: Campaign, clock: FixedClock) -> None:
    with use_locale("fr"):
        page = browse_page(BrowsePage(CampaignQuery(), [campaign], total=1), clock.now())
    assert page.title == "Tendances"
    assert page.footer == "Page 1 sur 1"
    assert len(page.buttons) == 3
    assert page.buttons[2][0].label == "Catégorie\u00a0: Toutes les catégories ▾"


def test_a_chosen_category_is_named_in_the_title_in_the_readers_language(
    campaign: Campaign, clock: FixedClock
) -> None:
    query = CampaignQuery(sort=Sort.ENDING_SOON, category="music")
    with use_locale("fr"):
        page = browse_page(BrowsePage(query, [campaign], total=1), clock.now())
    assert page.title == "Bientôt finies · Musique"
    assert page.first_number == 1


def test_empty_lists_explain_themselves(clock: FixedClock) -> None:
    with use_locale("en"):
        assert following_page([], clock.now()).empty_text.startswith("You do not follow")


def test_empty_lists_lead_to_the_first_page_of_discover(clock: FixedClock) -> None:
    nothing = BrowsePage(CampaignQuery(text="boat"), [], total=0)
    with use_locale("fr"):
        pages = [
            following_page([], clock.now()),
            pledges_page([], clock.now()),
            search_page(nothing, clock.now()),
        ]
    for page in pages:
        assert page.buttons == ((Button("Découvrir les campagnes", Browse()),),)
    assert Browse().encode() == "b:trending::0"


def test_lists_with_lines_need_no_way_on(campaign: Campaign, clock: FixedClock) -> None:
    found = BrowsePage(CampaignQuery(text="lamp"), [campaign], total=1)
    assert following_page([campaign], clock.now()).buttons == ()
    assert search_page(found, clock.now()).buttons == ()


def test_the_category_picker_keeps_the_sort_and_offers_every_category() -> None:
    with use_locale("en"):
        picker = category_picker(Sort.ENDING_SOON)
    buttons = [button for row in picker.buttons for button in row]
    assert len(buttons) == len(CATEGORIES) + 1
    assert buttons[0].label == "Art"
    assert buttons[0].intent == Browse(Sort.ENDING_SOON, "art")
    assert buttons[-1].intent == Browse(Sort.ENDING_SOON)
    assert all(len(row) <= 2 for row in picker.buttons)


def test_a_pledge_for_a_reward_is_listed_by_the_rewards_name_and_price(
    campaign: Campaign, clock: FixedClock
) -> None:
    tier = campaign.tiers[0]

    def pledge(pledge_id: int, tier_id: int | None, amount: int, number: int) -> Pledge:
        return Pledge(
            pledge_id,
            1,
            campaign.id,
            tier_id,
            Money(amount, "EUR"),
            PledgeStatus.PAID,
            clock.now(),
            clock.now(),
            backer_number=number,
        )

    pledges = [(pledge(2, tier.id, 5_000, 2), campaign), (pledge(1, None, 2_500, 1), campaign)]
    with use_locale("en"):
        english = pledges_page(pledges, clock.now())
    with use_locale("fr"):
        french = pledges_page(pledges, clock.now())

    assert [item.detail for item in english.items] == [
        "Early bird · €50.00 · Paid · backer #2",
        "€25.00 · Paid · backer #1",
    ]
    assert french.items[0].detail == "Early bird · 50,00\xa0€ · Payée · contributeur n°\xa02"
