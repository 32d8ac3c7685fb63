"""Creator tools end to end: /mycampaigns and its dashboards, /ambassadors per share link."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.campaigns import Campaign
from core.ports import Clock
from core.views.intents import ExportBackers
from tests.adapters.chat_campaigns import past_updates
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels

ASK = "Send the text of your update for “The Reading Lamp”. /cancel to stop."


async def test_a_creator_sees_their_campaigns_and_opens_one_as_a_dashboard(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    await paid_pledge(uows, clock, lamp, 60, 25_000)
    await past_updates(uows, clock, lamp, ["First", "Second", "Third\nmore", "Fourth"])
    ada = telegram_bot.person(7, "Ada")

    mine = await ada.says("/mycampaigns")
    assert mine["text"] == (
        "Your campaigns\n\n1. The Reading Lamp\n"
        "25% · €250.00 of €1,000.00 · 1 backer · 20 days left\n"
        "Raised: €250.00 · Backit's fee: €0.00 · Refunds: €0.00 · Disputed: €0.00 · "
        "You receive: €250.00"
    )
    await ada.presses(mine, "1. The Reading Lamp")
    board = await ada.reads()
    text = board["text"]
    assert text.startswith("The Reading Lamp\nYour campaign · 20 days left\n\nLatest updates:\n")
    # The three newest, newest first, each by its first line.
    assert "— Fourth\n• " in text
    assert "— Third\n• " in text
    assert text.count("• ") == 3
    assert "Second" in text
    assert "First" not in text
    assert "Raised: €250.00 of €1,000.00\nBackers: 1" in text
    # The creator's tools, and not the public card's Follow or rewards.
    assert labels(board) == [
        "Post an update",
        "Ambassadors",
        "All updates",
        "Progress",
        "Export backers",
    ]

    await ada.presses(board, "Post an update")
    assert (await ada.reads())["text"] == ASK
    preview = await ada.says("Fresh news.")
    assert preview["text"].startswith("Preview of your update to “The Reading Lamp”:")

    await ada.presses(board, "All updates")
    archive = await ada.reads()
    assert archive["text"].startswith("Updates from “The Reading Lamp”\n\n1. ")
    assert archive["message_id"] != board["message_id"]

    bob = telegram_bot.person(43, "Bob")
    assert (await bob.says("/mycampaigns"))["text"] == (
        "Your campaigns\n\nYou have not created a campaign yet. /newcampaign to start one."
    )


async def test_ambassadors_shows_the_creator_every_link_and_a_backer_their_own_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    bob = telegram_bot.person(43, "Bob")
    carol = telegram_bot.person(44, "Carol <3")
    for sharer in (bob, carol):
        await sharer.says("/campaign lamp")
    bob_code = (await telegram_bot.backer(bob)).referral_code
    carol_code = (await telegram_bot.backer(carol)).referral_code
    await paid_pledge(uows, clock, lamp, 60, 2_000, bob_code)
    await paid_pledge(uows, clock, lamp, 61, 3_000, bob_code)
    await paid_pledge(uows, clock, lamp, 62, 1_000, carol_code)
    ada = telegram_bot.person(7, "Ada")

    report = await ada.says("/ambassadors lamp")
    assert report["text"] == (
        "Ambassadors of “The Reading Lamp”\n\n"
        "1. Bob\n2 backers · €50.00\n2. Carol <3\n1 backer · €10.00"
    )
    # A backer gets their own share link and what it brought, never the leaderboard.
    own = await carol.says("/ambassadors lamp")
    assert own["text"] == (
        "Your share link for “The Reading Lamp”\n\n"
        "Share your link: whoever backs through it counts as brought by you.\n"
        f"https://backit.test/c/lamp?ref={carol_code}\n\n"
        "You have brought 1 backer so far. Thank you for spreading the word!"
    )
    assert "Bob" not in own["text"]
    dave = telegram_bot.person(45, "Dave")
    first = await dave.says("/ambassadors lamp")
    dave_code = (await telegram_bot.backer(dave)).referral_code
    assert first["text"].endswith(
        f"https://backit.test/c/lamp?ref={dave_code}\n\nNobody has backed through your link yet."
    )
    assert (await dave.says("/ambassadors"))["text"] == (
        "Which campaign's ambassadors?\n\nYou have not created a campaign yet."
    )

    board_list = await ada.says("/mycampaigns")
    await ada.presses(board_list, "1. The Reading Lamp")
    await ada.presses(await ada.reads(), "Ambassadors")
    assert (await ada.reads())["text"] == report["text"]


async def test_ambassadors_in_french_counts_by_french_plural_rules(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    bob = telegram_bot.person(43, "Bob", language_code="fr")
    await bob.says("/campaign lamp")
    code = (await telegram_bot.backer(bob)).referral_code
    await paid_pledge(uows, clock, lamp, 60, 2_000, code)

    own = await bob.says("/ambassadors lamp")
    assert own["text"].startswith("Votre lien de partage pour «\u00a0The Reading Lamp\u00a0»")
    assert own["text"].endswith(
        "Vous avez amené 1 contributeur jusqu’ici. Merci de faire passer le mot\u00a0!"
    )


async def _backed_lamp(telegram_bot: RunningBot, clock: Clock) -> Campaign:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    pledge = await paid_pledge(uows, clock, lamp, 60, 25_000)
    async with uows() as uow:
        # A chosen name may try to run as a spreadsheet formula.
        backer = await uow.backers.get(pledge.backer_id)
        assert backer is not None
        await uow.backers.update_profile(backer.id, "=Person, 60", "en")
        await uow.commit()
    return lamp


async def _downloaded(telegram_bot: RunningBot, document: dict[str, Any]) -> bytes:
    file = await telegram_bot.application.bot.get_file(document["file_id"])
    return bytes(await file.download_as_bytearray())


@pytest.mark.parametrize(
    ("language", "label", "caption"),
    [
        ("en", "Export backers", "1 backer of “The Reading Lamp”, as of "),
        (
            "fr",
            "Exporter les contributeurs",
            "1 contributeur de «\u00a0The Reading Lamp\u00a0», au ",
        ),
    ],
)
async def test_a_creator_exports_the_backers_as_a_csv_file_in_private(
    telegram_bot: RunningBot, clock: Clock, language: str, label: str, caption: str
) -> None:
    lamp = await _backed_lamp(telegram_bot, clock)
    ada = telegram_bot.person(7, "Ada", language_code=language)
    mine = await ada.says("/mycampaigns")
    await ada.presses(mine, mine["reply_markup"]["inline_keyboard"][0][0]["text"])
    board = await ada.reads()

    await ada.presses(board, label)
    sent = await ada.reads()

    assert sent["document"]["file_name"] == "lamp-backers.csv"
    assert sent["document"]["mime_type"] == "text/csv"
    assert sent["caption"].startswith(caption)
    rows = list(
        csv.reader(
            io.StringIO((await _downloaded(telegram_bot, sent["document"])).decode("utf-8-sig"))
        )
    )
    assert rows[0][:2] == ["backer_number", "name"]
    assert rows[1][1:6] == ["'=Person, 60", "telegram", "", "250.00", "EUR"]
    assert lamp.slug == "lamp"


async def test_only_the_creator_may_export_and_never_into_a_group(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await _backed_lamp(telegram_bot, clock)
    ada = telegram_bot.person(7, "Ada")
    bob = telegram_bot.person(43, "Bob")
    forged = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Export", callback_data=ExportBackers(lamp.id).encode())]]
    )
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user, bob.user])
    bot = telegram_bot.application.bot
    await bot.send_message(bob.user.id, "Forged", reply_markup=forged)
    in_private = await bob.reads()
    await bot.send_message(group.id, "In the group", reply_markup=forged)
    in_group = await ada.reads(group)

    refused = await bob.presses(in_private, "Export")
    pointed = await ada.presses(in_group, "Export")
    sent = await ada.reads()

    assert refused.text == "Only the campaign's creator or an operator can do that."
    assert telegram_bot.standin.messages(bob.chat)[-1]["text"] == "Forged"
    assert pointed.text == "The list of backers is in our private chat."
    assert sent["document"]["file_name"] == "lamp-backers.csv"
    assert [m.get("document") for m in telegram_bot.standin.messages(group)] == [None]
