"""A backer's own pledge on the card, the question before a second pledge, and changing it."""

from __future__ import annotations

from dataclasses import replace

from core.campaigns import Campaign, FundingModel
from core.i18n import use_locale
from core.money import Money
from core.pledges import Pledge, PledgeStatus
from core.views.cards import campaign_card
from core.views.intents import ChangeAmount, ChangePledge, ChangeTo
from core.views.pledge_changes import (
    already_backed,
    amount_question,
    amount_rule,
    change_choices,
    change_result,
)
from tests.fakes import FixedClock


def pledge_on(campaign: Campaign, status: PledgeStatus, tier: int | None, amount: int) -> Pledge:
    """Pledge 7 by backer 3 on the campaign."""
    now = FixedClock().now()
    tier_id = campaign.tiers[tier].id if tier is not None else None
    money = Money(amount, campaign.goal.currency)
    return Pledge(7, 3, campaign.id, tier_id, money, status, now, now)


def all_or_nothing(campaign: Campaign) -> Campaign:
    """The campaign, charging at its deadline."""
    return replace(campaign, funding_model=FundingModel.ALL_OR_NOTHING)


def test_a_saved_card_shows_the_pledge_first_and_offers_to_change_it(
    campaign: Campaign, clock: FixedClock
) -> None:
    aon = all_or_nothing(campaign)
    pledge = pledge_on(aon, PledgeStatus.AUTHORIZED, 0, 5_000)
    with use_locale("en"):
        card = campaign_card(aon, clock.now(), following=False, backed=pledge)
    assert (card.fields[0].name, card.fields[0].value) == (
        "You pledged",
        "Early bird, €50.00, charged if it reaches its goal",
    )
    change = [row[0] for row in card.buttons if row[0].label == "Change my pledge"]
    assert [button.intent for button in change] == [ChangePledge(7)]
    with use_locale("fr"):
        card = campaign_card(aon, clock.now(), following=False, backed=pledge)
    assert (card.fields[0].name, card.fields[0].value) == (
        "Votre contribution",
        "Early bird, 50,00\u00a0€, débitée si la campagne atteint son objectif",
    )
    assert any(row[0].label == "Modifier ma contribution" for row in card.buttons)


def test_a_paid_pledge_shows_what_is_left_of_it_and_offers_less_or_more(
    campaign: Campaign, clock: FixedClock
) -> None:
    pledge = replace(pledge_on(campaign, PledgeStatus.PAID, 1, 9_000), refunded_amount=1_500)
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False, backed=pledge)
        choices = change_choices(pledge, campaign, clock.now())
    assert (card.fields[0].name, card.fields[0].value) == ("You backed this", "Lamp, €75.00")
    assert ChangePledge(pledge.id) in {b.intent for row in card.buttons for b in row}
    assert choices.text == (
        "You backed this with Lamp, €75.00. Choose another reward or amount: for less, the "
        "difference is refunded to your card; for more, you pay the difference, and your pledge "
        "changes once it is paid."
    )
    assert [b.label for row in choices.buttons for b in row] == [
        "Early bird · €50.00 · 10 left",
        "Another amount",
    ]


def test_a_topped_up_pledge_is_offered_only_larger_rewards(
    campaign: Campaign, clock: FixedClock
) -> None:
    # Early bird paid at €50, raised by €10 with a second payment.
    pledge = replace(pledge_on(campaign, PledgeStatus.PAID, 0, 5_000), topped_up=1_000)
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False, backed=pledge)
        choices = change_choices(pledge, campaign, clock.now())
    assert card.fields[0].value == "Early bird, €60.00"
    assert [b.intent for row in choices.buttons for b in row] == [
        ChangeTo(pledge.id, campaign.tiers[1].id),
        ChangeAmount(pledge.id),
    ]
    assert "Choose a larger reward or amount" in choices.text


def test_a_refunded_change_says_how_much_went_back(campaign: Campaign) -> None:
    pledge = replace(pledge_on(campaign, PledgeStatus.PAID, 0, 7_500), refunded_amount=2_500)
    with use_locale("en"):
        notice = change_result(pledge, campaign, True, Money(2_500, "EUR"))
    assert notice.text == (
        "Your pledge to “The Reading Lamp” is now Early bird, €50.00. €25.00 is refunded to "
        "your card: your bank shows it within a few days."
    )


def test_a_card_for_someone_who_did_not_back_it_is_unchanged(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        card = campaign_card(campaign, clock.now(), following=False)
    assert card.fields[0].name == "Raised"


def test_the_choices_are_the_other_rewards(campaign: Campaign, clock: FixedClock) -> None:
    aon = all_or_nothing(campaign)
    pledge = pledge_on(aon, PledgeStatus.AUTHORIZED, 0, 5_000)
    with use_locale("en"):
        notice = change_choices(pledge, aon, clock.now())
    assert notice.title == "Change your pledge to “The Reading Lamp”"
    assert notice.text.startswith("You pledged Early bird, €50.00. Choose another reward")
    assert [(b.label, b.intent) for row in notice.buttons for b in row] == [
        ("Lamp · €75.00", ChangeTo(7, aon.tiers[1].id)),
        ("Another amount", ChangeAmount(7)),
    ]


def test_another_amount_says_what_becomes_of_the_reward(campaign: Campaign) -> None:
    with_reward = pledge_on(campaign, PledgeStatus.AUTHORIZED, 1, 7_500)
    without = pledge_on(campaign, PledgeStatus.AUTHORIZED, None, 2_000)
    with use_locale("en"):
        assert amount_question(with_reward, campaign) == (
            "How much should your pledge be now? Send an amount, e.g. 25. "
            "From €75.00 it keeps “Lamp”; below, it has no reward."
        )
        assert amount_question(without, campaign) == (
            "How much should your pledge be now? Send an amount, e.g. 25."
        )
    with use_locale("fr"):
        assert amount_rule(with_reward, campaign) == (
            "À partir de 75,00\u00a0€, elle garde «\u00a0Lamp\u00a0»\u00a0; en dessous, "
            "elle n’a pas de contrepartie."
        )


def test_a_second_pledge_is_asked_about_with_the_change_offered_first(
    campaign: Campaign, clock: FixedClock
) -> None:
    aon = all_or_nothing(campaign)
    pledge = pledge_on(aon, PledgeStatus.AUTHORIZED, 0, 5_000)
    with use_locale("en"):
        notice = already_backed(pledge, aon, aon.tiers[1], "https://pay.example/p/1", clock.now())
    assert notice.text == (
        "You already backed this with Early bird, €50.00: change your pledge to Lamp, €75.00, "
        "or add a second pledge?"
    )
    (change,), (second,) = notice.buttons
    assert (change.label, change.intent) == (
        "Change to Lamp, €75.00",
        ChangeTo(7, aon.tiers[1].id),
    )
    assert (second.label, second.url) == ("Add a second pledge", "https://pay.example/p/1")
    with use_locale("fr"):
        notice = already_backed(pledge, aon, aon.tiers[1], "https://pay.example/p/1", clock.now())
    assert notice.text == (
        "Vous soutenez déjà ce projet avec Early bird, 50,00\u00a0€\u00a0: passer votre "
        "contribution à Lamp, 75,00\u00a0€, ou en ajouter une seconde\u00a0?"
    )


def test_more_than_a_paid_pledge_is_offered_as_a_change_or_a_second_one(
    campaign: Campaign, clock: FixedClock
) -> None:
    pledge = pledge_on(campaign, PledgeStatus.PAID, 0, 5_000)
    with use_locale("en"):
        notice = already_backed(
            pledge, campaign, campaign.tiers[1], "https://p.example", clock.now()
        )
    assert notice.text == (
        "You already backed this with Early bird, €50.00: change your pledge to Lamp, €75.00, "
        "or add a second pledge?"
    )
    assert [(b.intent, b.url) for row in notice.buttons for b in row] == [
        (ChangeTo(pledge.id, campaign.tiers[1].id), None),
        (None, "https://p.example"),
    ]


def test_the_result_says_what_the_pledge_now_is(campaign: Campaign) -> None:
    aon = all_or_nothing(campaign)
    pledge = pledge_on(aon, PledgeStatus.AUTHORIZED, 1, 7_500)
    with use_locale("en"):
        assert change_result(pledge, aon, changed=True).text.startswith(
            "Your pledge to “The Reading Lamp” is now Lamp, €75.00."
        )
        assert change_result(pledge, aon, changed=False).text == (
            "Your pledge already is Lamp, €75.00: nothing changed."
        )
