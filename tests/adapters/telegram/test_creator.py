"""Creator tools end to end: /mycampaigns and its dashboards, /ambassadors per share link."""

from __future__ import annotations

from core.ports import Clock
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
        "25% · €250.00 of €1,000.00 · 1 backer · 20 days left"
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
    assert labels(board) == ["Post an update", "Ambassadors", "All updates"]

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
