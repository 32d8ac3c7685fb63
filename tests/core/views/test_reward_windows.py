"""What a card says of a reward open for a limited time, and that only an open one is a link."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign
from core.i18n import use_locale
from core.views.cards import campaign_card
from core.views.model import Card
from tests.fakes import FixedClock


def windowed(campaign: Campaign, clock: FixedClock, opens: int | None, closes: int) -> Campaign:
    """The campaign with its first reward (10 units) open between those hours from now."""
    early = campaign.tiers[0]
    early.opens_at = None if opens is None else clock.now() + timedelta(hours=opens)
    early.closes_at = clock.now() + timedelta(hours=closes)
    return campaign


def card(campaign: Campaign, clock: FixedClock, locale: str) -> Card:
    """The card as a reader in that locale sees it now."""
    with use_locale(locale):
        return campaign_card(campaign, clock.now(), following=False)


def test_an_open_early_bird_says_when_it_closes_and_is_a_pledge_button(
    campaign: Campaign, clock: FixedClock
) -> None:
    windowed(campaign, clock, None, 50)
    english, french = card(campaign, clock, "en"), card(campaign, clock, "fr")
    button = english.buttons[0][0]
    assert button.label == "Early bird · €50.00 · 10 left · closes in 2 days"
    assert button.available
    assert (
        french.buttons[0][0].label
        == "Early bird · 50,00\u00a0€ · 10 restantes · ferme dans 2\u00a0jours"
    )
    assert english.sections[-1].entries[0].lines[-1] == "Until Nov 3, 2026 at 2:00\u202fPM UTC"
    assert french.sections[-1].entries[0].lines[-1] == "Jusqu’au 3 nov. 2026 à 14:00 UTC"


def test_a_reward_not_open_yet_says_when_it_opens_and_is_no_pledge_button(
    campaign: Campaign, clock: FixedClock
) -> None:
    windowed(campaign, clock, 24 * 9, 24 * 12)
    english, french = card(campaign, clock, "en"), card(campaign, clock, "fr")
    button = english.buttons[0][0]
    assert (button.label, button.available) == ("Early bird · €50.00 · opens Nov 10", False)
    assert french.buttons[0][0].label == "Early bird · 50,00\u00a0€ · ouvre le 10 nov."
    assert english.sections[-1].entries[0].lines[-1] == "Opens on Nov 10, 2026 at 12:00\u202fPM UTC"


def test_a_closed_reward_says_so_and_is_no_pledge_button(
    campaign: Campaign, clock: FixedClock
) -> None:
    windowed(campaign, clock, None, 1)
    clock.advance(timedelta(hours=2))
    english, french = card(campaign, clock, "en"), card(campaign, clock, "fr")
    button = english.buttons[0][0]
    assert (button.label, button.available) == ("Early bird · €50.00 · closed", False)
    assert french.buttons[0][0].label == "Early bird · 50,00\u00a0€ · fermée"
    assert english.sections[-1].entries[0].lines[-1] == "Closed on Nov 1, 2026 at 1:00\u202fPM UTC"
    assert french.sections[-1].entries[0].lines[-1] == "Fermée depuis le 1 nov. 2026 à 13:00 UTC"
    # The other reward is open all the campaign long, and says nothing of a window.
    assert english.buttons[1][0].label == "Lamp · €75.00"
    assert english.buttons[1][0].available
