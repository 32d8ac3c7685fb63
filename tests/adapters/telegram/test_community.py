"""Groups end to end: admins (as Telegram says) link campaigns and switch announcements."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.standins.telegram import ChatRef
from core.communities import Community
from core.identity import Platform
from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import RunningBot, labels

REFUSAL = "Only this chat's administrators can do that."


async def community(telegram_bot: RunningBot, chat: ChatRef) -> Community | None:
    """What Backit stored about a group."""
    async with telegram_bot.services.uows() as uow:
        return await uow.communities.get(Platform.TELEGRAM, str(chat.id))


def first_title(listing: dict[str, Any]) -> str:
    """The title of the first campaign a list shows."""
    return labels(listing)[0].removeprefix("1. ")


async def test_an_admin_links_a_campaign_and_the_groups_discover_shows_it_first(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    uows = telegram_bot.services.uows
    await live_campaign(uows, clock, "lamp", title="The Reading Lamp")
    kiln = await live_campaign(uows, clock, "kiln", title="The Kiln", started=timedelta(hours=2))
    await live_campaign(uows, clock, "boat", title="The Boat", backers=2)
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user])
    assert first_title(await ada.says("/discover", group)) == "The Boat"

    linked = await ada.says("/link KILN", group)
    assert linked["text"] == "“The Kiln” is linked to this group."
    stored = await community(telegram_bot, group)
    assert stored is not None
    assert (stored.title, stored.linked_campaign_ids) == ("Makers", (kiln.id,))
    listing = await ada.says("/discover", group)
    assert first_title(listing) == "The Kiln"
    # Sorting keeps the group's campaigns first.
    await ada.presses(listing, "Most backed")
    assert first_title(await ada.reads(group)) == "The Kiln"
    # Elsewhere the order is everyone's.
    assert first_title(await ada.says("/discover")) == "The Boat"

    unlinked = await ada.says("/unlink kiln", group)
    assert unlinked["text"] == "“The Kiln” is no longer linked here."
    assert first_title(await ada.says("/discover", group)) == "The Boat"


async def test_only_members_telegram_calls_admins_may_link(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", creator=ada.user, members=[bob.user])

    assert (await bob.says("/link lamp", group))["text"] == REFUSAL
    assert await community(telegram_bot, group) is None
    telegram_bot.standin.set_status(group, bob.user, "administrator")
    assert (await bob.says("/link lamp", group))[
        "text"
    ] == "“The Reading Lamp” is linked to this group."
    telegram_bot.standin.set_status(group, bob.user, "member")
    assert (await bob.says("/unlink lamp", group))["text"] == REFUSAL
    assert (await ada.says("/unlink lamp", group))[
        "text"
    ] == "“The Reading Lamp” is no longer linked here."


async def test_announcements_are_switched_by_admins_only(telegram_bot: RunningBot) -> None:
    ada = telegram_bot.person(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user], members=[bob.user])

    off = await ada.says("/announce off", group)
    assert off["text"] == "Announcements are off in this group."
    stored = await community(telegram_bot, group)
    assert stored is not None
    assert not stored.announcements
    assert (await bob.says("/announce on", group))["text"] == REFUSAL
    on = await ada.says("/announce ON", group)
    assert on["text"] == "Announcements are on in this group."
    stored = await community(telegram_bot, group)
    assert stored is not None
    assert stored.announcements
    assert (await ada.says("/announce loud", group))["text"] == "Usage: /announce on|off"


async def test_group_commands_say_how_and_where_they_work(telegram_bot: RunningBot) -> None:
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", admins=[ada.user])

    assert (await ada.says("/link lamp"))["text"] == "This command works in a group."
    assert (await ada.says("/link", group))["text"] == (
        "Which campaign should be linked here?\n\nNo campaign is live right now, and you have "
        "none of your own."
    )
    assert (await ada.says("/unlink", group))["text"] == (
        "Which campaign should no longer be linked here?\n\nNo campaign is linked here."
    )
    assert (await ada.says("/link nope", group))["text"] == "There is no campaign called “nope”."
