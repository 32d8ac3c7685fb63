"""A member's own pledge on Discord: shown on their card, asked about before a second, changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind
from core.pledges import Pledge
from core.ports import PaymentGateway
from tests.adapters.chat_campaigns import reward_backed
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import (
    RunningBot,
    button,
    embed,
    form_fields,
    identity,
    labels,
    press,
    reply,
)
from tests.fakes import FakeGateway, FixedClock


@pytest.fixture
def payment_gateway() -> PaymentGateway | None:
    """A payment provider that records refunds."""
    return FakeGateway()


async def backed_lamp(discord_bot: RunningBot, clock: FixedClock, who: Identity) -> Campaign:
    """An all-or-nothing lamp whose Early bird the member backed, their card saved."""
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, funding_model=FundingModel.ALL_OR_NOTHING)
    await reward_backed(uows, clock, lamp, Caller(who, "Backer", "en"), 0)
    return lamp


async def pledge_of(discord_bot: RunningBot, campaign: Campaign) -> tuple[Pledge, Campaign]:
    """The campaign's only pledge, and the campaign, as stored."""
    async with discord_bot.services.uows() as uow:
        (pledge,) = await uow.pledges.of_campaign(campaign.id)
        stored = await uow.campaigns.get(campaign.id)
    assert stored is not None
    return pledge, stored


async def test_a_backed_card_says_so_and_a_reward_pressed_asks_before_a_second_pledge(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    lamp = await backed_lamp(discord_bot, clock, identity(ada))

    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    first = embed(card)["fields"][0]
    assert (first["name"], first["value"]) == (
        "You pledged",
        "Early bird, €50.00, charged if it reaches its goal",
    )
    assert "Change my pledge" in labels(card)

    question = await reply(await press(ada, card, "Lamp · €75.00"))
    assert question.visible_to == ada.user.id
    assert embed(question)["description"] == (
        "You already backed this with Early bird, €50.00: change your pledge to Lamp, €75.00, "
        "or add a second pledge?"
    )
    assert labels(question) == ["Change to Lamp, €75.00", "Add a second pledge"]
    second = discord_bot.verify(button(question, "Add a second pledge")["url"])
    assert (second.campaign_id, second.tier_id) == (lamp.id, lamp.tiers[1].id)

    done = await reply(await press(ada, question, "Change to Lamp, €75.00"))
    assert embed(done)["title"] == "Pledge changed"
    assert embed(done)["description"].startswith(
        "Your pledge to “The Reading Lamp” is now Lamp, €75.00."
    )
    pledge, stored = await pledge_of(discord_bot, lamp)
    assert (pledge.tier_id, pledge.amount) == (lamp.tiers[1].id, Money(7_500, "EUR"))
    assert (stored.raised, stored.backers_count) == (7_500, 1)
    assert [tier.claimed for tier in stored.tiers] == [0, 1]

    # Pressed again, the same change is not made twice.
    again = await reply(await press(ada, question, "Change to Lamp, €75.00"))
    assert embed(again)["description"] == "Your pledge already is Lamp, €75.00: nothing changed."
    assert (await pledge_of(discord_bot, lamp))[1].raised == 7_500


async def test_change_my_pledge_lists_the_other_rewards_in_french_in_direct_messages(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    user = discord_bot.standin.user("lea", locale="fr")
    lea = discord_bot.standin.dm(user)
    lamp = await backed_lamp(discord_bot, clock, Identity(Platform.DISCORD, str(user.id)))

    card = await reply(await lea.slash("campaign", options={"name": "lamp"}))
    assert embed(card)["fields"][0]["name"] == "Votre contribution"
    choices = await reply(await press(lea, card, "Modifier ma contribution"))
    assert embed(choices)["title"] == "Modifier votre contribution à «\u00a0The Reading Lamp\u00a0»"
    assert labels(choices) == ["Lamp · 75,00\u00a0€", "Un autre montant"]
    done = await reply(await press(lea, choices, "Lamp · 75,00\u00a0€"))
    assert embed(done)["title"] == "Contribution modifiée"
    pledge, _ = await pledge_of(discord_bot, lamp)
    assert pledge.tier_id == lamp.tiers[1].id


async def test_an_old_change_button_after_the_deadline_says_the_campaign_has_ended(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    lamp = await backed_lamp(discord_bot, clock, identity(ada))
    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    choices = await reply(await press(ada, card, "Change my pledge"))
    clock.advance(timedelta(days=21))

    refused = await reply(await press(ada, choices, "Lamp · €75.00"))

    assert refused.content == "Your pledge can no longer be changed: the campaign has ended."
    pledge, _ = await pledge_of(discord_bot, lamp)
    assert pledge.tier_id == lamp.tiers[0].id


async def test_a_card_posted_in_a_server_shows_nobodys_pledge(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    await backed_lamp(discord_bot, clock, identity(ada))

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    assert embed(card)["fields"][0]["name"] == "Raised"
    assert "Change my pledge" not in labels(card)


async def test_another_amount_in_a_form_changes_the_pledge(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    lamp = await backed_lamp(discord_bot, clock, identity(ada))
    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    choices = await reply(await press(ada, card, "Change my pledge"))

    opened = await press(ada, choices, "Another amount")
    [amount] = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Another amount"
    (label,) = opened.modal["components"]
    assert label["description"] == "From €50.00 it keeps “Early bird”; below, it has no reward."
    done = await reply(await ada.submit_modal(opened, {amount["custom_id"]: "20"}))

    assert done.visible_to == ada.user.id
    assert embed(done)["description"].startswith("Your pledge to “The Reading Lamp” is now €20.00.")
    pledge, stored = await pledge_of(discord_bot, lamp)
    assert (pledge.tier_id, pledge.amount) == (None, Money(2_000, "EUR"))
    assert [tier.claimed for tier in stored.tiers] == [0, 0]


async def test_a_paid_pledge_comes_down_to_a_smaller_amount_with_the_difference_refunded(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock)
    await reward_backed(
        uows, clock, lamp, Caller(identity(ada), "Backer", "en"), 1, OutcomeKind.PAID
    )
    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    assert embed(card)["fields"][0]["value"] == "Lamp, €75.00"
    choices = await reply(await press(ada, card, "Change my pledge"))

    opened = await press(ada, choices, "Another amount")
    [amount] = await form_fields(opened)
    done = await reply(await ada.submit_modal(opened, {amount["custom_id"]: "60"}))

    assert embed(done)["description"] == (
        "Your pledge to “The Reading Lamp” is now €60.00. €15.00 is refunded to your card: "
        "your bank shows it within a few days."
    )
    pledge, stored = await pledge_of(discord_bot, lamp)
    assert (pledge.tier_id, pledge.refunded_amount) == (None, 1_500)
    assert (stored.raised, [tier.claimed for tier in stored.tiers]) == (6_000, [0, 0])


async def test_a_paid_pledge_going_up_is_offered_a_personal_link_to_pay_the_difference(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada", locale="fr")
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock)
    await reward_backed(
        uows, clock, lamp, Caller(identity(ada), "Backer", "fr"), 0, OutcomeKind.PAID
    )
    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    choices = await reply(await press(ada, card, "Modifier ma contribution"))

    offer = await reply(await press(ada, choices, "Lamp · 75,00\xa0€"))
    opened = await press(ada, choices, "Un autre montant")
    [amount] = await form_fields(opened)
    typed = await reply(await ada.submit_modal(opened, {amount["custom_id"]: "60"}))

    assert embed(offer)["description"] == (
        "Votre contribution est de Early bird, 50,00\xa0€. Pour la porter à 75,00\xa0€ pour "
        "«\xa0Lamp\xa0», payez la différence de 25,00\xa0€\xa0: votre contribution change "
        "une fois celle-ci payée."
    )
    pay = button(offer, "Payer la différence de 25,00\xa0€")
    top_up = discord_bot.verify_top_up(pay["url"])
    pledge, stored = await pledge_of(discord_bot, lamp)
    assert (top_up.pledge_id, top_up.tier_id, top_up.amount) == (
        pledge.id,
        lamp.tiers[1].id,
        7_500,
    )
    pay_more = button(typed, "Payer la différence de 10,00\xa0€")
    assert discord_bot.verify_top_up(pay_more["url"]).amount == 6_000
    # Nothing moves before the difference is paid.
    assert (pledge.tier_id, stored.raised, [t.claimed for t in stored.tiers]) == (
        lamp.tiers[0].id,
        5_000,
        [1, 0],
    )
