"""Pledging: an amount asked in a form and checked by core, or a reward held at checkout."""

from __future__ import annotations

from datetime import timedelta

from core.errors import AmountTooLarge
from core.i18n import use_locale
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.ports import Clock
from core.usecases.managing import TierDraft
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, button, form_fields, labels, press, reply
from tests.fakes import FixedClock


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
    # The same bounds as Telegram's question, under the field.
    assert opened.modal["components"][0]["description"] == "An amount between €0.50 and €10,000.00"
    refused = await reply(await ada.submit_modal(opened, {amount["custom_id"]: "abc"}))
    assert refused.visible_to == ada.user.id
    assert refused.content == "“abc” is not an amount: type digits, e.g. 25"

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
    assert french.modal is not None
    assert french.modal["components"][0]["description"] == (
        "Un montant entre 0,50\u00a0€ et 10\u202f000,00\u00a0€"
    )
    too_much = await reply(await lea.submit_modal(french, {amount["custom_id"]: "20000"}))
    with use_locale("fr"):
        expected = AmountTooLarge(text="20000", maximum=Money(1_000_000, "EUR")).user_message()
    assert too_much.content == expected
    assert expected.startswith("«\u00a020000\u00a0» est supérieur à 10\u202f000,00")


async def test_a_reward_held_at_other_peoples_checkouts_says_when_to_try_again(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, tiers=(TierDraft("Early bird", "", 5_000, 2),))
    for user in ("1", "2"):
        someone = Caller(Identity(Platform.DISCORD, user), f"Person {user}", "en")
        request = PledgeRequest(someone, lamp.id, lamp.tiers[0].id)
        await start_pledge(uows(), clock, PledgeLimits(), request)
    clock.advance(timedelta(minutes=29, seconds=30))
    guild = discord_bot.server()
    ada, lea = discord_bot.member(guild, "ada"), discord_bot.member(guild, "lea", locale="fr")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    held = "Early bird · €50.00 · At checkout · try again in 1 min"
    refused = await reply(await press(ada, card, held))
    refused_fr = await reply(await press(lea, card, held))

    assert (refused.visible_to, refused.content) == (
        ada.user.id,
        "“Early bird” is being checked out by others. Try again in 1 minute.",
    )
    assert refused_fr.content == (
        "«\u00a0Early bird\u00a0» est en cours de paiement par d’autres personnes. "
        "Réessayez dans 1\u00a0minute."
    )


async def test_an_early_bird_offers_itself_until_it_closes_then_says_when_it_closed(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    closes_at = clock.now() + timedelta(hours=1)
    early_bird = TierDraft("Early bird", "", 5_000, closes_at=closes_at)
    await live_campaign(discord_bot.services.uows, clock, tiers=(early_bird,))
    guild = discord_bot.server()
    ada, lea = discord_bot.member(guild, "ada"), discord_bot.member(guild, "lea", locale="fr")

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    open_label = "Early bird · €50.00 · closes in 1 hour"
    offer = await reply(await press(ada, card, open_label))
    assert offer.visible_to == ada.user.id
    assert "url" in button(offer, "Pledge: Early bird · €50.00 · closes in 1 hour")
    clock.advance(timedelta(hours=1))

    # The card shown before the close now gets the refusal, and a new card says it closed.
    refused = await reply(await press(ada, card, open_label))
    assert (refused.visible_to, refused.content) == (
        ada.user.id,
        "This reward closed on Nov 1, 2026 at 1:00\u202fPM UTC.",
    )
    card_fr = await reply(await lea.slash("campaign", options={"name": "lamp"}))
    refused_fr = await reply(await press(lea, card_fr, "Early bird · 50,00\u00a0€ · fermée"))
    assert refused_fr.content == "Cette récompense a fermé le 1 nov. 2026 à 13:00 UTC."
