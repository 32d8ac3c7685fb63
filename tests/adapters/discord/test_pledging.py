"""Pledging without a reward: the amount is asked in a form, checked by core, then linked."""

from __future__ import annotations

from core.errors import InvalidAmount
from core.i18n import use_locale
from core.money import Money
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, button, form_fields, labels, press, reply


async def test_a_custom_amount_is_asked_checked_and_becomes_a_personal_link(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    guild = discord_bot.server()
    ada, lea = discord_bot.member(guild, "ada"), discord_bot.member(guild, "lea", locale="fr")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    opened = await press(ada, card, "Pledge without a reward")
    [amount] = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Pledge without a reward"
    assert amount["label"] == "Amount"
    refused = await reply(await ada.submit_modal(opened, {amount["custom_id"]: "abc"}))
    assert refused.visible_to == ada.user.id
    assert refused.content == "The amount must be between €0.50 and €10,000.00."

    again = await press(ada, card, "Pledge without a reward")
    [amount] = await form_fields(again)
    offer = await reply(await ada.submit_modal(again, {amount["custom_id"]: "25"}))
    assert offer.visible_to == ada.user.id
    assert offer.content == (
        "Back “The Reading Lamp” with €25.00: one tap takes you to the secure payment page."
    )
    assert labels(offer) == ["Pledge €25.00"]
    link = discord_bot.verify(button(offer, "Pledge €25.00")["url"])
    backer = await discord_bot.backer(ada)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount) == (
        backer.id,
        lamp.id,
        None,
        2_500,
    )

    # The range is explained in the member's language, amounts in their format.
    french = await press(lea, card, "Pledge without a reward")
    [amount] = await form_fields(french)
    too_much = await reply(await lea.submit_modal(french, {amount["custom_id"]: "20000"}))
    with use_locale("fr"):
        expected = InvalidAmount(
            minimum=Money(50, "EUR"), maximum=Money(1_000_000, "EUR")
        ).user_message()
    assert too_much.content == expected
    assert expected.startswith("Le montant doit être compris entre 0,50")
