"""Finding campaigns end to end: /start, /discover, sorting, paging, /search, cards, old buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.limits import CAPTION_LIMIT, telegram_length
from core.identity import Identity, Platform
from core.ports import CampaignQuery, Clock, Sort
from core.usecases.browsing import browse
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import OPERATOR, Person, RunningBot, button, labels

SORT_BUTTONS = {
    Sort.TRENDING: "Trending",
    Sort.NEWEST: "New",
    Sort.COMING_SOON: "Coming soon",
    Sort.ENDING_SOON: "Ending soon",
    Sort.NEARLY_FUNDED: "Nearly funded",
    Sort.MOST_BACKED: "Most backed",
    Sort.STAFF_PICKS: "Staff picks",
}
HOSTILE = "<b>x</b> & <script>"


def titles(listing: dict[str, Any]) -> list[str]:
    """The campaigns a list shows, by the buttons that open them ("1. Title")."""
    return [label.split(". ", 1)[1] for label in labels(listing) if label[:1].isdigit()]


async def seven_campaigns(telegram_bot: RunningBot, clock: Clock) -> None:
    """Seven campaigns that each sort puts in a different order."""
    uows = telegram_bot.services.uows
    for slug, started, ends_in, goal, backers, pick in (
        ("anchor", 6, 20, 10_000, 3, False),
        ("beacon", 2, 5, 2_000, 2, False),
        ("compass", 7, 10, 4_000, 3, False),
        ("drum", 1, 30, 100_000, 0, True),
        ("easel", 5, 2, 50_000, 1, True),
        ("flute", 3, 40, 1_000, 1, False),
        ("globe", 4, 15, 20_000, 0, False),
    ):
        await live_campaign(
            uows,
            clock,
            slug,
            title=slug.title(),
            started=timedelta(hours=started),
            ends_in=timedelta(days=ends_in),
            goal=goal,
            backers=backers,
            staff_pick=pick,
        )


async def core_order(telegram_bot: RunningBot, clock: Clock, sort: Sort, offset: int) -> list[str]:
    """The titles core lists on a page of the bot's size, in that order."""
    query = CampaignQuery(sort=sort, offset=offset, limit=telegram_bot.services.page_size)
    page = await browse(telegram_bot.services.uows(), clock, query)
    return [campaign.title for campaign in page.campaigns]


async def test_a_tier_on_a_private_card_is_the_backers_own_signed_pledge_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock, backers=2)
    ada = telegram_bot.person(42, "Ada")

    welcome = await ada.says("/start")
    assert welcome["text"].startswith("Welcome to Backit!")
    await ada.presses(welcome, "Discover campaigns")
    listing = await ada.reads()
    assert listing["message_id"] == welcome["message_id"]
    assert listing["text"].startswith("Trending\n\n1. The Reading Lamp\n2% · €20.00 of €1,000.00")

    await ada.presses(listing, "1. The Reading Lamp")
    card = await ada.reads()
    assert card["caption"].startswith(
        "The Reading Lamp\nby Ada · Design\n\nA warm lamp for long nights.\n\n▱▱▱▱▱▱▱▱▱▱ 2%"
    )
    assert labels(card) == [
        "Early bird · €50.00 · 100 left",
        "Lamp · €75.00",
        "Pledge without a reward",
        "Progress",
        "Follow",
    ]
    link = telegram_bot.verify(button(card, "Lamp · €75.00")["url"])
    backer = await telegram_bot.backer(ada)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount, link.referral_code) == (
        backer.id,
        lamp.id,
        lamp.tiers[1].id,
        None,
        None,
    )
    assert link.expires_at == clock.now() + timedelta(hours=1)
    # Each reader gets a link of their own.
    bob = telegram_bot.person(43, "Bob")
    other = telegram_bot.verify(button(await bob.says("/campaign lamp"), "Lamp · €75.00")["url"])
    assert other.backer_id != link.backer_id


@pytest.mark.parametrize(
    ("sort", "first_page"),
    [
        (Sort.NEWEST, ["Drum", "Beacon", "Flute", "Globe", "Easel"]),
        (Sort.ENDING_SOON, ["Easel", "Beacon", "Compass", "Globe", "Anchor"]),
        # Beacon and Flute are past their goal: funded, no longer nearly.
        (Sort.NEARLY_FUNDED, ["Compass"]),
        (Sort.MOST_BACKED, ["Anchor", "Compass", "Beacon", "Easel", "Flute"]),
        (Sort.STAFF_PICKS, ["Drum", "Easel"]),
    ],
)
async def test_a_sort_button_edits_the_list_in_place_in_cores_order(
    telegram_bot: RunningBot, clock: Clock, sort: Sort, first_page: list[str]
) -> None:
    await seven_campaigns(telegram_bot, clock)
    ada = telegram_bot.person(42, "Ada")
    listing = await ada.says("/discover")
    assert titles(listing) == await core_order(telegram_bot, clock, Sort.TRENDING, 0)
    assert labels(listing)[5:12] == ["• Trending", *list(SORT_BUTTONS.values())[1:]]

    await ada.presses(listing, SORT_BUTTONS[sort])
    sorted_listing = await ada.reads()
    assert sorted_listing["message_id"] == listing["message_id"]
    assert titles(sorted_listing) == await core_order(telegram_bot, clock, sort, 0) == first_page
    assert sorted_listing["text"].startswith(f"{SORT_BUTTONS[sort]}\n\n1. {first_page[0]}\n")
    assert f"• {SORT_BUTTONS[sort]}" in labels(sorted_listing)


async def test_the_card_counts_the_days_left_as_the_list_does_and_shows_the_end(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock, ends_in=timedelta(days=8, hours=14))
    ada = telegram_bot.person(42, "Ada")

    listing = await ada.says("/discover")
    assert "€0.00 of €1,000.00 · 8 days left\n" in listing["text"]
    card = await ada.says("/campaign lamp")
    assert "\nTime left: 8 days left\nEnds: Nov 10, 2026 at 2:00\u202fAM UTC\n" in card["caption"]


async def test_paging_walks_through_every_campaign_and_back_in_place(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await seven_campaigns(telegram_bot, clock)
    ada = telegram_bot.person(42, "Ada")
    first = await ada.says("/discover")
    assert first["text"].endswith("Page 1 of 2")
    assert labels(first)[-1] == "Next ▶"

    await ada.presses(first, "Next ▶")
    second = await ada.reads()
    assert second["message_id"] == first["message_id"]
    assert second["text"].endswith("Page 2 of 2")
    later = await core_order(telegram_bot, clock, Sort.TRENDING, 5)
    assert titles(second) == later
    assert len(titles(first) + titles(second)) == 7
    # The second page goes on counting where the first stopped, in its text and its buttons.
    assert second["text"].startswith(f"Trending\n\n6. {later[0]}\n")
    assert f"\n7. {later[1]}\n" in second["text"]
    assert labels(second)[:2] == [f"6. {later[0]}", f"7. {later[1]}"]
    assert labels(second)[-1] == "◀ Previous"

    await ada.presses(second, "◀ Previous")
    again = await ada.reads()
    assert (again["message_id"], again["text"]) == (first["message_id"], first["text"])


async def test_search_lists_the_campaigns_whose_title_or_blurb_holds_the_words(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp")
    await live_campaign(uows, clock, "kiln", title="A Kiln", blurb="Bakes a lamp shade.")
    await live_campaign(uows, clock, "boat", title="A Boat", blurb="Floats.")
    ada = telegram_bot.person(42, "Ada")

    found = await ada.says("/search LAMP")
    assert found["text"].startswith("Results for “LAMP”\n\n1. ")
    assert sorted(titles(found)) == ["A Kiln", "The Reading Lamp"]
    nothing = await ada.says("/search submarine")
    assert nothing["text"] == "Results for “submarine”\n\nNo campaign matches yet."
    assert labels(nothing) == ["Discover campaigns"]
    assert "Discover campaigns" not in labels(found)
    assert (await ada.says("/search"))["text"] == "Usage: /search <words>"


async def test_an_unknown_campaign_name_is_answered_politely(telegram_bot: RunningBot) -> None:
    ada = telegram_bot.person(42, "Ada")
    assert (await ada.says("/campaign nope"))["text"] == "There is no campaign called “nope”."
    assert (await ada.says("/campaign"))[
        "text"
    ] == "Which campaign?\n\nNo campaign is live right now."
    assert (await ada.says("/start c_nope"))["text"] == "There is no campaign called “nope”."


async def test_a_draft_is_missing_to_all_but_its_creator_and_the_operators(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await back_to_draft(telegram_bot.services.uows, lamp)
    bob = telegram_bot.person(42, "Bob")
    ada = telegram_bot.person(7, "Ada")
    operator = telegram_bot.person(int(OPERATOR.user_id), "Olga")

    for asked in ("/campaign lamp", "/start c_lamp"):
        assert (await bob.says(asked))["text"] == "There is no campaign called “lamp”."
    # A pledge link names the campaign by id: the answer is the one for an id never used.
    for campaign_id in (lamp.id, lamp.id + 1):
        offer = await bob.says(f"/start p_{campaign_id}_0")
        assert offer["text"] == f"There is no campaign called “{campaign_id}”."
    for person in (ada, operator):
        card = await person.says("/campaign lamp")
        assert card["caption"].startswith("The Reading Lamp\n")


@pytest.mark.parametrize("payload", ["hello", "c_Bad_Slug", "p_1", "x" * 65])
async def test_a_start_payload_that_is_not_ours_gets_the_welcome(
    telegram_bot: RunningBot, payload: str
) -> None:
    ada = telegram_bot.person(42, "Ada")
    assert (await ada.says(f"/start {payload}"))["text"].startswith("Welcome to Backit!")


async def test_a_hostile_title_shows_literally_on_lists_and_cards(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock, title=HOSTILE, blurb="<i>&amp;</i>")
    ada = telegram_bot.person(42, "Ada")

    listing = await ada.says("/discover")
    assert listing["text"].startswith(f"Trending\n\n1. {HOSTILE}\n")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in listing["html"]
    card = await ada.says("/campaign lamp")
    assert card["caption"].startswith(f"{HOSTILE}\nby Ada · Design\n\n<i>&amp;</i>\n")
    assert card["caption_entities"][0] == {"type": "bold", "offset": 0, "length": len(HOSTILE)}


@pytest.mark.parametrize("image_url", [None, "https://img.backit.test/lamp.png"])
async def test_a_5000_character_description_is_cut_to_fit_the_cards_caption(
    telegram_bot: RunningBot, clock: Clock, image_url: str | None
) -> None:
    description = "Oak and brass, turned by hand. " * 170
    assert len(description) > 5_000
    await live_campaign(
        telegram_bot.services.uows, clock, description=description, image_url=image_url
    )
    ada = telegram_bot.person(42, "Ada")

    card = await ada.says("/campaign lamp")
    shown = card["caption"]
    # The card picture, uploaded: never the creator's image, for Telegram to fetch.
    assert telegram_bot.picture(card).size == (1200, 675)
    assert CAPTION_LIMIT - 10 <= telegram_length(shown) <= CAPTION_LIMIT
    assert shown.startswith(
        "The Reading Lamp\nby Ada · Design\n\nA warm lamp for long nights.\n\nOak and brass, "
    )
    assert "…\n\n▱▱▱▱▱▱▱▱▱▱ 0%\nRaised: €0.00 of €1,000.00" in shown
    # The story gives way; the rewards stay whole.
    assert shown.endswith(
        "Funding: Flexible: charged now, kept whatever the outcome\n\nRewards\n"
        "▸ Early bird · €50.00\nOne lamp, cheaper\nDigital, no shipping\n"
        "0 backers · 100 of 100 left\n"
        "▸ Lamp · €75.00\nDigital, no shipping\n0 backers"
    )
    assert labels(card)[-1] == "Follow"


async def stale_message(telegram_bot: RunningBot, person: Person) -> dict[str, Any]:
    """A message an older bot sent, whose buttons no longer mean anything."""
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Gone", callback_data="s:999999")],
            [InlineKeyboardButton("Follow gone", callback_data="f:999999")],
            [InlineKeyboardButton("Garbled", callback_data="s:lamp")],
            [InlineKeyboardButton("Unknown", callback_data="zz:1")],
            [InlineKeyboardButton("Far page", callback_data="b:trending::40")],
        ]
    )
    await telegram_bot.application.bot.send_message(person.user.id, "Old", reply_markup=markup)
    return await person.reads()


@pytest.mark.parametrize("label", ["Gone", "Follow gone", "Garbled", "Unknown"])
async def test_a_stale_or_malformed_button_gets_a_short_answer(
    telegram_bot: RunningBot, label: str
) -> None:
    ada = telegram_bot.person(42, "Ada")
    old = await stale_message(telegram_bot, ada)

    answer = await ada.presses(old, label)
    assert (answer.text, answer.show_alert) == (
        "This button has expired. Please open the campaign again.",
        True,
    )
    assert telegram_bot.standin.messages(ada.chat) == [old]


async def test_a_page_that_is_gone_shows_the_last_page(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    old = await stale_message(telegram_bot, ada)

    await ada.presses(old, "Far page")
    page = await ada.reads()
    assert page["text"].startswith("Trending\n\n1. The Reading Lamp\n")
    assert page["text"].endswith("Page 1 of 1")
    assert "◀ Previous" not in labels(page)


async def test_the_category_picker_filters_the_list_in_place(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp", category="design")
    await live_campaign(uows, clock, "album", title="An Album", category="music")
    ada = telegram_bot.person(42, "Ada")
    listing = await ada.says("/discover")
    assert sorted(titles(listing)) == ["An Album", "The Reading Lamp"]

    await ada.presses(listing, "Category: All categories ▾")
    picker = await ada.reads()
    assert picker["message_id"] == listing["message_id"]
    assert "Music" in labels(picker)
    assert labels(picker)[-1] == "All categories"

    await ada.presses(picker, "Music")
    music = await ada.reads()
    assert music["message_id"] == listing["message_id"]
    assert titles(music) == ["An Album"]
    assert music["text"].startswith("Trending · Music\n\n1. An Album\n")
    assert "Category: Music ▾" in labels(music)


async def test_someone_who_starts_the_bot_again_after_blocking_it_is_messaged_again(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(42, "Ada")
    await ada.says("/start")
    async with telegram_bot.services.uows() as uow:
        backer = await uow.backers.by_identity(Identity(Platform.TELEGRAM, "42"))
        assert backer is not None
        # What the dispatcher records when Telegram answers 403 "bot was blocked by the user".
        await uow.backers.set_reachable(backer.id, False)
        await uow.commit()

    await ada.says("/start")

    async with telegram_bot.services.uows() as uow:
        again = await uow.backers.get(backer.id)
    assert again is not None
    assert again.reachable
