"""An ended campaign's card and list line: what it raised and how it ended, as its notice says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import use_locale
from core.views.cards import campaign_card
from core.views.lists import campaign_item
from tests.fakes import FixedClock


def ended(
    campaign: Campaign, status: CampaignStatus, model: FundingModel = FundingModel.ALL_OR_NOTHING
) -> Campaign:
    """The campaign closed with a status, €1,060 raised from 120 backers."""
    return replace(campaign, status=status, funding_model=model, raised=106_000, backers_count=120)


@pytest.mark.parametrize(
    ("status", "model", "result"),
    [
        (
            CampaignStatus.SUCCESSFUL,
            FundingModel.ALL_OR_NOTHING,
            "Funded: raised €1,060.00 of €1,000.00 from 120 backers",
        ),
        (
            CampaignStatus.FAILED,
            FundingModel.ALL_OR_NOTHING,
            "Not funded: €1,060.00 of €1,000.00 pledged, no one is charged",
        ),
        (
            CampaignStatus.FAILED,
            FundingModel.FLEXIBLE,
            "Ended: raised €1,060.00 of €1,000.00 from 120 backers",
        ),
        (CampaignStatus.CANCELLED, FundingModel.ALL_OR_NOTHING, "Cancelled: no one is charged"),
        (CampaignStatus.CANCELLED, FundingModel.FLEXIBLE, "Cancelled: every payment is refunded"),
    ],
)
def test_an_ended_card_says_how_it_ended_with_no_time_left_nor_pledging(
    campaign: Campaign,
    clock: FixedClock,
    status: CampaignStatus,
    model: FundingModel,
    result: str,
) -> None:
    clock.advance(timedelta(days=30))
    with use_locale("en"):
        card = campaign_card(ended(campaign, status, model), clock.now(), following=False)
        item = campaign_item(ended(campaign, status, model), clock.now())
    assert [field.name for field in card.fields] == ["Result", "Ended", "Funding"]
    assert card.fields[0].value == result
    assert [[b.label for b in row] for row in card.buttons] == [["Progress", "Follow"]]
    assert item.detail == f"106% · {result}"


def test_a_live_campaign_past_its_end_reads_as_ended_before_it_is_closed(
    campaign: Campaign, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=30))
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
        item = campaign_item(campaign, clock.now())
    assert card.fields[0].value == "Ended: raised €0.00 of €1,000.00 from 0 backers"
    assert item.detail == "0% · Ended: raised €0.00 of €1,000.00 from 0 backers"


def test_an_ended_card_speaks_french(campaign: Campaign, clock: FixedClock) -> None:
    clock.advance(timedelta(days=30))
    with use_locale("fr"):
        card = campaign_card(
            ended(campaign, CampaignStatus.SUCCESSFUL), clock.now(), following=False
        )
    assert [field.name for field in card.fields] == ["Résultat", "Terminée", "Financement"]
    assert card.fields[0].value == (
        "Financée\u00a0: 1\u202f060,00\u00a0€ sur 1\u202f000,00\u00a0€ recueillis grâce à"
        " 120 contributeurs"
    )


def test_a_campaign_cancelled_before_its_deadline_names_no_end_date_nor_rewards_left(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        card = campaign_card(
            ended(campaign, CampaignStatus.CANCELLED), clock.now(), following=False
        )
    assert [(field.name, field.value) for field in card.fields] == [
        ("Result", "Cancelled: no one is charged"),
        ("Funding", "All or nothing: cards are charged only if the goal is met"),
    ]
    early = card.sections[-1].entries[0]
    assert early.lines[-1] == "0 backers"
