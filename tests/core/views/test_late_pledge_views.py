"""Late pledges on the card and the dashboard: late prices, until when, and what they raised."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.campaigns import Campaign, CampaignStatus, RewardTier
from core.i18n import use_locale
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.usecases.ambassadors import Dashboard
from core.views.cards import campaign_card
from core.views.creator import dashboard_card
from core.views.intents import OpenLatePledges
from core.views.pledge_changes import already_backed
from tests.fakes import FixedClock


def late(campaign: Campaign, clock: FixedClock) -> Campaign:
    """The campaign, funded and past its end, taking late pledges for Lamp only at €90."""
    tiers = [campaign.tiers[0], replace(campaign.tiers[1], late_amount=Money(9_000, "EUR"))]
    return replace(
        campaign,
        status=CampaignStatus.SUCCESSFUL,
        raised=100_000,
        backers_count=10,
        ends_at=clock.now() - timedelta(days=1),
        late_until=clock.now() + timedelta(days=10),
        late_raised=18_000,
        late_backers=2,
        tiers=tiers,
    )


def test_a_card_taking_late_pledges_offers_late_prices_and_shows_late_figures_apart(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        card = campaign_card(late(campaign, clock), clock.now(), following=False)
    fields = [(f.name, f.value) for f in card.fields]
    assert fields[0] == ("Result", "Funded: raised €1,000.00 of €1,000.00 from 10 backers")
    assert fields[-2:] == [
        ("Late pledges", "Open until Nov 11, 2026 at 12:00\u202fPM UTC"),
        ("Raised after the campaign", "€180.00 from 2 backers"),
    ]
    labels = [[button.label for button in row] for row in card.buttons]
    assert labels == [["Lamp · €90.00"], ["Pledge without a reward"], ["Progress", "Follow"]]
    (rewards,) = [section for section in card.sections if section.title == "Rewards"]
    assert [entry.heading for entry in rewards.entries] == [
        "Early bird · €50.00",
        "Lamp · €90.00",
    ]
    # What is left of a limited reward still matters to late backers.
    assert "0 backers · 10 of 10 left" in rewards.entries[0].lines
    with use_locale("fr"):
        card = campaign_card(late(campaign, clock), clock.now(), following=False)
    assert [(f.name, f.value) for f in card.fields][-2:] == [
        (
            "Contributions tardives",
            "Ouvertes jusqu’au 11 nov. 2026 à 12:00 UTC",
        ),
        ("Collecté après la campagne", "180,00\u00a0€ grâce à 2 contributeurs"),
    ]


def test_once_late_pledges_end_the_card_keeps_what_they_raised_and_offers_nothing(
    campaign: Campaign, clock: FixedClock
) -> None:
    ended = late(campaign, clock)
    clock.advance(timedelta(days=10))
    with use_locale("en"):
        card = campaign_card(ended, clock.now(), following=False)
    assert [(f.name, f.value) for f in card.fields][-1] == (
        "Raised after the campaign",
        "€180.00 from 2 backers",
    )
    assert "Late pledges" not in [f.name for f in card.fields]
    assert [[button.label for button in row] for row in card.buttons] == [["Progress", "Follow"]]


def _no_link(tier: RewardTier) -> str:
    raise AssertionError(f"{tier.title} is no secret reward")


def test_a_successful_campaigns_dashboard_offers_to_open_late_pledges(
    campaign: Campaign, clock: FixedClock
) -> None:
    done = late(campaign, clock)
    with use_locale("en"):
        board = dashboard_card(Dashboard(done, ()), clock.now(), _no_link)
        live = dashboard_card(Dashboard(campaign, ()), clock.now(), _no_link)
    opening = [row[0] for row in board.buttons if row[0].label == "Open late pledges"]
    assert [button.intent for button in opening] == [OpenLatePledges(campaign.id)]
    assert ("Raised after the campaign", "€180.00 from 2 backers") in [
        (f.name, f.value) for f in board.fields
    ]
    assert all(row[0].label != "Open late pledges" for row in live.buttons)


def test_a_backer_of_the_campaign_is_asked_about_a_second_pledge_at_the_late_price(
    campaign: Campaign, clock: FixedClock
) -> None:
    done = late(campaign, clock)
    now = clock.now()
    pledge = Pledge(
        7, 3, done.id, done.tiers[0].id, Money(5_000, "EUR"), PledgeStatus.PAID, now, now
    )
    with use_locale("en"):
        notice = already_backed(pledge, done, done.tiers[1], "https://b.test/p", now)
    assert notice.text == (
        "You already backed this with Early bird, €50.00. Add a second pledge for Lamp, €90.00?"
    )
    assert [[button.label for button in row] for row in notice.buttons] == [["Add a second pledge"]]
