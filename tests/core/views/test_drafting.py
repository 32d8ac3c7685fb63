"""The draft preview spells out each reward's details, in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.views.cards import campaign_card, draft_card
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


def limited(campaign: Campaign, now: datetime) -> Campaign:
    """The draft with its first reward an early bird for two days, its second secret."""
    early, lamp = detailed(campaign).tiers
    return replace(
        detailed(campaign),
        tiers=[
            replace(early, closes_at=now + timedelta(days=2)),
            replace(lamp, secret_code="Lamp0Code1"),
        ],
    )


def test_the_preview_shows_an_early_birds_close_and_the_secret_rewards_backers_do_not_see(
    campaign: Campaign, clock: FixedClock
) -> None:
    draft = limited(campaign, clock.now())
    with use_locale("en"):
        *_, rewards = draft_card(draft, clock.now()).sections
        *_, public = campaign_card(draft, clock.now(), following=False).sections
    early, secret = rewards.entries
    assert early.lines[-1] == "Until Nov 3, 2026 at 12:00\u202fPM UTC"
    assert secret.heading == "Lamp · €75.00"
    assert secret.lines[0] == "Secret: offered by link only"
    assert "Secret: offered by link only" not in early.lines
    assert [entry.heading for entry in public.entries] == ["Early bird · €50.00"]
    with use_locale("fr"):
        *_, rewards = draft_card(draft, clock.now()).sections
    assert rewards.entries[1].lines[0] == "Secrète\u00a0: proposée par lien seulement"
