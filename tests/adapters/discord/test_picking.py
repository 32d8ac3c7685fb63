"""Commands about a campaign on Discord: each autocompletes the campaigns it could be about,
and a typed title or slug is understood whatever its case and accents."""

from __future__ import annotations

from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, identity, reply


def values(choices: list[dict[str, str]]) -> list[str]:
    """The campaign slugs a list of choices carries."""
    return [choice["value"] for choice in choices]


async def test_each_command_autocompletes_the_campaigns_it_is_about(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    ada = discord_bot.member(discord_bot.server(), "ada", admin=True)
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp", creators=(identity(ada),))
    await live_campaign(uows, clock, "cafe", title="Café Étoile")

    # Her own, to post to or report on; not someone else's.
    assert values(await ada.autocomplete("update", "name", "")) == ["lamp"]
    assert values(await ada.autocomplete("ambassadors", "name", "the")) == ["lamp"]
    assert values(await ada.autocomplete("ambassadors", "name", "cafe")) == []
    # Every live campaign to link, accents aside; only what is linked to unlink.
    assert sorted(values(await ada.autocomplete("backit link", "name", ""))) == ["cafe", "lamp"]
    assert values(await ada.autocomplete("backit unlink", "name", "")) == []
    await reply(await ada.slash("backit link", options={"name": "CAFÉ étoile"}))
    assert values(await ada.autocomplete("backit unlink", "name", "")) == ["cafe"]
    assert values(await ada.autocomplete("backit link", "name", "")) == ["lamp"]


async def test_a_typed_title_is_understood_and_a_wrong_one_is_quoted_inert(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock, "lamp", title="The Reading Lamp")
    ada = discord_bot.member(discord_bot.server(), "ada")

    card = await reply(await ada.slash("campaign", options={"name": "the reading"}))
    assert embed(card)["title"] == "The Reading Lamp"
    wrong = await reply(await ada.slash("campaign", options={"name": "**Lamp** @everyone"}))
    assert wrong.visible_to == ada.user.id
    assert wrong.content == (
        "There is no campaign called “\\*\\*Lamp\\*\\* @\u200beveryone”. "
        "Did you mean “The Reading Lamp”?"
    )


async def test_discover_marks_the_campaigns_linked_to_the_server(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp")
    await live_campaign(uows, clock, "kiln", title="The Kiln")
    olga = discord_bot.member(discord_bot.server(), "olga", admin=True, locale="fr")
    await reply(await olga.slash("backit link", options={"name": "kiln"}))

    listing = embed(await reply(await olga.slash("discover")))["description"]

    assert listing.split("\n\n")[0] == (
        "**1. The Kiln**\n⚑ Liée ici · 0\u00a0% · 0,00\u00a0€ sur 1\u202f000,00\u00a0€ · "
        "encore 20\u00a0jours"
    )
    assert "⚑" not in listing.split("\n\n")[1]
