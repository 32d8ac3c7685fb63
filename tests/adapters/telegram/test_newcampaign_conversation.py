"""/newcampaign end to end: the real bot on the Bot API stand-in, storing in a real database."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PIL import Image

from adapters.standins.telegram import BotApiStandin, ChatRef, TestUser
from adapters.storage import Database
from core.campaigns import CampaignStatus, FundingModel
from core.identity import Identity, Platform
from core.money import Money
from tests.adapters.telegram.people import RunningBot, labels

TITLE_QUESTION = "What is your campaign called? At most 80 characters. /cancel stops."
REWARDS_DONE = "No more rewards"
LIMITS = ["Open to all", "First 48 hours", "First week", "Secret: by link only"]
COVER_QUESTION = (
    "Send a picture for the campaign's cover, shown on its card: a photo, or a JPEG, PNG or "
    "WebP file. Or press “Skip” to keep the category's colours."
)


def red_photo() -> bytes:
    """A photo as a phone sends it."""
    encoded = io.BytesIO()
    Image.new("RGB", (1280, 720), (220, 30, 30)).save(encoded, format="JPEG")
    return encoded.getvalue()


RED_PHOTO = red_photo()


@pytest.fixture
def standin(telegram_bot: RunningBot) -> BotApiStandin:
    """The stand-in with Backit's bot polling it, on a clock fixed at 2026-11-01 12:00 UTC."""
    return telegram_bot.standin


class Creator:
    """Ada in her private chat with the bot: she writes or presses, and reads the replies."""

    def __init__(self, standin: BotApiStandin) -> None:
        self.standin = standin
        self.user: TestUser = standin.user(42, "Ada", last_name="Lovelace")
        self.chat: ChatRef = standin.private_chat(self.user)

    async def says(self, text: str, chat: ChatRef | None = None) -> dict[str, Any]:
        """Send a message and return the bot's reply."""
        where = chat or self.chat
        await self.user.send(where, text)
        return await self.standin.next_message(where)

    async def presses(self, message: dict[str, Any], label: str) -> list[dict[str, Any]]:
        """Press a button; the pressed message as edited, then the bot's next message."""
        press = await self.user.press(message, label)
        await press.answer()
        return [await self.standin.next_message(self.chat) for _ in range(2)]


async def test_a_creator_answers_each_question_and_gets_a_draft(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    assert (await ada.says("/newcampaign"))["text"] == TITLE_QUESTION

    too_long = await ada.says("x" * 81)
    assert too_long["text"] == f"Title can be at most 80 characters long.\n\n{TITLE_QUESTION}"
    blurb = await ada.says("The <Reading> Lamp")
    assert blurb["text"].startswith("In one sentence, what is it?")
    story = await ada.says("A warm lamp for long nights.")
    assert story["text"].startswith("Now the longer story: what you are making, why,")
    assert labels(story) == ["Skip"]
    goal = await ada.says("Oak and brass.\n\nMade in Lyon.")
    assert goal["text"].startswith("How much do you need?")
    unreadable = await ada.says("five thousand")
    assert unreadable["text"].startswith(
        "“five thousand” is not an amount: type digits, e.g. 5000\n\nHow much do you need?"
    )
    end = await ada.says("5 000 €")
    assert end["text"].startswith("How long will it run?")
    category = await ada.says("2026-12-24")
    assert category["text"] == "Which category is it in?"
    assert "Film & Video" in labels(category)

    chosen, funding = await ada.presses(category, "Design")
    assert (chosen["text"], labels(chosen)) == ("Category: Design", [])
    assert labels(funding) == ["All or nothing", "Flexible"]
    chosen, cover = await ada.presses(funding, "All or nothing")
    assert chosen["text"] == "All or nothing: cards are charged only if the goal is met"
    assert cover["text"] == COVER_QUESTION
    assert labels(cover) == ["Skip"]
    not_a_picture = await ada.says("my lamp")
    assert not_a_picture["text"] == f"Please send a picture, or /cancel.\n\n{COVER_QUESTION}"
    await ada.user.send_photo(ada.chat, RED_PHOTO)
    rewards = await standin.next_message(ada.chat)
    assert rewards["text"].startswith(
        "Cover received: it is shown once the draft is created.\n\nNow the rewards"
    )
    assert labels(rewards) == [REWARDS_DONE]

    other_currency = await ada.says("Early bird | £50 | 100")
    assert other_currency["text"].startswith(
        "This campaign is in EUR; “£50” is in GBP.\n\nNow the rewards"
    )
    described = await ada.says("Early bird | 50 | 100")
    assert described["text"] == (
        "What does a backer of “Early bird” get? Describe it, or press “Skip”."
    )
    assert labels(described) == ["Skip"]
    delivery = await ada.says("The first lamp off the bench, signed.")
    assert delivery["text"] == (
        "When do you expect to deliver “Early bird”? Send a month and a year, "
        "like 2027-03 or March 2027."
    )
    past = await ada.says("2026-10")
    assert past["text"].startswith(
        "“2026-10” is in the past: the delivery month must be 2026-11 or later.\n\nWhen do"
    )
    shipping = await ada.says("March 2027")
    assert shipping["text"].startswith("Where does “Early bird” ship?")
    assert labels(shipping) == ["Digital", "Worldwide"]
    unknown = await ada.says("France")
    assert unknown["text"].startswith("“France” is not a shipping answer")
    limit = await ada.says("fr, be")
    assert limit["text"].startswith(
        "Who can choose “Early bird”, and for how long? “Open to all”: anyone, as long as the "
        "campaign runs. An early bird is offered for a time from the launch: “First 48 hours”, "
        "“First week”, or another time, like 72 hours or 3 days."
    )
    assert labels(limit) == LIMITS
    unreadable = await ada.says("3 months")
    assert unreadable["text"].startswith(
        "“3 months” is not a length of time: write it like 72 hours or 3 days.\n\nWho can choose"
    )
    assert labels(unreadable) == LIMITS
    added = await ada.says("48h")
    assert added["text"] == (
        "Added “Early bird” at €50.00. Send another reward, or press “No more rewards”."
    )
    skipped, delivery = await ada.presses(await ada.says("Lamp | 75"), "Skip")
    assert labels(skipped) == []
    assert delivery["text"].startswith("When do you expect to deliver “Lamp”?")
    chosen, limit = await ada.presses(await ada.says("mars 2027"), "Worldwide")
    assert (chosen["text"], labels(chosen)) == ("Ships worldwide", [])
    assert limit["text"].startswith("Who can choose “Lamp”, and for how long?")
    chosen, added = await ada.presses(limit, "Secret: by link only")
    assert (chosen["text"], labels(chosen)) == ("Secret: offered by link only", [])
    assert added["text"].startswith("Added “Lamp” at €75.00.")
    closed, preview = await ada.presses(added, REWARDS_DONE)
    assert labels(closed) == []
    assert preview["html"].startswith(
        "<b>This is how your campaign will look:</b>\n\n<b>The &lt;Reading&gt; Lamp</b>"
    )
    for line in (
        "<i>by Ada Lovelace · Design</i>",
        "A warm lamp for long nights.\n\nOak and brass.\n\nMade in Lyon.",
        "<b>Raised:</b> €0.00 of €5,000.00",
        "<b>Ends:</b> Dec 24, 2026 at 11:59\u202fPM UTC",
        "▸ <b>Early bird · €50.00</b>\nThe first lamp off the bench, signed.\n"
        "Estimated delivery: March 2027\nShips to France and Belgium\n0 backers · 100 of 100 left"
        "\nUntil Nov 3, 2026 at 12:00\u202fPM UTC",
        "▸ <b>Lamp · €75.00</b>\nSecret: offered by link only\nEstimated delivery: March 2027\n"
        "Ships worldwide\n0 backers",
    ):
        assert line in preview["html"]
    assert labels(preview) == ["Create draft", "Cancel"]

    closed, created = await ada.presses(preview, "Create draft")
    assert labels(closed) == []
    assert created["text"] == (
        "Your draft “The <Reading> Lamp” is saved as the-reading-lamp. “The <Reading> Lamp” "
        "is sent for review. An operator will approve it or ask for changes, and you will hear "
        "which here."
    )
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
    assert stored is not None
    assert (stored.status, stored.creator_name, stored.creator_identities) == (
        CampaignStatus.IN_REVIEW,
        "Ada Lovelace",
        (Identity(Platform.TELEGRAM, "42"),),
    )
    assert (stored.goal, stored.category, stored.funding_model, stored.ends_at) == (
        Money(500_000, "EUR"),
        "design",
        FundingModel.ALL_OR_NOTHING,
        datetime(2026, 12, 24, 23, 59, tzinfo=UTC),
    )
    assert stored.description == "Oak and brass.\n\nMade in Lyon."
    async with database.unit_of_work() as uow:
        kept = await uow.covers.of_campaign(stored.id)
    assert kept is not None
    assert stored.cover == kept.digest
    assert [
        (
            t.title,
            t.description,
            t.amount.amount,
            t.quantity_limit,
            t.estimated_delivery,
            t.ships,
            t.ship_countries,
        )
        for t in stored.tiers
    ] == [
        (
            "Early bird",
            "The first lamp off the bench, signed.",
            5_000,
            100,
            date(2027, 3, 1),
            True,
            ("FR", "BE"),
        ),
        ("Lamp", "", 7_500, None, date(2027, 3, 1), True, ()),
    ]
    early, lamp = stored.tiers
    # The early bird counts from the draft's start, and moves with its launch.
    assert stored.starts_at == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert (early.opens_at, early.closes_at) == (None, stored.starts_at + timedelta(hours=48))
    assert (early.secret_code, lamp.closes_at) == (None, None)
    assert lamp.secret_code is not None


async def test_cancel_stops_the_conversation_and_stores_nothing(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    await ada.says("/newcampaign")
    await ada.says("The Reading Lamp")
    assert (await ada.says("/cancel"))["text"] == "Campaign draft discarded."
    # The next message is no longer an answer: it is pointed onward, and /newcampaign starts
    # afresh.
    onward = await ada.says("A warm lamp for long nights.")
    assert onward["text"] == "Send /discover to find campaigns, or /help."
    assert (await ada.says("/newcampaign"))["text"] == TITLE_QUESTION
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.list_all() == []


async def test_text_where_a_button_is_expected_asks_again_with_the_buttons(
    standin: BotApiStandin,
) -> None:
    ada = Creator(standin)
    for answer in ("/newcampaign", "Lamp", "A lamp.", "A lamp of oak.", "50 usd", "30"):
        await ada.says(answer)
    again = await ada.says("Design")
    assert again["text"] == "Please answer with the buttons.\n\nWhich category is it in?"
    assert "Design" in labels(again)


async def test_in_a_group_the_creator_is_sent_to_a_private_chat(standin: BotApiStandin) -> None:
    ada = Creator(standin)
    group = standin.group(-100, "Makers", members=[ada.user])
    refused = await ada.says("/newcampaign", group)
    assert refused["text"] == "Create your campaign with me in a private chat."


async def test_the_twentieth_reward_goes_straight_to_a_preview_that_fits_one_message(
    standin: BotApiStandin,
) -> None:
    ada = Creator(standin)
    story = "A lamp of oak. " * 260
    for answer in ("/newcampaign", "Lamp", "A lamp.", story, "50 usd", "30"):
        category = await ada.says(answer)
    _, funding = await ada.presses(category, "Design")
    _, cover = await ada.presses(funding, "Flexible")
    await ada.presses(cover, "Skip")
    # Every reward as long as a reward may be: the preview still fits one message.
    described = "A pin of brass, enamelled by hand. " * 28
    countries = "FR, BE, CH, DE, NL, ES, IT, LU, AT, PT"
    for number in range(1, 20):
        title = f"{number:02} {'Pin ' * 14}"
        for answer in (f"{title} | {number} | 999999", described, "2027-09", countries, "2j"):
            await ada.says(answer)
    for answer in ("Pin 20 | 20", described, "2027-09", countries):
        await ada.says(answer)
    await ada.user.send(ada.chat, "2 days")
    last = await standin.next_message(ada.chat)
    preview = await standin.next_message(ada.chat)
    assert last["text"] == "Added “Pin 20” at $20.00. That is as many as a campaign may have."
    assert len(preview["text"]) <= 4096
    shown = preview["html"].count("▸ <b>")
    assert shown == 20 or f"… and {20 - shown} more" in preview["text"]
    assert "▸ <b>01 Pin Pin" in preview["html"]
    assert labels(preview) == ["Create draft", "Cancel"]


async def test_in_french_the_new_questions_and_refusals_are_french(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    ada.user = standin.user(43, "Léa", language_code="fr")
    ada.chat = standin.private_chat(ada.user)
    for answer in ("/newcampaign", "Lampe", "Une lampe."):
        story = await ada.says(answer)
    assert story["text"].startswith("Maintenant l’histoire complète\u00a0:")
    skipped, goal = await ada.presses(story, "Passer")
    assert labels(skipped) == []
    assert goal["text"].startswith("De combien avez-vous besoin\u00a0?")
    refused = await ada.says("cinq mille")
    assert refused["text"].startswith(
        "«\u00a0cinq mille\u00a0» n’est pas un montant\u00a0: tapez des chiffres, par exemple 5000"
    )
    end = await ada.says("3\u00a0000,50 €")
    assert end["text"].startswith("Combien de temps")
    category = await ada.says("30")
    _, funding = await ada.presses(category, "Design")
    _, cover = await ada.presses(funding, "Flexible")
    assert cover["text"].startswith("Envoyez une image pour la couverture")
    await ada.user.send_document(ada.chat, b"notes", "notes.txt", "text/plain")
    again = await standin.next_message(ada.chat)
    assert again["text"].startswith("Backit ne peut pas utiliser ce fichier comme image")
    await ada.presses(again, "Passer")
    described = await ada.says("Badge | 5")
    assert described["text"].startswith("Que reçoit un contributeur de «\u00a0Badge\u00a0»\u00a0?")
    delivery = (await ada.presses(described, "Passer"))[1]
    assert delivery["text"].startswith("Quand pensez-vous livrer")
    shipping = await ada.says("févr. 2027")
    assert labels(shipping) == ["Numérique", "Monde entier"]
    chosen, limit = await ada.presses(shipping, "Numérique")
    assert chosen["text"] == "Numérique, sans envoi"
    assert limit["text"].startswith(
        "Qui peut choisir «\u00a0Badge\u00a0», et pendant combien de temps\u00a0?"
    )
    assert labels(limit) == [
        "Ouverte à tous",
        "Les 48 premières heures",
        "La première semaine",
        "Secrète\u00a0: par lien seulement",
    ]
    refused = await ada.says("3 mois")
    assert refused["text"].startswith(
        "«\u00a03 mois\u00a0» n’est pas une durée\u00a0: écrivez-la comme 72 heures ou 3 jours."
    )
    added = await ada.says("3 jours")
    assert added["text"].startswith("Contrepartie «\u00a0Badge\u00a0» à 5,00\u00a0€ ajoutée.")
    _, preview = await ada.presses(added, "Pas d’autre contrepartie")
    assert "Livraison estimée\u00a0: février 2027\nNumérique, sans envoi" in preview["text"]
    _, created = await ada.presses(preview, "Créer le brouillon")
    assert created["text"].startswith("Votre brouillon «\u00a0Lampe\u00a0» est enregistré")
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("lampe")
    assert stored is not None
    assert stored.goal == Money(300_050, "EUR")
    assert stored.description == ""
    assert [(t.estimated_delivery, t.ships) for t in stored.tiers] == [(date(2027, 2, 1), False)]
    assert stored.tiers[0].closes_at == stored.starts_at + timedelta(days=3)


async def test_an_early_bird_outlasting_the_campaign_is_refused_and_a_shorter_one_kept(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    for answer in ("/newcampaign", "Lamp", "A lamp.", "A lamp of oak.", "50 eur", "5"):
        category = await ada.says(answer)
    _, funding = await ada.presses(category, "Design")
    _, cover = await ada.presses(funding, "Flexible")
    await ada.presses(cover, "Skip")
    await ada.presses(await ada.says("Founders' lamp | 40"), "Skip")
    _, founders = await ada.presses(await ada.says("2027-03"), "Digital")

    press = await ada.user.press(founders, "First week")
    await press.answer()
    refused = await standin.next_message(ada.chat)
    assert refused["text"].startswith(
        "“Founders' lamp” cannot be an early bird for that long: the campaign ends on "
        "Nov 6, 2026 at 12:00\u202fPM UTC. Choose a shorter time, or open it to all.\n\n"
        "Who can choose “Founders' lamp”"
    )
    chosen, _ = await ada.presses(refused, "First 48 hours")
    assert (chosen["text"], labels(chosen)) == ("Early bird: the first 2 days from the launch", [])
    _, pin = await ada.presses(await ada.says("Pin | 5"), "Skip")
    _, pin = await ada.presses(await ada.says("2027-03"), "Digital")
    chosen, added = await ada.presses(pin, "Open to all")
    assert chosen["text"] == "Open to all, as long as the campaign runs"
    _, preview = await ada.presses(added, REWARDS_DONE)
    assert "0 backers\nUntil Nov 3, 2026 at 12:00\u202fPM UTC" in preview["text"]
    await ada.presses(preview, "Create draft")

    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("lamp")
    assert stored is not None
    assert [(t.title, t.closes_at, t.secret) for t in stored.tiers] == [
        ("Founders' lamp", stored.starts_at + timedelta(hours=48), False),
        ("Pin", None, False),
    ]
