"""/updates end to end: a campaign's updates, newest first, paged in place, backers-only news
for backers."""

from __future__ import annotations

from itertools import pairwise

from core.ports import Clock
from tests.adapters.chat_campaigns import past_updates
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels


def numbered(text: str) -> list[str]:
    """The update lines of an archive page (an excerpt follows each heading)."""
    lines = text.split("\n")
    return [after for before, after in pairwise(lines) if ". " in before]


async def test_the_archive_pages_newest_first_and_turns_in_place(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await past_updates(
        telegram_bot.services.uows, clock, lamp, [f"News <{n}>" for n in range(7)], backers_only={6}
    )
    bob = telegram_bot.person(43, "Bob")

    first = await bob.says("/updates lamp")
    assert first["text"].startswith("Updates from “The Reading Lamp”\n\n1. ")
    assert numbered(first["text"]) == [f"News <{n}>" for n in (5, 4, 3, 2, 1)]
    assert first["text"].endswith("Page 1 of 2")
    assert labels(first) == ["Next ▶"]

    await bob.presses(first, "Next ▶")
    second = await bob.reads()
    assert second["message_id"] == first["message_id"]
    assert numbered(second["text"]) == ["News <0>"]
    assert second["text"].split("\n")[2].startswith("6. ")
    assert labels(second) == ["◀ Previous"]
    await bob.presses(second, "◀ Previous")
    assert numbered((await bob.reads())["text"])[0] == "News <5>"


async def test_a_backer_reads_backers_only_news_but_not_in_a_group(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    lamp = await live_campaign(uows, clock)
    await past_updates(uows, clock, lamp, ["For all", "For backers"], backers_only={1})
    await paid_pledge(uows, clock, lamp, 60)
    backer = telegram_bot.person(60, "Backer")

    mine = await backer.says("/updates lamp")
    assert numbered(mine["text"]) == ["For backers", "For all"]
    assert " · backers only\nFor backers" in mine["text"]
    group = telegram_bot.standin.group(-100, "Makers", members=[backer.user])
    shared = await backer.says("/updates lamp", group)
    assert numbered(shared["text"]) == ["For all"]


async def test_an_empty_archive_is_explained_and_a_missing_name_offers_a_pick(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await past_updates(telegram_bot.services.uows, clock, lamp, ["Secret"], backers_only={0})
    bob = telegram_bot.person(43, "Bob", language_code="fr")

    assert (await bob.says("/updates lamp"))["text"] == (
        "Actualités de «\u00a0The Reading Lamp\u00a0»\n\n"
        "«\u00a0The Reading Lamp\u00a0» n’a encore publié aucune actualité publique."
    )
    picker = await bob.says("/updates")
    assert picker["text"].startswith(
        "Les actualités de quelle campagne\u00a0?\n\n1. The Reading Lamp"
    )
    await bob.presses(picker, "1. The Reading Lamp")
    assert (await bob.reads())["text"].startswith("Actualités de «\u00a0The Reading Lamp\u00a0»")
    assert (await bob.says("/updates nope"))[
        "text"
    ] == "Aucune campagne ne s’appelle «\u00a0nope\u00a0»."
