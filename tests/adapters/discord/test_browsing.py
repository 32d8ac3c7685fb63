"""Discovering end to end: lists, paging and sorting, cards, autocomplete, and reward buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.ports import Clock
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import (
    RunningBot,
    button,
    embed,
    identity,
    labels,
    press,
    reply,
)


def rows(message_components: list[dict[str, Any]]) -> list[list[str]]:
    """Each row's button labels."""
    return [[c["label"] for c in row["components"]] for row in message_components]


async def test_discover_then_a_card_then_a_reward_gives_the_member_their_own_pledge_link(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")

    listing = await reply(await ada.slash("discover"))
    assert not listing.ephemeral
    assert embed(listing)["description"] == (
        "**1. The Reading Lamp**\n0% · €0.00 of €1,000.00 · 20 days left"
    )
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    assert card.visible_to == ada.user.id
    shown = embed(card)
    assert shown["title"] == "The Reading Lamp"
    assert shown["description"] == (
        "*by Ada · Design*\n\nA warm lamp for long nights.\n\n▱▱▱▱▱▱▱▱▱▱ **0%**"
    )
    assert [(field["name"], field["value"]) for field in shown["fields"]] == [
        ("Raised", "€0.00 of €1,000.00"),
        ("Backers", "0"),
        ("Time left", "20 days left"),
        ("Ends", "Nov 21, 2026 at 12:00\u202fPM UTC"),
        ("Funding", "Flexible: charged now, kept whatever the outcome"),
        (
            "Rewards",
            "**Early bird · €50.00**\nOne lamp, cheaper\nDigital, no shipping\n"
            "0 backers · 100 of 100 left\n\n**Lamp · €75.00**\nDigital, no shipping\n0 backers",
        ),
    ]
    assert [field["inline"] for field in shown["fields"]] == [True] * 5 + [False]
    assert rows(card.components) == [
        ["Early bird · €50.00 · 100 left", "Lamp · €75.00"],
        ["Pledge without a reward", "Progress", "Follow"],
    ]

    offer = await reply(await press(ada, card, "Lamp · €75.00"))
    assert offer.visible_to == ada.user.id
    assert offer.content == (
        "Back “The Reading Lamp” with Lamp: one tap takes you to the secure payment page."
    )
    link = discord_bot.verify(button(offer, "Pledge: Lamp · €75.00")["url"])
    backer = await discord_bot.backer(ada)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount) == (
        backer.id,
        lamp.id,
        lamp.tiers[1].id,
        None,
    )


async def test_a_shared_card_gives_each_member_a_link_of_their_own(
    discord_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(discord_bot.services.uows, clock)
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    assert not card.ephemeral
    assert "/pledge/" not in str(card.payload)
    offer = await reply(await press(bob, card, "Early bird · €50.00 · 100 left"))

    assert offer.visible_to == bob.user.id
    link = discord_bot.verify(button(offer, "Pledge: Early bird · €50.00 · 100 left")["url"])
    assert (link.backer_id, link.tier_id) == ((await discord_bot.backer(bob)).id, lamp.tiers[0].id)


async def test_the_card_counts_the_days_left_as_the_list_does_and_shows_the_end(
    discord_bot: RunningBot, clock: Clock
) -> None:
    # 8 days and 14 hours: Discord's own relative time would say "in 9 days".
    await live_campaign(discord_bot.services.uows, clock, ends_in=timedelta(days=8, hours=14))
    ada = discord_bot.member(discord_bot.server(), "ada")

    listing = await reply(await ada.slash("discover"))
    assert embed(listing)["description"].endswith(" · 8 days left")
    card = embed(await reply(await press(ada, listing, "1. The Reading Lamp")))
    assert [(field["name"], field["value"]) for field in card["fields"]][2:4] == [
        ("Time left", "8 days left"),
        ("Ends", "Nov 10, 2026 at 2:00\u202fAM UTC"),
    ]


async def test_pages_and_sorts_change_the_list_in_place(
    discord_bot: RunningBot, clock: Clock
) -> None:
    for number in range(1, 8):
        await live_campaign(
            discord_bot.services.uows,
            clock,
            f"c{number}",
            title=f"Campaign {number}",
            started=timedelta(days=10 - number),
        )
    ada = discord_bot.member(discord_bot.server(), "ada")

    first = await reply(await ada.slash("discover"))
    assert embed(first)["footer"]["text"] == "Page 1 of 2"
    assert rows(first.components) == [
        [f"{n}. Campaign {n}" for n in range(1, 6)],
        ["• Trending", "New", "Coming soon", "Ending soon"],
        ["Nearly funded", "Most backed", "Staff picks"],
        ["Category: All categories ▾"],
        ["Next ▶"],
    ]
    second = await reply(await press(ada, first, "Next ▶"))
    assert second.id == first.id
    assert embed(second)["footer"]["text"] == "Page 2 of 2"
    # The second page goes on counting where the first stopped, in its lines and its buttons.
    assert labels(second)[:2] == ["6. Campaign 6", "7. Campaign 7"]
    assert embed(second)["description"].startswith("**6. Campaign 6**\n")
    assert "\n\n**7. Campaign 7**\n" in embed(second)["description"]
    # "◀ Previous" and "• Trending" both lead to the first page: their custom ids still differ.
    assert button(second, "◀ Previous")["custom_id"] != button(second, "• Trending")["custom_id"]
    back = await reply(await press(ada, second, "◀ Previous"))
    assert embed(back)["footer"]["text"] == "Page 1 of 2"

    newest = await reply(await press(ada, back, "New"))
    assert embed(newest)["title"] == "New"
    assert labels(newest)[:2] == ["1. Campaign 7", "2. Campaign 6"]


async def test_discover_takes_a_sort_and_a_category(discord_bot: RunningBot, clock: Clock) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp", ends_in=timedelta(days=30))
    await live_campaign(uows, clock, "kiln", title="The Kiln", ends_in=timedelta(days=3))
    await live_campaign(uows, clock, "song", title="The Song", category="music")
    ada = discord_bot.member(discord_bot.server(), "ada")

    ending = await reply(await ada.slash("discover", options={"sort": "ending"}))
    designs = await reply(
        await ada.slash("discover", options={"sort": "ending", "category": "design"})
    )

    assert embed(ending)["title"] == "Ending soon"
    assert labels(ending)[:3] == ["1. The Kiln", "2. The Song", "3. The Reading Lamp"]
    assert labels(designs)[:2] == ["1. The Kiln", "2. The Reading Lamp"]
    assert embed(designs)["title"] == "Ending soon · Design"
    # Another order keeps the category.
    resorted = await reply(await press(ada, designs, "Most backed"))
    assert embed(resorted)["title"] == "Most backed · Design"
    assert labels(resorted)[:3] == ["1. The Reading Lamp", "2. The Kiln", "Trending"]


async def test_the_category_picker_replaces_the_list_and_lists_the_one_picked(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp")
    await live_campaign(uows, clock, "song", title="The Song", category="music")
    ada = discord_bot.member(discord_bot.server(), "ada")
    listing = await reply(await ada.slash("discover", options={"sort": "newest"}))

    picker = await reply(await press(ada, listing, "Category: All categories ▾"))
    assert (picker.id, embed(picker)["title"]) == (listing.id, "Choose a category")
    assert len(picker.components) <= 5
    assert "Music" in labels(picker)
    assert labels(picker)[-1] == "All categories"
    music = await reply(await press(ada, picker, "Music"))

    assert embed(music)["title"] == "New · Music"
    assert labels(music)[:3] == ["1. The Song", "Trending", "• New"]
    assert "Category: Music ▾" in labels(music)


async def test_campaign_autocompletes_on_titles(discord_bot: RunningBot, clock: Clock) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp")
    await live_campaign(uows, clock, "kiln", title="The Kiln", blurb="Fire for potters.")
    ada = discord_bot.member(discord_bot.server(), "ada")

    typed = await ada.autocomplete("campaign", "name", "kil")
    untyped = await ada.autocomplete("campaign", "name", "")

    assert typed == [{"name": "The Kiln", "value": "kiln"}]
    assert sorted(choice["value"] for choice in untyped) == ["kiln", "lamp"]
    card = await reply(await ada.slash("campaign", options={"name": typed[0]["value"]}))
    assert embed(card)["title"] == "The Kiln"


async def test_search_finds_words_in_titles_and_blurbs(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, "lamp")
    await live_campaign(uows, clock, "kiln", title="The Kiln", blurb="Warm fire for potters.")
    ada = discord_bot.member(discord_bot.server(), "ada")

    found = await reply(await ada.slash("search", options={"words": "warm"}))
    nothing = await reply(await ada.slash("search", options={"words": "boat"}))

    assert embed(found)["title"] == "Results for “warm”"
    assert sorted(labels(found)) == ["1. The Reading Lamp", "2. The Kiln"]
    assert embed(nothing)["description"] == "No campaign matches yet."
    assert labels(nothing) == ["Discover campaigns"]


async def test_an_unknown_campaign_is_explained_to_the_member_alone(
    discord_bot: RunningBot,
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    answer = await reply(await ada.slash("campaign", options={"name": "nope"}))

    assert answer.visible_to == ada.user.id
    assert answer.content == "There is no campaign called “nope”."


async def test_a_draft_is_missing_to_all_but_its_creator(
    discord_bot: RunningBot, clock: Clock
) -> None:
    server = discord_bot.server()
    ada, bob = discord_bot.member(server, "ada"), discord_bot.member(server, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await back_to_draft(discord_bot.services.uows, lamp)

    hidden = await reply(await bob.slash("campaign", options={"name": "lamp"}))
    shown = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    assert hidden.content == "There is no campaign called “lamp”."
    assert embed(shown)["title"] == "The Reading Lamp"
