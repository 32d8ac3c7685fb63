"""The campaign card, in English and French."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.campaigns import Campaign, CampaignStatus
from core.i18n import use_locale
from core.reservations import Reservations
from core.views.cards import campaign_card, draft_card
from core.views.intents import Pledge
from core.views.lists import campaign_item
from core.views.model import Progress
from tests.fakes import FixedClock


def funded(campaign: Campaign, raised: int, backers: int) -> Campaign:
    """The campaign with other figures."""
    return replace(campaign, raised=raised, backers_count=backers)


def test_shows_figures_and_one_button_per_tier(campaign: Campaign, clock: FixedClock) -> None:
    with use_locale("en"):
        card = campaign_card(funded(campaign, 62_550, 1234), clock.now(), following=False)
    assert card.title == "The Reading Lamp"
    assert card.subtitle == "by Ada · Design"
    assert card.progress == Progress(62, "▰▰▰▰▰▰▱▱▱▱", "62%")
    assert [(f.name, f.value) for f in card.fields] == [
        ("Raised", "€625.50 of €1,000.00"),
        ("Backers", "1,234"),
        ("Time left", "29 days left"),
        ("Ends", "Nov 30, 2026 at 12:00\u202fPM UTC"),
        ("Funding", "Flexible: charged now, kept whatever the outcome"),
    ]
    labels = [[button.label for button in row] for row in card.buttons]
    assert labels == [
        ["Early bird · €50.00 · 10 left"],
        ["Lamp · €75.00"],
        ["Pledge without a reward"],
        ["Progress", "Follow"],
    ]
    assert card.buttons[0][0].intent == Pledge(campaign.id, campaign.tiers[0].id)


def test_speaks_french_with_french_number_formats(campaign: Campaign, clock: FixedClock) -> None:
    with use_locale("fr"):
        card = campaign_card(funded(campaign, 62_550, 1234), clock.now(), following=True)
    assert card.subtitle == "par Ada · Design"
    # French sets the percent sign apart, and a line never breaks between them.
    assert card.progress.label == "62\u00a0%"
    assert card.fields[0].value == "625,50\u00a0€ sur 1\u202f000,00\u00a0€"
    assert card.fields[1].value == "1\u202f234"
    assert card.fields[2].value == "encore 29\u00a0jours"
    assert card.fields[3].value.startswith("30 nov. 2026 ")
    assert card.fields[3].value.endswith(" 12:00 UTC")
    assert card.buttons[-1][-1].label == "Ne plus suivre"


def test_the_card_counts_whole_days_left_as_the_lists_do_and_names_the_end(
    campaign: Campaign, clock: FixedClock
) -> None:
    # 8 days and 14 hours: 8 days left, not the 9 a rounding clock would say.
    ending = replace(campaign, ends_at=clock.now() + timedelta(days=8, hours=14))
    with use_locale("en"):
        card = campaign_card(ending, clock.now(), following=False)
        item = campaign_item(ending, clock.now())
    assert [(f.name, f.value) for f in card.fields[2:4]] == [
        ("Time left", "8 days left"),
        ("Ends", "Nov 10, 2026 at 2:00\u202fAM UTC"),
    ]
    assert item.detail.endswith(" · 8 days left")
    with use_locale("en"):
        after = campaign_card(ending, ending.ends_at, following=False)
    assert [(f.name, f.value) for f in after.fields[:2]] == [
        ("Result", "Ended: raised €0.00 of €1,000.00 from 0 backers"),
        ("Ended", "Nov 10, 2026 at 2:00\u202fAM UTC"),
    ]


def test_the_body_is_the_blurb_then_the_description(campaign: Campaign, clock: FixedClock) -> None:
    card = campaign_card(campaign, clock.now(), following=False)
    assert card.body == "A warm lamp for long nights.\n\nMade of oak and brass."
    without = replace(campaign, description="")
    assert (
        campaign_card(without, clock.now(), following=False).body == "A warm lamp for long nights."
    )


def test_a_sold_out_tier_says_so(campaign: Campaign, clock: FixedClock) -> None:
    campaign.tiers[0].claimed = 10
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
    assert card.buttons[0][0].label == "Early bird · €50.00 · Sold out"


def test_a_tier_whose_last_units_are_at_checkout_says_when_to_try_again(
    campaign: Campaign, clock: FixedClock
) -> None:
    campaign.tiers[0].claimed = 10
    # Eight sold, two held: the oldest hold started 18.5 minutes ago and ends in 11.5.
    held = Reservations(2, clock.now() - timedelta(minutes=18, seconds=30))
    campaign.tiers[0].reservations = held
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
    assert card.buttons[0][0].label == "Early bird · €50.00 · At checkout · try again in 12 min"
    with use_locale("fr"):
        card = campaign_card(campaign, clock.now() + timedelta(minutes=11), following=False)
    assert card.buttons[0][0].label == (
        "Early bird · 50,00\u00a0€ · En paiement · réessayez dans 1\u00a0min"
    )


def test_an_ended_campaign_offers_following_but_no_pledging(
    campaign: Campaign, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=40))
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
    assert [[b.label for b in row] for row in card.buttons] == [["Progress", "Follow"]]
    assert "Time left" not in [field.name for field in card.fields]


def test_user_text_is_left_for_the_platform_to_escape(
    campaign: Campaign, clock: FixedClock
) -> None:
    hostile = replace(campaign, title="<b>x</b> & <script>")
    assert campaign_card(hostile, clock.now(), following=False).title == "<b>x</b> & <script>"


def test_a_draft_shows_its_end_and_rewards_and_no_buttons(
    campaign: Campaign, clock: FixedClock
) -> None:
    draft = replace(
        campaign, status=CampaignStatus.DRAFT, ends_at=datetime(2026, 12, 24, 23, 59, tzinfo=UTC)
    )
    with use_locale("en"):
        card = draft_card(draft, clock.now())
    assert [(f.name, f.value) for f in card.fields[2:]] == [
        ("Time left", "Draft"),
        ("Ends", "Dec 24, 2026 at 11:59\u202fPM UTC"),
        ("Funding", "Flexible: charged now, kept whatever the outcome"),
    ]
    rewards = card.sections[-1]
    assert [entry.heading for entry in rewards.entries] == ["Early bird · €50.00", "Lamp · €75.00"]
    assert card.buttons == ()
    with use_locale("fr"):
        ends = draft_card(draft, clock.now()).fields[3].value
    assert ends.startswith("24 déc. 2026 ")
    assert ends.endswith(" 23:59 UTC")
