"""Short replies both chat surfaces give: pledge offers, cancelling, following, languages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.campaigns import Campaign
from core.i18n import use_locale
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.views.cancelling import cancel_question, cancelled, kept
from core.views.failures import apology
from core.views.following import followed, unfollowed
from core.views.intents import ConfirmCancel, KeepPledge, Language
from core.views.languages import language_chosen, language_picker, unknown_language
from core.views.model import Button, Reply
from core.views.pledge_offers import amount_offer, amount_question, reward_offer, unexpected_text
from tests.fakes import FixedClock

URL = "https://backit.test/pledge/t"


def lanternfall(campaign: Campaign) -> Campaign:
    """The campaign under another title."""
    return replace(campaign, title="Lanternfall")


def pledge_of(campaign: Campaign, amount: Money) -> Pledge:
    """A paid pledge to the campaign."""
    now = FixedClock().now()
    return Pledge(7, 1, campaign.id, None, amount, PledgeStatus.PAID, now, now)


def test_a_reward_offer_is_one_personal_link(campaign: Campaign, clock: FixedClock) -> None:
    tier = campaign.tiers[0]
    with use_locale("en"):
        offer = reward_offer(lanternfall(campaign), tier, clock.now(), URL)
    assert offer.text == (
        f"Back “Lanternfall” with {tier.title}: one tap takes you to the secure payment page."
    )
    ((button,),) = offer.buttons
    assert button.label.startswith(f"Pledge: {tier.title} · ")
    assert button.url == URL


def test_an_amount_offer_shows_the_amount_in_the_readers_format(campaign: Campaign) -> None:
    with use_locale("fr"):
        offer = amount_offer(lanternfall(campaign), Money(1_250, "EUR"), URL)
    assert offer == Reply(
        "Soutenez «\u00a0Lanternfall\u00a0» avec 12,50\u00a0€\u00a0: un seul geste vous mène à la "
        "page de paiement sécurisée.",
        ((Button("Contribuer 12,50\u00a0€", url=URL),),),
    )


@pytest.mark.parametrize(
    ("currency", "maximum", "expected"),
    [
        ("EUR", 1_000_000, "Send an amount between €0.50 and €10,000.00."),
        ("JPY", 1_500_000, "Send an amount between ¥50 and ¥1,500,000."),
    ],
)
def test_the_amount_question_names_the_real_minimum_and_maximum(
    campaign: Campaign, currency: str, maximum: int, expected: str
) -> None:
    priced = replace(lanternfall(campaign), goal=Money(100_000, currency))
    with use_locale("en"):
        question = amount_question(priced, Money(maximum, currency))
    assert question.text == f"How much would you like to pledge to “Lanternfall”? {expected}"
    assert question.buttons == ()


def test_the_cancel_question_names_the_amount_and_campaign(campaign: Campaign) -> None:
    pledge = pledge_of(lanternfall(campaign), Money(1_200, "EUR"))
    with use_locale("en"):
        question = cancel_question(pledge, lanternfall(campaign))
    assert question == Reply(
        "Cancel your €12.00 pledge to “Lanternfall”?",
        ((Button("Cancel pledge", ConfirmCancel(7)), Button("Keep it", KeepPledge(7))),),
    )
    with use_locale("fr"):
        french = cancel_question(pledge, lanternfall(campaign))
        answers = (cancelled().text, kept().text)
    assert (
        french.text
        == "Annuler votre contribution de 12,00\u00a0€ à «\u00a0Lanternfall\u00a0»\u00a0?"
    )
    assert [b.label for b in french.buttons[0]] == ["Annuler la contribution", "La garder"]
    assert answers == ("Votre contribution est annulée.", "Votre contribution reste telle quelle.")


def test_following_and_unfollowing_name_the_campaign(campaign: Campaign) -> None:
    with use_locale("en"):
        assert followed(lanternfall(campaign)).text == (
            "You follow “Lanternfall”: you will hear about its milestones."
        )
        assert unfollowed(lanternfall(campaign)).text == "You no longer follow “Lanternfall”."


def test_languages_are_listed_under_their_own_names_and_confirmed_in_the_one_chosen() -> None:
    with use_locale("fr"):
        picker = language_picker()
        unknown = unknown_language()
        chosen = language_chosen("en")
    assert picker.text == "Choisissez votre langue\u00a0:"
    assert picker.buttons == (
        (Button("English", Language("en")),),
        (Button("Français", Language("fr")),),
    )
    assert "/language en (English), /language fr (Français)" in unknown.text
    assert chosen.text == "Done: I will speak English with you."


def test_unexpected_text_gets_the_way_on() -> None:
    with use_locale("en"):
        assert unexpected_text().text == "Send /discover to find campaigns, or /help."
    with use_locale("fr"):
        assert unexpected_text().text == "Envoyez /discover pour trouver des campagnes, ou /help."


def test_the_apology_asks_to_try_again_in_the_readers_language() -> None:
    with use_locale("fr"):
        assert apology().text == "Désolé, un problème est survenu. Veuillez réessayer."
