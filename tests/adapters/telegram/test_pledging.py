"""Backing end to end: group cards lead into the private chat, custom amounts, payments off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.telegram.deep_links import ContinuePledge, OpenCampaign, encode
from core.identity import Caller, Identity, Platform
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import PledgeStatus
from core.ports import Clock
from core.usecases.managing import TierDraft
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import (
    RunningBot,
    button,
    labels,
    start_command,
    start_payload,
)
from tests.fakes import FixedClock
from tests.telegram_fixtures import BOT

BOT_NAME = BOT.username
HOSTILE = "<b>x</b> & <script>"
HOSTILE_TIER = TierDraft("<i>Lamp</i>", "", 7_500)


def caller(user_id: int) -> Caller:
    """Someone else on Telegram."""
    return Caller(Identity(Platform.TELEGRAM, str(user_id)), f"Person {user_id}", "en")


async def test_a_group_card_leads_into_the_private_chat_for_the_personal_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    card = await ada.says("/campaign lamp", group)
    tier_url = button(card, "Lamp · €75.00")["url"]
    assert start_payload(tier_url, BOT_NAME) == ContinuePledge(lamp.id, lamp.tiers[1].id)
    custom_url = button(card, "Pledge without a reward")["url"]
    assert start_payload(custom_url, BOT_NAME) == ContinuePledge(lamp.id, None)
    assert "/pledge/" not in str(card["reply_markup"])

    offer = await ada.says(start_command(tier_url))
    assert offer["text"] == (
        "Back “The Reading Lamp” with Lamp: one tap takes you to the secure payment page."
    )
    assert labels(offer) == ["Pledge: Lamp · €75.00"]
    link = telegram_bot.verify(button(offer, "Pledge: Lamp · €75.00")["url"])
    backer = await telegram_bot.backer(ada)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount) == (
        backer.id,
        lamp.id,
        lamp.tiers[1].id,
        None,
    )


async def test_a_discover_list_in_a_group_opens_cards_without_personal_links(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    listing = await ada.says("/discover", group)
    await ada.presses(listing, "1. The Reading Lamp")
    card = await ada.reads(group)
    assert card["caption"].startswith("The Reading Lamp\n")
    payload = start_payload(button(card, "Early bird · €50.00 · 100 left")["url"], BOT_NAME)
    assert payload == ContinuePledge(lamp.id, lamp.tiers[0].id)


async def test_a_reward_held_at_other_peoples_checkouts_is_no_link_and_says_when_to_try_again(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock, tiers=(TierDraft("Early bird", "", 5_000, 2),))
    for user in (1, 2):
        request = PledgeRequest(caller(user), lamp.id, lamp.tiers[0].id)
        await start_pledge(uows(), clock, PledgeLimits(), request)
    clock.advance(timedelta(minutes=10))
    ada = telegram_bot.person(42, "Ada")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user, amelie.user])

    card = await ada.says("/campaign lamp", group)
    held = "Early bird · €50.00 · At checkout · try again in 20 min"
    assert "url" not in button(card, held)
    refused = await ada.presses(card, held)
    refused_fr = await amelie.presses(card, held)

    assert (refused.text, refused.show_alert) == (
        "“Early bird” is being checked out by others. Try again in 20 minutes.",
        True,
    )
    assert refused_fr.text == (
        "«\u00a0Early bird\u00a0» est en cours de paiement par d’autres personnes. "
        "Réessayez dans 20\u00a0minutes."
    )


async def test_a_sold_out_reward_is_no_link_and_offers_itself_once_a_unit_comes_back(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock, tiers=(TierDraft("Early bird", "", 5_000, 1),))
    request = PledgeRequest(caller(1), lamp.id, lamp.tiers[0].id)
    held = await start_pledge(uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(uows(), clock, PaymentOutcome(held.id, OutcomeKind.PAID))
    ada = telegram_bot.person(42, "Ada")

    card = await ada.says("/campaign lamp")
    sold_out = "Early bird · €50.00 · Sold out"
    assert "url" not in button(card, sold_out)
    refused = await ada.presses(card, sold_out)
    assert (refused.text, refused.show_alert) == ("“Early bird” is sold out.", True)

    # The backer is refunded in full: the unit is on sale again, and the same button offers it.
    await apply_payment_outcome(
        uows(), clock, PaymentOutcome(held.id, OutcomeKind.REFUNDED, refunded_total=5_000)
    )
    pressed = await ada.presses(card, sold_out)
    offer = await ada.reads()

    assert (pressed.text, pressed.show_alert) == (None, False)
    assert labels(offer) == ["Pledge: Early bird · €50.00 · 1 left"]
    link = telegram_bot.verify(button(offer, "Pledge: Early bird · €50.00 · 1 left")["url"])
    assert (link.campaign_id, link.tier_id) == (lamp.id, lamp.tiers[0].id)


async def test_an_early_bird_is_a_link_until_it_closes_then_says_when_it_closed(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    closes_at = clock.now() + timedelta(hours=1)
    early_bird = TierDraft("Early bird", "", 5_000, closes_at=closes_at)
    await live_campaign(telegram_bot.services.uows, clock, tiers=(early_bird,))
    ada = telegram_bot.person(42, "Ada")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    open_card = await ada.says("/campaign lamp", group)
    open_label = "Early bird · €50.00 · closes in 1 hour"
    assert "url" in button(open_card, open_label)
    clock.advance(timedelta(hours=1))

    card = await ada.says("/campaign lamp")
    closed = "Early bird · €50.00 · closed"
    assert "url" not in button(card, closed)
    refused = await ada.presses(card, closed)
    assert (refused.text, refused.show_alert) == (
        "This reward closed on Nov 1, 2026 at 1:00\u202fPM UTC.",
        True,
    )
    card_fr = await amelie.says("/campaign lamp")
    refused_fr = await amelie.presses(card_fr, "Early bird · 50,00\u00a0€ · fermée")
    assert refused_fr.text == "Cette récompense a fermé le 1 nov. 2026 à 13:00 UTC."
    # The group card shown before the close leads into the private chat, to the same answer.
    late = await ada.says(start_command(button(open_card, open_label)["url"]))
    assert late["text"] == "This reward closed on Nov 1, 2026 at 1:00\u202fPM UTC."


async def test_a_custom_amount_is_asked_checked_and_becomes_a_personal_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    card = await ada.says("/campaign lamp")

    answer = await ada.presses(card, "Pledge without a reward")
    assert answer.text is None
    question = await ada.reads()
    assert question["text"] == (
        "How much would you like to pledge to “The Reading Lamp”? Send an amount between €0.50 "
        "and €10,000.00."
    )
    refused = await ada.says("abc")
    assert refused["text"] == "“abc” is not an amount: type digits, e.g. 25"
    assert (await ada.says("20 000 €"))["text"] == (
        "“20 000 €” is more than €10,000.00, the largest amount accepted."
    )
    assert (await ada.says("£25"))["text"] == "This campaign is in EUR; “£25” is in GBP."
    offer = await ada.says("25")
    assert offer["text"] == (
        "Back “The Reading Lamp” with €25.00: one tap takes you to the secure payment page."
    )
    link = telegram_bot.verify(button(offer, "Pledge €25.00")["url"])
    backer = await telegram_bot.backer(ada)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount) == (
        backer.id,
        lamp.id,
        None,
        2_500,
    )
    # A second amount replaces the offer: the first one loses its button.
    retired = await ada.says("30")
    assert (retired["text"], labels(retired)) == (offer["text"], [])
    second = await ada.reads()
    assert labels(second) == ["Pledge €30.00"]
    assert telegram_bot.verify(button(second, "Pledge €30.00")["url"]).amount == 3_000
    # A wrong one after a right one is answered too, and the last offer stands.
    assert (await ada.says("lots"))["text"] == "“lots” is not an amount: type digits, e.g. 25"
    shown = telegram_bot.standin.messages(ada.chat)
    assert [labels(m) for m in shown if m.get("text", "").startswith("Back")] == [
        [],
        ["Pledge €30.00"],
    ]


async def test_a_campaign_that_closes_while_an_amount_is_awaited_ends_the_wait(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock, ends_in=timedelta(hours=1))
    ada = telegram_bot.person(42, "Ada")
    await ada.says(f"/start {encode(ContinuePledge(lamp.id, None))}")

    clock.advance(timedelta(hours=2))
    closed = await ada.says("25")
    assert closed["text"] == "“The Reading Lamp” is not taking pledges right now."
    # The wait is over: more text gets the way on, not the closed campaign again.
    assert (await ada.says("26"))["text"] == "Send /discover to find campaigns, or /help."


async def test_a_custom_amount_from_a_group_card_carries_the_sharers_referral(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    await ada.says("/campaign lamp")
    referral = (await telegram_bot.backer(ada)).referral_code
    bob = telegram_bot.person(43, "Bob")

    question = await bob.says(f"/start {encode(ContinuePledge(lamp.id, None, referral))}")
    assert question["text"].startswith("How much would you like to pledge to “The Reading Lamp”?")
    offer = await bob.says("12,5")
    link = telegram_bot.verify(button(offer, "Pledge €12.50")["url"])
    assert (link.amount, link.referral_code) == (1_250, referral)


async def test_titles_in_pledge_offers_show_literally(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(
        telegram_bot.services.uows, clock, title=HOSTILE, tiers=(HOSTILE_TIER,)
    )
    ada = telegram_bot.person(42, "Ada")

    offer = await ada.says(f"/start {encode(ContinuePledge(lamp.id, lamp.tiers[0].id))}")
    assert offer["text"] == (
        f"Back “{HOSTILE}” with <i>Lamp</i>: one tap takes you to the secure payment page."
    )
    await ada.says(f"/start {encode(ContinuePledge(lamp.id, None))}")
    custom = await ada.says("5")
    assert custom["text"].startswith(f"Back “{HOSTILE}” with €5.00:")


@pytest.mark.parametrize("pledge_signer", [None])
@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "Payments are unavailable right now. Please try again in a few minutes."),
        ("fr", "Les paiements sont indisponibles pour le moment. Réessayez dans quelques minutes."),
    ],
)
async def test_without_payments_a_reward_button_explains_in_the_persons_language(
    telegram_bot: RunningBot, clock: Clock, language: str, refusal: str
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada", language_code=language)
    card = await ada.says("/campaign lamp")
    tier = card["reply_markup"]["inline_keyboard"][1][0]
    assert tier["callback_data"] == f"p:{lamp.id}:{lamp.tiers[1].id}"

    answer = await ada.presses(card, tier["text"])
    assert (answer.text, answer.show_alert) == (refusal, True)
    offer = await ada.says(f"/start {encode(ContinuePledge(lamp.id, lamp.tiers[1].id))}")
    assert offer["text"] == refusal


@pytest.mark.parametrize("pledge_signer", [None])
async def test_without_payments_cancelling_a_pledge_is_refused_in_the_persons_language(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    pledge = await paid_pledge(telegram_bot.services.uows, clock, lamp, 42)
    amelie = telegram_bot.person(42, "Amélie", language_code="fr")

    listing = await amelie.says("/mypledges")
    assert listing["text"] == (
        "Vos contributions\n\n1. The Reading Lamp\n10,00\u00a0€ · Payée · contributeur n°\u00a01"
    )
    await amelie.presses(listing, "Annuler\u00a0: The Reading Lamp (10,00\u00a0€)")
    confirm = await amelie.reads()
    assert confirm["text"] == (
        "Annuler votre contribution de 10,00\u00a0€ à «\u00a0The Reading Lamp\u00a0»\u00a0?"
    )
    assert labels(confirm) == ["Annuler la contribution", "La garder"]
    answer = await amelie.presses(confirm, "Annuler la contribution")
    assert (answer.text, answer.show_alert) == (
        "Les paiements sont indisponibles pour le moment. Réessayez dans quelques minutes.",
        True,
    )
    async with telegram_bot.services.uows() as uow:
        stored = await uow.pledges.get(pledge.id)
    assert stored is not None
    assert stored.status is PledgeStatus.PAID


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("en", "Send /discover to find campaigns, or /help."),
        ("fr", "Envoyez /discover pour trouver des campagnes, ou /help."),
    ],
)
async def test_text_nobody_asked_for_in_private_gets_the_way_on(
    telegram_bot: RunningBot, language: str, hint: str
) -> None:
    ada = telegram_bot.person(42, "Ada", language_code=language)

    assert (await ada.says("hello?"))["text"] == hint


async def test_the_amount_question_shows_the_smallest_and_largest_pledge_in_french(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    amelie = telegram_bot.person(42, "Amélie", language_code="fr")

    question = await amelie.says(f"/start {encode(ContinuePledge(lamp.id, None))}")

    assert question["text"] == (
        "Combien souhaitez-vous donner à «\u00a0The Reading Lamp\u00a0»\u00a0? Envoyez un montant "
        "entre 0,50\u00a0€ et 10\u202f000,00\u00a0€."
    )
    refused = await amelie.says("0,10")
    assert refused["text"] == (
        "«\u00a00,10\u00a0» est inférieur à 0,50\u00a0€, le plus petit montant accepté."
    )
    offer = await amelie.says("0,50")
    assert labels(offer) == ["Contribuer 0,50\u00a0€"]


async def test_a_card_opened_from_a_share_link_credits_it_through_the_buttons_that_ask_first(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    ada = telegram_bot.person(42, "Ada")
    card = await ada.says(f"/start {encode(OpenCampaign('lamp', 'Ab_9'))}")

    await ada.presses(card, "Pledge without a reward")
    await ada.reads()
    offer = await ada.says("25")
    assert telegram_bot.verify(button(offer, "Pledge €25.00")["url"]).referral_code == "Ab_9"

    # Once backed, a reward asks before a second pledge: its link still credits the sharer.
    await paid_pledge(uows, clock, lamp, 42, 2_500)
    backed = await ada.says(f"/start {encode(OpenCampaign('lamp', 'Ab_9'))}")
    await ada.presses(backed, "Early bird · €50.00 · 100 left")
    question = await ada.reads()
    second = telegram_bot.verify(button(question, "Add a second pledge")["url"])
    assert (second.tier_id, second.referral_code) == (lamp.tiers[0].id, "Ab_9")
