"""French: command names and descriptions by the translator, replies in the member's language."""

from __future__ import annotations

from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, labels, press, reply


async def test_commands_are_named_and_described_in_french(discord_bot: RunningBot) -> None:
    synced = {command.name: command.payload for command in discord_bot.standin.commands()}

    assert synced["discover"]["name_localizations"] == {"fr": "découvrir"}
    assert synced["discover"]["description_localizations"] == {"fr": "Parcourir les campagnes"}
    sort = synced["discover"]["options"][0]
    assert (sort["name_localizations"], sort["choices"][0]["name_localizations"]) == (
        {"fr": "tri"},
        {"fr": "Tendances"},
    )
    backit = synced["backit"]
    assert backit["name_localizations"] == {}
    assert backit["options"][1]["name_localizations"] == {"fr": "lier"}


async def test_a_french_member_is_answered_in_french(discord_bot: RunningBot, clock: Clock) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    lea = discord_bot.member(discord_bot.server(), "lea", locale="fr")

    listing = await reply(await lea.slash("découvrir", options={"sort": "ending"}))
    card = await reply(await press(lea, listing, "1. The Reading Lamp"))

    assert embed(listing)["title"] == "Bientôt finies"
    assert embed(listing)["footer"]["text"] == "Page 1 sur 1"
    assert [field["name"] for field in embed(card)["fields"]] == [
        "Collecté",
        "Contributeurs",
        "Temps restant",
        "Fin",
        "Financement",
        "Contreparties",
    ]
    assert labels(card)[-3:] == ["Contribuer sans contrepartie", "Progression", "Suivre"]


async def test_the_language_a_member_chooses_wins_over_their_app(
    discord_bot: RunningBot, clock: Clock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    done = await reply(await ada.slash("language", options={"language": "fr"}))
    listing = await reply(await ada.slash("discover"))

    assert done.content == "C’est fait\u00a0: je vous parlerai en français."
    # A member's setting is theirs alone: the server does not see it.
    assert done.visible_to == ada.user.id
    assert embed(listing)["title"] == "Tendances"
