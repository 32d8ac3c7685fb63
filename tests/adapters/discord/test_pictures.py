"""Pictures on Discord: a card's picture and its Progress chart come from the web server where
it runs, attached to the answer where it does not; the chart is for the member alone."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from PIL import Image

from core.pledge_links import PledgeLinkSigner
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, press, reply


async def test_progress_shows_the_chart_from_the_web_server_to_the_member_alone(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    chart = await reply(await press(ada, card, "Progress"))

    assert chart.visible_to == ada.user.id
    shown = embed(chart)
    assert shown["title"] == "The Reading Lamp: funding day by day"
    assert shown["description"] == "€0.00 of €1,000.00 · 0 backers"
    address = urlsplit(shown["image"]["url"])
    assert (address.scheme, address.netloc, address.path) == (
        "https",
        "backit.test",
        "/c/lamp/progress.png",
    )
    assert parse_qs(address.query)["lang"] == ["en"]
    assert chart.payload["attachments"] == []


@pytest.mark.parametrize("pledge_signer", [None])
async def test_without_a_web_server_the_chart_is_attached_to_the_answer(
    discord_bot: RunningBot, clock: Clock, pledge_signer: PledgeLinkSigner | None
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    chart = await reply(await press(ada, card, "Progress"))

    assert embed(chart)["image"]["url"] == "attachment://progress.png"
    [attachment] = chart.payload["attachments"]
    assert attachment["filename"] == "progress.png"
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as response:
        png = await response.read()
    assert Image.open(io.BytesIO(png)).size == (1200, 675)


@pytest.mark.parametrize("pledge_signer", [None])
async def test_without_a_web_server_the_card_carries_its_picture_attached_even_when_edited(
    discord_bot: RunningBot, clock: Clock, pledge_signer: PledgeLinkSigner | None
) -> None:
    await live_campaign(discord_bot.services.uows, clock, image_url="https://img.test/lamp.png")
    ada = discord_bot.standin.dm(discord_bot.standin.user("ada"))

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    flipped = await reply(await press(ada, card, "Follow"))

    for message in (card, flipped):
        # The picture Backit drew, never the outside address the creator gave.
        assert embed(message)["image"]["url"] == "attachment://card.png"
        [attachment] = message.payload["attachments"]
        assert attachment["filename"] == "card.png"
        async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as answer:
            assert Image.open(io.BytesIO(await answer.read())).size == (1200, 675)
    assert flipped.id == card.id
