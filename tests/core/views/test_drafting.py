"""The draft preview spells out each reward's details, in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.views.cards import draft_card
from core.views.drafting import goal_question, reward_preview, shipping, shipping_question
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
        rewards = [f.value for f in draft_card(detailed(campaign), clock.now()).fields[5:]]
    described, worldwide = rewards
    # A long description is shortened: twenty rewards share one message.
    assert described.startswith("Early bird · €50.00 · 10 left\nThe first lamp off the bench, ")
    assert described.split("\n")[1].endswith("…")
    assert len(described.split("\n")[1]) == 80
    assert described.endswith("\nEstimated delivery: March 2027 · Ships to FR, BE")
    assert worldwide == "Lamp · €75.00\nEstimated delivery: August 2027 · Ships worldwide"


def test_the_details_speak_french(campaign: Campaign) -> None:
    early, lamp = detailed(campaign).tiers
    with use_locale("fr"):
        assert (
            reward_preview(lamp)
            == "Livraison estimée\u00a0: août 2027 · Expédié dans le monde entier"
        )
        assert reward_preview(replace(early, description="", ships=False)) == (
            "Livraison estimée\u00a0: mars 2027 · Numérique\u00a0: rien à expédier"
        )
        assert shipping_question("Lampe").example == "numérique, monde entier, ou FR, BE, CH"
        assert goal_question().label == "Objectif, avec sa devise"


def test_form_labels_and_examples_fit_discord_forms() -> None:
    for locale in ("en", "fr"):
        with use_locale(locale):
            question = shipping_question("x" * 60)
            assert len(question.label) <= 45
            assert len(question.example) <= 100


def test_a_long_list_of_countries_names_the_first_few() -> None:
    many = ("FR", "BE", "CH", "DE", "NL", "ES", "IT", "LU", "AT", "PT")
    with use_locale("en"):
        assert shipping(True, many[:8]) == "Ships to FR, BE, CH, DE, NL, ES, IT, LU"
        assert shipping(True, many[:9]) == (
            "Ships to FR, BE, CH, DE, NL, ES, IT, LU and 1 other country"
        )
        assert (
            shipping(True, many) == "Ships to FR, BE, CH, DE, NL, ES, IT, LU and 2 other countries"
        )
    with use_locale("fr"):
        assert shipping(True, many) == (
            "Expédié vers FR, BE, CH, DE, NL, ES, IT, LU et 2 autres pays"
        )
