"""Commands about a campaign on Telegram: named by title, or picked from a list of buttons."""

from __future__ import annotations

from datetime import timedelta

from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels

ASK = "Send the text of your update for “The Kiln”. /cancel to stop."


async def test_link_without_a_name_offers_campaigns_and_discover_marks_the_one_picked(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp", backers=2)
    await live_campaign(uows, clock, "kiln", title="The Kiln", started=timedelta(hours=2))
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user])

    picker = await ada.says("/link", group)
    assert picker["text"].startswith("Which campaign should be linked here?\n\n1. ")
    assert sorted(labels(picker)) == ["1. The Reading Lamp", "2. The Kiln"]
    answer = await ada.presses(picker, "2. The Kiln")
    assert answer.text is None
    done = await ada.reads(group)
    assert (done["message_id"], done["text"]) == (
        picker["message_id"],
        "“The Kiln” is linked to this group.",
    )
    assert labels(done) == []

    listing = await ada.says("/discover", group)
    assert listing["text"].split("\n")[2:6] == [
        "1. The Kiln",
        "⚑ Linked here · 0% · €0.00 of €1,000.00 · 20 days left",
        "2. The Reading Lamp",
        "2% · €20.00 of €1,000.00 · 20 days left",
    ]
    # A second /link leaves out what is linked already.
    assert labels(await ada.says("/link", group)) == ["1. The Reading Lamp"]
    # Elsewhere nothing is linked.
    assert "⚑" not in (await ada.says("/discover"))["text"]


async def test_the_marker_speaks_the_readers_language(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock, "kiln", title="The Kiln")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    group = telegram_bot.standin.group(-100, "Makers", admins=[amelie.user])
    await amelie.says("/link the kiln", group)
    listing = await amelie.says("/discover", group)
    assert "⚑ Liée ici · 0\u00a0%" in listing["text"]


async def test_only_admins_are_offered_campaigns_to_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock, "kiln", title="The Kiln")
    ada, bob = telegram_bot.person(42, "Ada"), telegram_bot.person(43, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user], members=[bob.user])
    refused = await bob.says("/link", group)
    assert refused["text"] == "Only this chat's administrators can do that."
    # A member pressing an admin's picker is refused too, and nothing is linked.
    picker = await ada.says("/link", group)
    answer = await bob.presses(picker, "1. The Kiln")
    assert answer.text == "Only this chat's administrators can do that."
    assert "⚑" not in (await ada.says("/discover", group))["text"]


async def test_a_typed_title_links_and_a_wrong_one_is_quoted_with_close_matches(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "cafe", title="Café Étoile")
    await live_campaign(uows, clock, "cafe-bis", title="Café Étoile Deux")
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user])

    assert (await ada.says("/link CAFE etoile", group))["text"] == (
        "“Café Étoile” is linked to this group."
    )
    assert (await ada.says("/link Caf", group))["text"] == (
        "“Caf” could be several campaigns: “Café Étoile”, “Café Étoile Deux”. Which one?"
    )
    hostile = await ada.says("/link <b>étoile</b> & *deux*", group)
    assert hostile["text"] == (
        "There is no campaign called “<b>étoile</b> & *deux*”. "
        "Did you mean “Café Étoile”, “Café Étoile Deux”?"
    )
    assert "entities" not in hostile
    too_long = await ada.says("/link " + "x" * 10_000, group)
    assert too_long["text"] == "Campaign name can be at most 200 characters long."


async def test_update_without_a_name_offers_the_creators_campaigns(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "kiln", title="The Kiln")
    ada = telegram_bot.person(7, "Ada")
    stranger = telegram_bot.person(8, "Stranger")

    assert labels(await stranger.says("/update")) == []
    picker = await ada.says("/update")
    assert picker["text"].startswith("Which campaign is your update about?")
    assert labels(picker) == ["1. The Kiln"]
    await ada.presses(picker, "1. The Kiln")
    assert labels(await ada.reads()) == []
    assert (await ada.reads())["text"] == ASK
    preview = await ada.says("Fired up!")
    assert preview["text"].startswith("Preview of your update to “The Kiln”:\n\n⚠️ Nobody follows")
    assert preview["text"].endswith("\n\nFired up!")


async def test_ambassadors_and_campaign_pickers_run_their_command(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    kiln = await live_campaign(uows, clock, "kiln", title="The Kiln")
    await paid_pledge(uows, clock, kiln, 60)
    ada = telegram_bot.person(7, "Ada")

    picker = await ada.says("/ambassadors")
    assert labels(picker) == ["1. The Kiln"]
    await ada.presses(picker, "1. The Kiln")
    assert (await ada.reads())["text"] == (
        "Ambassadors of “The Kiln”\n\nNobody has backed through a share link yet."
    )
    cards = await ada.says("/campaign")
    await ada.presses(cards, "1. The Kiln")
    assert (await ada.reads())["caption"].startswith("The Kiln\nby Ada")
