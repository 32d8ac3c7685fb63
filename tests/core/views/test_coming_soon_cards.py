"""A coming-soon campaign's card: when it launches, who waits, and a way to be told."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.views.cards import campaign_card
from core.views.intents import Follow, FundingChart, Unfollow
from core.views.lists import campaign_item
from tests.fakes import FixedClock


def coming(campaign: Campaign, clock: FixedClock) -> Campaign:
    """The campaign published to launch in three hours."""
    return replace(
        campaign,
        status=CampaignStatus.COMING_SOON,
        starts_at=clock.now() + timedelta(hours=3),
    )


def test_a_coming_soon_card_says_when_it_launches_and_offers_no_pledge(
    campaign: Campaign, clock: FixedClock
) -> None:
    soon = coming(campaign, clock)
    with use_locale("en"):
        card = campaign_card(soon, clock.now(), following=False, waiting=9)
    assert [(f.name, f.value) for f in card.fields] == [
        ("Coming soon", "Launches in 3 hours"),
        ("Launches", "Nov 1, 2026 at 3:00\u202fPM UTC"),
        ("Ends", "Nov 30, 2026 at 12:00\u202fPM UTC"),
        ("Funding", "Flexible: charged now, kept whatever the outcome"),
    ]
    assert [[(b.label, b.intent) for b in row] for row in card.buttons] == [
        [("Progress", FundingChart(soon.id)), ("Notify me on launch", Follow(soon.id))],
    ]
    # Its rewards are spelled out all the same, to be chosen at the launch.
    assert [entry.heading for entry in card.sections[-1].entries] == [
        "Early bird · €50.00",
        "Lamp · €75.00",
    ]


def test_a_coming_soon_card_counts_who_waits_from_ten_in_french(
    campaign: Campaign, clock: FixedClock
) -> None:
    soon = coming(campaign, clock)
    with use_locale("fr"):
        card = campaign_card(soon, clock.now(), following=True, waiting=1234)
    fields = {f.name: f.value for f in card.fields}
    assert fields["Bientôt en ligne"] == "Lancement dans 3\u00a0heures"
    assert fields["En attente"] == "1\u202f234 personnes attendent"
    assert card.buttons[-1][-1].label == "Ne plus me prévenir"
    assert card.buttons[-1][-1].intent == Unfollow(soon.id)


def test_a_coming_soon_campaign_in_a_list_says_when_it_launches(
    campaign: Campaign, clock: FixedClock
) -> None:
    soon = coming(campaign, clock)
    with use_locale("en"):
        item = campaign_item(soon, clock.now())
        due = campaign_item(soon, soon.starts_at)
    assert item.detail == "0% · €0.00 of €1,000.00 · Launches in 3 hours"
    # Its hour come, until the scheduler's next tick launches it.
    assert due.detail.endswith("· Launching now")
