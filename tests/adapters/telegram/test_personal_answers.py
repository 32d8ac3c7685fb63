"""Answers for one person alone: asked in a group, they are given in the private chat, and the
group only hears where to look."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.deep_links import PERSONAL_COMMANDS, RunCommand
from adapters.telegram.personal import PERSONAL
from core.pledges import PledgeStatus
from core.ports import Clock
from core.views.intents import CancelPledge, ConfirmCancel, KeepPledge
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, button, labels, start_command, start_payload
from tests.telegram_fixtures import BOT


def test_every_personal_command_has_a_deep_link() -> None:
    assert set(PERSONAL) == set(PERSONAL_COMMANDS)


@pytest.mark.parametrize("command", PERSONAL_COMMANDS)
async def test_a_personal_command_in_a_group_only_points_to_the_private_chat(
    telegram_bot: RunningBot, clock: Clock, command: str
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    await paid_pledge(telegram_bot.services.uows, clock, lamp, 42, 2_500)
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    pointer = await ada.says(f"/{command}", group)

    assert pointer["text"] == "I answer this in our private chat, for you alone."
    assert labels(pointer) == ["Open the private chat"]
    url = button(pointer, "Open the private chat")["url"]
    assert url == f"https://t.me/{BOT.username}?start={command}"
    assert start_payload(url, BOT.username) == RunCommand(command)
    assert [m["text"] for m in telegram_bot.standin.messages(group)] == [
        f"/{command}",
        pointer["text"],
    ]


async def test_my_pledges_opened_from_a_group_are_listed_in_the_private_chat(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    await paid_pledge(telegram_bot.services.uows, clock, lamp, 42, 2_500)
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    pointer = await ada.says("/mypledges", group)

    listing = await ada.says(start_command(button(pointer, "Open the private chat")["url"]))

    assert listing["text"] == "Your pledges\n\n1. The Reading Lamp\n€25.00 · Paid · backer #1"
    assert labels(listing) == ["1. The Reading Lamp", "Cancel: The Reading Lamp (€25.00)"]


async def test_ambassadors_opened_from_a_group_asks_for_the_campaign_in_private(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    pointer = await ada.says("/ambassadors lamp", group)

    picker = await ada.says(start_command(button(pointer, "Open the private chat")["url"]))

    assert picker["text"] == "Which campaign's ambassadors?\n\nYou have not created a campaign yet."


async def test_the_pointer_to_the_private_chat_speaks_the_persons_language(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    group = telegram_bot.standin.group(-100, "Makers", members=[amelie.user])

    pointer = await amelie.says("/following", group)

    assert pointer["text"] == "Je vous réponds dans notre discussion privée, rien que pour vous."
    assert labels(pointer) == ["Ouvrir la discussion privée"]


@pytest.mark.parametrize("kind", [CancelPledge, ConfirmCancel, KeepPledge])
async def test_a_pledges_cancel_buttons_pressed_in_a_group_lead_to_the_private_chat(
    telegram_bot: RunningBot, clock: Clock, kind: type[CancelPledge | ConfirmCancel | KeepPledge]
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    pledge = await paid_pledge(telegram_bot.services.uows, clock, lamp, 42, 2_500)
    ada = telegram_bot.person(42, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    # A list posted in the group before personal answers moved to the private chat.
    posted = await telegram_bot.application.bot.send_message(
        group.id,
        "Your pledges",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Cancel", callback_data=kind(pledge.id).encode())]]
        ),
    )

    answer = await ada.presses(posted.to_dict(), "Cancel")

    assert answer.url == f"https://t.me/{BOT.username}?start=mypledges"
    assert [m["text"] for m in telegram_bot.standin.messages(group)] == ["Your pledges"]
    async with telegram_bot.services.uows() as uow:
        kept = await uow.pledges.get(pledge.id)
    assert kept is not None
    assert kept.status is PledgeStatus.PAID
