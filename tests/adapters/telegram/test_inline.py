"""Inline sharing end to end: `@bot words` offers cards whose buttons credit the sharer."""

from __future__ import annotations

from adapters.telegram.deep_links import ContinuePledge, OpenCampaign, encode
from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import (
    RunningBot,
    button,
    labels,
    start_command,
    start_payload,
)
from tests.telegram_fixtures import BOT

BOT_NAME = BOT.username


async def test_a_shared_card_credits_the_sharer_all_the_way_to_the_pledge_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock, "lamp", title="The Reading Lamp")
    await live_campaign(uows, clock, "boat", title="The Boat")
    ada = telegram_bot.person(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user, bob.user])

    offered = await ada.user.inline_query("reading", chat=group)
    assert [result["title"] for result in offered.results] == ["The Reading Lamp"]
    # Its card picture, at the web server: never the outside address a creator gave.
    assert offered.results[0]["thumbnail_url"].startswith(
        "https://backit.test/c/lamp/card.png?lang=en&v="
    )
    assert offered.is_personal
    shared = await ada.user.choose(offered, 0, group)
    assert shared["via_bot"]["username"] == BOT_NAME
    assert shared["text"].startswith("The Reading Lamp\nby Ada · Design\n")
    referral = (await telegram_bot.backer(ada)).referral_code
    tier = lamp.tiers[0]
    assert [
        start_payload(b["url"], BOT_NAME)
        for row in shared["reply_markup"]["inline_keyboard"]
        for b in row
    ] == [
        ContinuePledge(lamp.id, tier.id, referral),
        ContinuePledge(lamp.id, lamp.tiers[1].id, referral),
        ContinuePledge(lamp.id, None, referral),
        # Progress and Follow: both open the card in the bot's chat, where they answer.
        OpenCampaign("lamp", referral),
        OpenCampaign("lamp", referral),
    ]

    tier_url = button(shared, "Early bird · €50.00 · 100 left")["url"]
    offer = await bob.says(start_command(tier_url))
    link = telegram_bot.verify(button(offer, "Pledge: Early bird · €50.00 · 100 left")["url"])
    bob_backer = await telegram_bot.backer(bob)
    assert (link.backer_id, link.tier_id, link.referral_code) == (bob_backer.id, tier.id, referral)

    card = await bob.says(f"/start {encode(OpenCampaign('lamp', referral))}")
    assert labels(card)[-1] == "Follow"
    link = telegram_bot.verify(button(card, "Lamp · €75.00")["url"])
    assert (link.backer_id, link.referral_code) == (bob_backer.id, referral)


async def test_an_empty_inline_query_offers_trending_campaigns(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp")
    await live_campaign(uows, clock, "boat", title="The Boat", backers=1)
    ada = telegram_bot.person(42, "Ada")

    offered = await ada.user.inline_query("")
    assert [result["title"] for result in offered.results] == ["The Boat", "The Reading Lamp"]
    assert offered.results[0]["description"] == "1% · €10.00 of €1,000.00"


async def test_a_card_seen_lately_is_shared_as_its_picture_captioned_with_the_card(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp")
    await live_campaign(uows, clock, "boat", title="The Boat")
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    seen = await ada.says("/campaign lamp")
    uploads = telegram_bot.standin.photo_uploads

    offered = await ada.user.inline_query("", chat=group)
    kinds = {result["title"]: result["type"] for result in offered.results}
    lamp = [result["title"] for result in offered.results].index("The Reading Lamp")
    shared = await ada.user.choose(offered, lamp, group)

    # The boat was never shown, so Telegram keeps no picture of it: its card goes as text.
    assert kinds == {"The Reading Lamp": "photo", "The Boat": "article"}
    assert shared["photo"] == seen["photo"]
    assert shared["caption"].startswith("The Reading Lamp\nby Ada · Design\n")
    assert labels(shared)[-2:] == ["Progress", "Follow"]
    assert telegram_bot.standin.photo_uploads == uploads
    # A last exchange, so the bot has taken in the shared message before the test stops it.
    await ada.says("/start")
