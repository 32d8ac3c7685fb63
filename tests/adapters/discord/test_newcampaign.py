"""/newcampaign on Discord: forms and buttons against the stand-in, storing in a real database."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PIL import Image

from adapters.standins.discord import Interaction, Member, Message
from adapters.standins.discord.attachments import Upload
from adapters.storage import Database
from core.campaigns import CampaignStatus, FundingModel
from core.money import Money
from tests.adapters.discord.people import (
    RunningBot,
    embed,
    form_fields,
    identity,
    labels,
    press,
    reply,
)

CAMPAIGN_LABELS = [
    "Title",
    "One-sentence blurb",
    "The story (optional)",
    "Goal, with its currency",
    "Days it runs, or its last day",
]
LIMITS = ["Open to all", "First 48 hours", "First week", "Another time…", "Secret: by link only"]
REWARD_LABELS = [
    "Reward title",
    "Price in EUR",
    "How many are offered (blank: no limit)",
    "What backers get (optional)",
    "Estimated delivery (month and year)",
]


async def fill(member: Member, opened: Interaction, *answers: str) -> Message:
    """Submit the form the bot opened with one answer per field, in order; the bot's reply."""
    fields = await form_fields(opened)
    values = {field["custom_id"]: text for field, text in zip(fields, answers, strict=True)}
    return await reply(await member.submit_modal(opened, values))


async def test_a_creator_fills_the_forms_corrects_them_and_stores_a_draft(
    discord_bot: RunningBot, database: Database
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")

    opened = await ada.slash("newcampaign")
    fields = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "New campaign"
    assert [(f["label"], f["required"]) for f in fields] == [
        (label, label != "The story (optional)") for label in CAMPAIGN_LABELS
    ]
    lamp = ("The Reading Lamp", "A warm lamp for long nights.", "Oak and brass.")
    refused = await fill(ada, opened, *lamp, "five thousand", "soon")
    assert refused.visible_to == ada.user.id
    assert refused.content == (
        "“five thousand” is not an amount: type digits, e.g. 5000\n"
        "End: send a number of days from 1 to 90, or a date like 2026-12-24"
    )
    again = await press(ada, refused, "Try again")
    # The form comes back as it was sent, to correct what was refused.
    assert [f.get("value") for f in await form_fields(again)] == [*lamp, "five thousand", "soon"]
    categories = await fill(ada, again, *lamp, "5 000 €", "2026-12-24")
    assert categories.content == "Which category is it in?"
    assert "Film & Video" in labels(categories)

    funding = await reply(await press(ada, categories, "Design"))
    assert funding.id == categories.id
    assert funding.content.startswith("Category: Design\n\nHow should backers be charged?")
    assert labels(funding) == ["All or nothing", "Flexible"]
    rewards = await reply(await press(ada, funding, "All or nothing"))
    assert rewards.content.startswith("All or nothing: cards are charged only if the goal is met")
    assert labels(rewards) == ["Add a reward", "Preview"]

    opened = await press(ada, rewards, "Add a reward")
    assert [f["label"] for f in await form_fields(opened)] == REWARD_LABELS
    refused = await fill(ada, opened, "Early bird", "£50", "100", "Signed.", "2026-10")
    assert refused.content == (
        "This campaign is in EUR; “£50” is in GBP.\n"
        "“2026-10” is in the past: the delivery month must be 2026-11 or later."
    )
    again = await press(ada, refused, "Try again")
    shipping = await fill(ada, again, "Early bird", "50", "100", "Signed.", "March 2027")
    assert shipping.content.startswith("Where does “Early bird” ship?")
    assert labels(shipping) == ["Digital", "Worldwide", "Some countries…"]
    countries = await press(ada, shipping, "Some countries…")
    unknown = await fill(ada, countries, "France")
    assert unknown.content.startswith("“France” is not a shipping answer")
    assert labels(unknown) == ["Digital", "Worldwide", "Some countries…"]
    limit = await fill(ada, await press(ada, unknown, "Some countries…"), "fr, be")
    assert limit.content.startswith("Who can choose “Early bird”, and for how long?")
    assert labels(limit) == LIMITS
    added = await reply(await press(ada, limit, "First 48 hours"))
    assert added.id == limit.id
    assert added.content == (
        "Added “Early bird” at €50.00. Add another reward, or see the preview."
    )
    late = await reply(await press(ada, shipping, "Worldwide"))
    assert late.content == "That reward is added already: add another, or see the preview."
    assert late.id != shipping.id

    shipping = await fill(
        ada, await press(ada, added, "Add a reward"), "Lamp", "75", "", "", "mars 2027"
    )
    limit = await reply(await press(ada, shipping, "Worldwide"))
    assert limit.id == shipping.id
    assert limit.content.startswith("Who can choose “Lamp”, and for how long?")
    added = await reply(await press(ada, limit, "Secret: by link only"))
    assert added.content.startswith("Added “Lamp” at €75.00.")

    preview = await reply(await press(ada, added, "Preview"))
    assert preview.content == "This is how your campaign will look:"
    card = embed(preview)
    assert card["title"] == "The Reading Lamp"
    assert "A warm lamp for long nights.\n\nOak and brass." in card["description"]
    (rewards,) = [f["value"] for f in card["fields"] if f["name"] == "Rewards"]
    assert rewards == (
        "**Early bird · €50.00**\nSigned.\nEstimated delivery: March 2027\n"
        "Ships to France and Belgium\n0 backers · 100 of 100 left\n"
        "Until Nov 3, 2026 at 12:00\u202fPM UTC\n\n"
        "**Lamp · €75.00**\nSecret: offered by link only\nEstimated delivery: March 2027\n"
        "Ships worldwide\n0 backers"
    )
    assert labels(preview) == ["Create draft", "Cancel"]

    created = await reply(await press(ada, preview, "Create draft"))
    assert created.content == (
        "Your draft “The Reading Lamp” is saved as the-reading-lamp. “The Reading Lamp” is "
        "sent for review. An operator will approve it or ask for changes, and you will hear "
        "which here."
    )
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
    assert stored is not None
    assert (stored.status, stored.creator_identities, stored.description) == (
        CampaignStatus.IN_REVIEW,
        (identity(ada),),
        "Oak and brass.",
    )
    assert (stored.goal, stored.funding_model, stored.ends_at) == (
        Money(500_000, "EUR"),
        FundingModel.ALL_OR_NOTHING,
        datetime(2026, 12, 24, 23, 59, tzinfo=UTC),
    )
    tiers: list[tuple[Any, ...]] = [
        (t.title, t.description, t.amount.amount, t.quantity_limit, t.estimated_delivery)
        for t in stored.tiers
    ]
    assert tiers == [
        ("Early bird", "Signed.", 5_000, 100, date(2027, 3, 1)),
        ("Lamp", "", 7_500, None, date(2027, 3, 1)),
    ]
    assert [(t.ships, t.ship_countries) for t in stored.tiers] == [(True, ("FR", "BE")), (True, ())]
    early, secret = stored.tiers
    # The early bird counts from the draft's start, and moves with its launch.
    assert stored.starts_at == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert (early.opens_at, early.closes_at) == (None, stored.starts_at + timedelta(hours=48))
    assert (early.secret_code, secret.closes_at) == (None, None)
    assert secret.secret_code is not None

    # The draft is stored: the buttons of its earlier messages now say so.
    stale = await reply(await press(ada, added, "Preview"))
    assert stale.content == "This draft is no longer open: start again with /newcampaign."


async def test_the_forms_and_answers_speak_french(discord_bot: RunningBot) -> None:
    guild = discord_bot.server()
    lea = discord_bot.member(guild, "lea", locale="fr")
    opened = await lea.slash("nouvellecampagne")
    fields = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Nouvelle campagne"
    assert fields[3]["label"] == "Objectif, avec sa devise"
    refused = await fill(lea, opened, "Lampe", "Une lampe.", "", "cinq mille", "30")
    assert refused.content == (
        "«\u00a0cinq mille\u00a0» n’est pas un montant\u00a0: tapez des chiffres, par exemple 5000"
    )
    assert labels(refused) == ["Réessayer"]
    categories = await fill(
        lea,
        await press(lea, refused, "Réessayer"),
        "Lampe",
        "Une lampe.",
        "",
        "3\u202f000,50 €",
        "30",
    )
    assert categories.content == "Dans quelle catégorie est-elle\u00a0?"
    funding = await reply(await press(lea, categories, "Design"))
    rewards = await reply(await press(lea, funding, "Flexible"))
    assert labels(rewards) == ["Ajouter une contrepartie", "Aperçu"]
    opened = await press(lea, rewards, "Ajouter une contrepartie")
    assert [f["label"] for f in await form_fields(opened)][1] == "Prix en EUR"
    shipping = await fill(lea, opened, "Badge", "5", "", "", "févr. 2027")
    assert labels(shipping) == ["Numérique", "Monde entier", "Quelques pays…"]
    limit = await reply(await press(lea, shipping, "Numérique"))
    assert limit.content.startswith("Qui peut choisir «\u00a0Badge\u00a0»")
    assert labels(limit) == [
        "Ouverte à tous",
        "Les 48 premières heures",
        "La première semaine",
        "Une autre durée…",
        "Secrète\u00a0: par lien seulement",
    ]
    refused = await fill(lea, await press(lea, limit, "Une autre durée…"), "3 mois")
    assert refused.content.startswith(
        "«\u00a03 mois\u00a0» n’est pas une durée\u00a0: écrivez-la comme 72 heures ou 3 jours."
        "\n\nQui peut choisir «\u00a0Badge\u00a0»"
    )
    added = await fill(lea, await press(lea, refused, "Une autre durée…"), "3 jours")
    assert added.content.startswith("Contrepartie «\u00a0Badge\u00a0» à 5,00\u00a0€ ajoutée.")
    preview = await reply(await press(lea, added, "Aperçu"))
    (rewards,) = [f["value"] for f in embed(preview)["fields"] if f["name"] == "Contreparties"]
    assert rewards.endswith("0 contributeur\nJusqu’au 4 nov. 2026 à 12:00 UTC")


def red_picture() -> Upload:
    """A picture attached to /newcampaign."""
    encoded = io.BytesIO()
    Image.new("RGB", (1600, 900), (220, 30, 30)).save(encoded, format="PNG")
    return Upload("lamp.png", "image/png", encoded.getvalue())


async def drafted(member: Member, options: dict[str, Any]) -> Message:
    """/newcampaign with options and its form filled in: the reply that asks the category."""
    opened = await member.slash("newcampaign", options=options)
    lamp = ("The Reading Lamp", "A warm lamp for long nights.", "Oak and brass.")
    return await fill(member, opened, *lamp, "5000 €", "30")


async def test_a_picture_given_with_newcampaign_becomes_the_drafts_cover(
    discord_bot: RunningBot, database: Database
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    categories = await drafted(ada, {"cover": red_picture()})
    assert categories.content == (
        "Cover received: it is shown once the draft is created.\n\nWhich category is it in?"
    )
    funding = await reply(await press(ada, categories, "Design"))
    rewards = await reply(await press(ada, funding, "Flexible"))
    preview = await reply(await press(ada, rewards, "Preview"))
    await reply(await press(ada, preview, "Create draft"))

    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
        assert stored is not None
        cover = await uow.covers.of_campaign(stored.id)
    assert cover is not None
    assert stored.cover == cover.digest


async def test_a_picture_backit_cannot_use_leaves_the_draft_without_a_cover(
    discord_bot: RunningBot, database: Database
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    notes = Upload("notes.txt", "text/plain", b"ideas")
    categories = await drafted(ada, {"cover": notes})
    assert categories.content == (
        "That is not a picture Backit can use: send a JPEG, PNG or WebP image. The draft goes "
        "on without a cover: add one later with /cover.\n\nWhich category is it in?"
    )
    funding = await reply(await press(ada, categories, "Design"))
    rewards = await reply(await press(ada, funding, "Flexible"))
    preview = await reply(await press(ada, rewards, "Preview"))
    await reply(await press(ada, preview, "Create draft"))
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
    assert stored is not None
    assert stored.cover is None


async def test_an_early_bird_outlasting_the_campaign_is_refused_and_a_shorter_one_kept(
    discord_bot: RunningBot, database: Database
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    opened = await ada.slash("newcampaign")
    categories = await fill(ada, opened, "The Reading Lamp", "A lamp.", "", "5000 €", "5")
    funding = await reply(await press(ada, categories, "Design"))
    rewards = await reply(await press(ada, funding, "Flexible"))
    opened = await press(ada, rewards, "Add a reward")
    shipping = await fill(ada, opened, "Founders' lamp", "40", "", "", "2027-03")
    limit = await reply(await press(ada, shipping, "Digital"))

    refused = await reply(await press(ada, limit, "First week"))
    assert refused.id == limit.id
    assert refused.content.startswith(
        "“Founders' lamp” cannot be an early bird for that long: the campaign ends on "
        "Nov 6, 2026 at 12:00\u202fPM UTC. Choose a shorter time, or open it to all.\n\n"
        "Who can choose “Founders' lamp”"
    )
    assert labels(refused) == LIMITS
    added = await reply(await press(ada, refused, "First 48 hours"))
    assert added.content.startswith("Added “Founders' lamp” at €40.00.")
    preview = await reply(await press(ada, added, "Preview"))
    await reply(await press(ada, preview, "Create draft"))
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
    assert stored is not None
    assert [(t.closes_at, t.secret) for t in stored.tiers] == [
        (stored.starts_at + timedelta(hours=48), False)
    ]
