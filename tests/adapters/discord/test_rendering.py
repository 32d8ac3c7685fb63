"""What members see stays inside Discord's limits; creators' text neither formats nor pings."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from core.ports import Clock
from core.usecases.managing import TierDraft
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, press, reply

HOSTILE = "@everyone **Free** <@123456789012345678> lamp"
ESCAPED = "@\u200beveryone \\*\\*Free\\*\\* <@\u200b123456789012345678> lamp"


def embed_size(shown: dict[str, Any]) -> int:
    """Characters Discord counts toward an embed's 6,000."""
    texts: list[str] = [shown.get("title", ""), shown.get("description", "")]
    texts += [part for field in shown.get("fields", []) for part in (field["name"], field["value"])]
    return sum(len(text) for text in texts)


async def test_a_hostile_title_shows_inert_and_pings_nobody(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock, title=HOSTILE, blurb="_Hi_ @here")
    ada = discord_bot.member(discord_bot.server(), "ada")

    listing = await reply(await ada.slash("search", options={"words": "lamp"}))
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    offer = await reply(await press(ada, card, "Lamp · €75.00"))

    assert embed(listing)["description"].startswith(f"**1. {ESCAPED}**\n")
    assert embed(card)["title"] == ESCAPED
    assert "\\_Hi\\_ @\u200bhere" in embed(card)["description"]
    assert offer.content == (
        f"Back “{ESCAPED}” with Lamp: one tap takes you to the secure payment page."
    )
    for message in (listing, card, offer):
        assert message.pings.nobody
        assert message.allowed_mentions == {"parse": []}


async def test_a_5000_character_description_is_cut_to_fit_the_embed(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock, description="word " * 1000)
    ada = discord_bot.member(discord_bot.server(), "ada")

    card = embed(await reply(await ada.slash("campaign", options={"name": "lamp"})))

    description = card["description"]
    assert 4000 < len(description) <= 4096
    assert embed_size(card) <= 6000
    assert description.startswith("*by Ada · Design*\n\nA warm lamp for long nights.\n\nword word")
    assert description.endswith("…\n\n▱▱▱▱▱▱▱▱▱▱ **0%**")


async def test_many_rewards_fill_five_rows_and_long_labels_are_cut(
    discord_bot: RunningBot, clock: Clock
) -> None:
    # As many rewards as core allows, with titles as long as it allows.
    tiers = tuple(TierDraft(f"Reward {n:02} ".ljust(60, "x"), "", 100_000, 1000) for n in range(20))
    image = "https://images.example/lamp.jpg"
    campaign = await live_campaign(discord_bot.services.uows, clock, tiers=tiers, image_url=image)
    ada = discord_bot.member(discord_bot.server(), "ada")

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    assert [len(row["components"]) for row in card.components] == [5, 5, 5, 5, 3]
    last = [c["label"] for c in card.components[-1]["components"]]
    assert last == ["Pledge without a reward", "Progress", "Follow"]
    first = card.components[0]["components"][0]["label"]
    assert len(first) == 80
    assert first.startswith("Reward 00 xxx")
    assert first.endswith("…")
    # The card shows the picture Backit draws of the campaign, served by its web server; where
    # no web server runs there is no address for it.
    picture = embed(card)["image"]["url"]
    assert re.fullmatch(r"https://backit\.test/c/lamp/card\.png\?lang=en&v=[0-9a-f]{16}", picture)
    assert replace(discord_bot.services, signer=None).card_picture_url(campaign) is None
