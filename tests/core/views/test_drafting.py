"""The draft preview spells out each reward's details, in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.views.cards import draft_card
from core.views.drafting import goal_question, shipping_question
from tests.fakes import FixedClock


def detailed(campaign: Campaign) -> Campaign:
    """The campaign as a draft whose rewards say what they are, when and where they go."""
    early, lamp = campaign.tiers
    return replace(
        campaign,
        status=CampaignStatus.DRAFT,
        tiers=[
            replace(
                early,
                description="The first lamp off the bench,\nsigned. " + "Oak " * 40,
                estimated_delivery=date(2027, 3, 1),
                ships=True,
                ship_countries=("FR", "BE"),
            ),
            replace(lamp, description="", estimated_delivery=date(2027, 8, 1), ships=True),
        ],
    )


def test_the_preview_shows_each_rewards_description_delivery_and_shipping(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        *_, rewards = draft_card(detailed(campaign), clock.now()).sections
    described, worldwide = rewards.entries
    assert described.heading == "Early bird · €50.00"
    assert described.lines[0].startswith("The first lamp off the bench,\nsigned. Oak")
    assert described.lines[1:3] == ("Estimated delivery: March 2027", "Ships to France and Belgium")
    assert worldwide.lines[:2] == ("Estimated delivery: August 2027", "Ships worldwide")


def test_the_details_speak_french(campaign: Campaign, clock: FixedClock) -> None:
    with use_locale("fr"):
        *_, rewards = draft_card(detailed(campaign), clock.now()).sections
        assert rewards.entries[1].lines[:2] == (
            "Livraison estimée\u00a0: août 2027",
            "Expédié dans le monde entier",
        )
        assert shipping_question("Lampe").example == "numérique, monde entier, ou FR, BE, CH"
        assert goal_question().label == "Objectif, avec sa devise"


def test_form_labels_and_examples_fit_discord_forms() -> None:
    for locale in ("en", "fr"):
        with use_locale(locale):
            question = shipping_question("x" * 60)
            assert len(question.label) <= 45
            assert len(question.example) <= 100
