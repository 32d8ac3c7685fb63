"""A backer's own pledge on Telegram: shown on their card, asked about before a second, changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, FundingModel
from core.identity import Caller
from core.money import Money
from core.payments import OutcomeKind
from core.pledges import Pledge
from core.ports import PaymentGateway
from tests.adapters.chat_campaigns import reward_backed
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import Person, RunningBot, button, labels, start_command
from tests.fakes import FakeGateway, FixedClock


@pytest.fixture
def payment_gateway() -> PaymentGateway | None:
    """A payment provider that records refunds."""
    return FakeGateway()


async def backed_lamp(telegram_bot: RunningBot, clock: FixedClock, person: Person) -> Campaign:
    """An all-or-nothing lamp whose Early bird the person backed, their card saved."""
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock, funding_model=FundingModel.ALL_OR_NOTHING)
    # The name and language are the platform's to update on the person's next message.
    caller = Caller(person.identity, "Backer", "en")
    await reward_backed(uows, clock, lamp, caller, 0)
    return lamp


async def pledge_of(telegram_bot: RunningBot, campaign: Campaign) -> tuple[Pledge, Campaign]:
    """The campaign's only pledge, and the campaign, as stored."""
    async with telegram_bot.services.uows() as uow:
        (pledge,) = await uow.pledges.of_campaign(campaign.id)
        stored = await uow.campaigns.get(campaign.id)
    assert stored is not None
    return pledge, stored


async def test_a_backed_card_says_so_and_a_reward_pressed_asks_before_a_second_pledge(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    lamp = await backed_lamp(telegram_bot, clock, ada)

    card = await ada.says("/campaign lamp")
    assert "You pledged: Early bird, €50.00, charged if it reaches its goal" in card["caption"]
    assert "Change my pledge" in labels(card)
    # A reward on a campaign already backed is no payment link: it asks first.
    assert "url" not in button(card, "Lamp · €75.00")
    await ada.presses(card, "Lamp · €75.00")
    question = await ada.reads()
    assert question["text"] == (
        "The Reading Lamp\n\nYou already backed this with Early bird, €50.00: change your "
        "pledge to Lamp, €75.00, or add a second pledge?"
    )
    assert labels(question) == ["Change to Lamp, €75.00", "Add a second pledge"]
    second = telegram_bot.verify(button(question, "Add a second pledge")["url"])
    assert (second.campaign_id, second.tier_id) == (lamp.id, lamp.tiers[1].id)

    await ada.presses(question, "Change to Lamp, €75.00")
    done = await ada.reads()
    assert done["text"].startswith(
        "Pledge changed\n\nYour pledge to “The Reading Lamp” is now Lamp, €75.00."
    )
    pledge, stored = await pledge_of(telegram_bot, lamp)
    assert (pledge.tier_id, pledge.amount) == (lamp.tiers[1].id, Money(7_500, "EUR"))
    assert (stored.raised, stored.backers_count) == (7_500, 1)
    assert [tier.claimed for tier in stored.tiers] == [0, 1]


async def test_change_my_pledge_lists_the_other_rewards_in_french(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    lamp = await backed_lamp(telegram_bot, clock, amelie)

    card = await amelie.says("/campaign lamp")
    assert "Votre contribution\u00a0: Early bird, 50,00\u00a0€, débitée si" in card["caption"]
    await amelie.presses(card, "Modifier ma contribution")
    choices = await amelie.reads()
    assert choices["text"].startswith(
        "Modifier votre contribution à «\u00a0The Reading Lamp\u00a0»"
    )
    assert labels(choices) == ["Lamp · 75,00\u00a0€", "Un autre montant"]
    await amelie.presses(choices, "Lamp · 75,00\u00a0€")
    done = await amelie.reads()
    assert done["text"].startswith(
        "Contribution modifiée\n\nVotre contribution à «\u00a0The Reading Lamp\u00a0» "
        "est maintenant Lamp"
    )
    pledge, _ = await pledge_of(telegram_bot, lamp)
    assert pledge.tier_id == lamp.tiers[1].id


async def test_an_old_change_button_after_the_deadline_says_the_campaign_has_ended(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    lamp = await backed_lamp(telegram_bot, clock, ada)
    card = await ada.says("/campaign lamp")
    await ada.presses(card, "Change my pledge")
    choices = await ada.reads()
    clock.advance(timedelta(days=21))

    refused = await ada.presses(choices, "Lamp · €75.00")

    assert (refused.text, refused.show_alert) == (
        "Your pledge can no longer be changed: the campaign has ended.",
        True,
    )
    pledge, _ = await pledge_of(telegram_bot, lamp)
    assert pledge.tier_id == lamp.tiers[0].id


async def test_a_card_in_a_group_shows_nobodys_pledge(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    await backed_lamp(telegram_bot, clock, ada)
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    card = await ada.says("/campaign lamp", group)

    assert "You pledged" not in card["caption"]
    assert "Change my pledge" not in labels(card)


async def test_another_amount_is_asked_checked_and_keeps_the_reward_it_covers(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    lamp = await backed_lamp(telegram_bot, clock, ada)
    card = await ada.says("/campaign lamp")
    await ada.presses(card, "Change my pledge")
    choices = await ada.reads()

    await ada.presses(choices, "Another amount")
    question = await ada.reads()
    assert question["text"] == (
        "How much should your pledge be now? Send an amount, e.g. 25. "
        "From €50.00 it keeps “Early bird”; below, it has no reward."
    )
    refused = await ada.says("lots")
    assert refused["text"] == "“lots” is not an amount: type digits, e.g. 25"
    done = await ada.says("60")

    assert done["text"].startswith(
        "Pledge changed\n\nYour pledge to “The Reading Lamp” is now Early bird, €60.00."
    )
    pledge, stored = await pledge_of(telegram_bot, lamp)
    assert (pledge.tier_id, pledge.amount) == (lamp.tiers[0].id, Money(6_000, "EUR"))
    assert stored.raised == 6_000
    # The wait is over: a later message is no amount.
    await ada.says("/campaign lamp")
    assert (await pledge_of(telegram_bot, lamp))[0].amount == Money(6_000, "EUR")


async def test_a_paid_pledge_comes_down_to_a_smaller_reward_with_the_difference_refunded(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    caller = Caller(ada.identity, "Backer", "en")
    await reward_backed(uows, clock, lamp, caller, 1, OutcomeKind.PAID)

    card = await ada.says("/campaign lamp")
    assert "You backed this: Lamp, €75.00" in card["caption"]
    await ada.presses(card, "Change my pledge")
    choices = await ada.reads()
    assert labels(choices) == ["Early bird · €50.00 · 100 left", "Another amount"]
    await ada.presses(choices, "Early bird · €50.00 · 100 left")
    done = await ada.reads()

    assert done["text"] == (
        "Pledge changed\n\nYour pledge to “The Reading Lamp” is now Early bird, €50.00. "
        "€25.00 is refunded to your card: your bank shows it within a few days."
    )
    gateway = telegram_bot.services.gateway
    assert isinstance(gateway, FakeGateway)
    pledge, stored = await pledge_of(telegram_bot, lamp)
    assert list(gateway.partial_refunds.values()) == [(pledge.id, Money(2_500, "EUR"))]
    assert (pledge.tier_id, pledge.refunded_amount) == (lamp.tiers[0].id, 2_500)
    assert stored.raised == 5_000


async def test_a_paid_pledge_going_up_is_offered_a_personal_link_to_pay_the_difference(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    await reward_backed(
        uows, clock, lamp, Caller(ada.identity, "Backer", "en"), 0, OutcomeKind.PAID
    )

    card = await ada.says("/campaign lamp")
    await ada.presses(card, "Change my pledge")
    choices = await ada.reads()
    assert labels(choices) == ["Lamp · €75.00", "Another amount"]
    await ada.presses(choices, "Lamp · €75.00")
    offer = await ada.reads()
    await ada.presses(choices, "Another amount")
    await ada.reads()
    typed = await ada.says("60")

    assert offer["text"] == (
        "Change your pledge to “The Reading Lamp”\n\nYour pledge is Early bird, €50.00. To make "
        "it €75.00 for “Lamp”, pay the €25.00 difference: your pledge changes once it is paid."
    )
    pledge, stored = await pledge_of(telegram_bot, lamp)
    top_up = telegram_bot.verify_top_up(button(offer, "Pay the €25.00 difference")["url"])
    assert (top_up.pledge_id, top_up.tier_id, top_up.amount) == (
        pledge.id,
        lamp.tiers[1].id,
        7_500,
    )
    more = telegram_bot.verify_top_up(button(typed, "Pay the €10.00 difference")["url"])
    assert (more.tier_id, more.amount) == (lamp.tiers[0].id, 6_000)
    # Nothing moves before the difference is paid.
    assert (pledge.tier_id, stored.raised, [t.claimed for t in stored.tiers]) == (
        lamp.tiers[0].id,
        5_000,
        [1, 0],
    )


async def test_a_reward_pressed_on_a_group_card_asks_in_private_before_a_second_pledge(
    telegram_bot: RunningBot, clock: FixedClock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    await backed_lamp(telegram_bot, clock, ada)
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    card = await ada.says("/campaign lamp", group)

    question = await ada.says(start_command(button(card, "Lamp · €75.00")["url"]))

    assert question["text"].startswith("The Reading Lamp\n\nYou already backed this with")
    assert labels(question) == ["Change to Lamp, €75.00", "Add a second pledge"]
