"""What a card tells about each reward and each stretch goal, in English and French."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.campaigns import Campaign
from core.i18n import use_locale
from core.views.cards import campaign_card
from core.views.model import Card, Entry, Section
from tests.fakes import FixedClock


def section(card: Card, title: str) -> Section:
    """The card's section with that title."""
    return next(section for section in card.sections if section.title == title)


def detailed(campaign: Campaign) -> Campaign:
    """The campaign with a shipped, dated, partly claimed first tier and a digital second."""
    early, lamp = campaign.tiers
    early.estimated_delivery = date(2027, 3, 1)
    early.ships = True
    early.ship_countries = ("FR", "BE", "DE")
    early.claimed = 4
    lamp.claimed = 1
    return replace(campaign, raised=160_000, stretch_goals=(150_000, 200_000))


def test_each_reward_says_what_it_is_when_and_where_it_comes_and_its_uptake(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        card = campaign_card(detailed(campaign), clock.now(), following=False)
    assert section(card, "Rewards").entries == (
        Entry(
            "Early bird · €50.00",
            (
                "One lamp, cheaper",
                "Estimated delivery: March 2027",
                "Ships to France, Belgium, and Germany",
                "4 backers · 6 of 10 left",
            ),
        ),
        Entry("Lamp · €75.00", ("One lamp", "Digital, no shipping", "1 backer")),
    )
    # The buttons stay short: the details are in the section.
    assert card.buttons[0][0].label == "Early bird · €50.00 · 6 left"


def test_rewards_speak_french_with_french_months_and_country_names(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("fr"):
        card = campaign_card(detailed(campaign), clock.now(), following=False)
    early, lamp = section(card, "Contreparties").entries
    assert early.heading == "Early bird · 50,00\u00a0€"
    assert early.lines[1:] == (
        "Livraison estimée\u00a0: mars 2027",
        "Expédition\u00a0: France, Belgique et Allemagne",
        "4 contributeurs · encore 6 sur 10",
    )
    assert lamp.lines[1:] == ("Numérique, sans envoi", "1 contributeur")


def test_a_long_country_list_names_the_first_and_counts_the_others(
    campaign: Campaign, clock: FixedClock
) -> None:
    tier = campaign.tiers[0]
    tier.ships = True
    tier.ship_countries = ("FR", "BE", "DE", "NL", "LU", "CH", "IT", "ES", "PT", "AT", "IE")
    with use_locale("en"):
        lines = section(campaign_card(campaign, clock.now(), following=False), "Rewards")
    assert lines.entries[0].lines[1] == (
        "Ships to France, Belgium, Germany, Netherlands, Luxembourg, Switzerland, Italy, Spain,"
        " and 3 other countries"
    )


def test_a_sold_out_reward_says_so_with_its_backers(campaign: Campaign, clock: FixedClock) -> None:
    campaign.tiers[0].claimed = 10
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
    assert section(card, "Rewards").entries[0].lines[-1] == "10 backers · Sold out"


def test_stretch_goals_say_which_are_reached_and_what_the_others_need(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        card = campaign_card(detailed(campaign), clock.now(), following=False)
    assert card.sections[0] == Section(
        "Stretch goals",
        (Entry("✓ €1,500.00 reached"), Entry("€2,000.00: €400.00 to go")),
    )
    with use_locale("fr"):
        card = campaign_card(detailed(campaign), clock.now(), following=False)
    assert [entry.heading for entry in section(card, "Paliers").entries] == [
        "✓ 1\u202f500,00\u00a0€ atteint",
        "2\u202f000,00\u00a0€\u00a0: encore 400,00\u00a0€",
    ]


def test_a_campaign_without_stretch_goals_or_rewards_has_no_such_sections(
    campaign: Campaign, clock: FixedClock
) -> None:
    bare = replace(campaign, stretch_goals=(), tiers=[])
    assert campaign_card(bare, clock.now(), following=False).sections == ()
