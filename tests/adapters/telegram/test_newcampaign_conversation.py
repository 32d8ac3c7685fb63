"""/newcampaign end to end: the real bot on the Bot API stand-in, storing in a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.standins.telegram import BotApiStandin, ChatRef, TestUser
from adapters.storage import Database
from core.campaigns import CampaignStatus, FundingModel
from core.identity import Identity, Platform
from core.money import Money
from tests.adapters.telegram.people import RunningBot, labels

TITLE_QUESTION = "What is your campaign called? At most 80 characters. /cancel stops."
REWARDS_DONE = "No more rewards"


@pytest.fixture
def standin(telegram_bot: RunningBot) -> BotApiStandin:
    """The stand-in with Backit's bot polling it, on a clock fixed at 2026-11-01 12:00 UTC."""
    return telegram_bot.standin


class Creator:
    """Ada in her private chat with the bot: she writes or presses, and reads the replies."""

    def __init__(self, standin: BotApiStandin) -> None:
        self.standin = standin
        self.user: TestUser = standin.user(42, "Ada", last_name="Lovelace")
        self.chat: ChatRef = standin.private_chat(self.user)

    async def says(self, text: str, chat: ChatRef | None = None) -> dict[str, Any]:
        """Send a message and return the bot's reply."""
        where = chat or self.chat
        await self.user.send(where, text)
        return await self.standin.next_message(where)

    async def presses(self, message: dict[str, Any], label: str) -> list[dict[str, Any]]:
        """Press a button; the pressed message as edited, then the bot's next message."""
        press = await self.user.press(message, label)
        await press.answer()
        return [await self.standin.next_message(self.chat) for _ in range(2)]


async def test_a_creator_answers_each_question_and_gets_a_draft(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    assert (await ada.says("/newcampaign"))["text"] == TITLE_QUESTION

    too_long = await ada.says("x" * 81)
    assert too_long["text"] == f"Title can be at most 80 characters long.\n\n{TITLE_QUESTION}"
    blurb = await ada.says("The <Reading> Lamp")
    assert blurb["text"].startswith("In one sentence, what is it?")
    goal = await ada.says("A warm lamp for long nights.")
    assert goal["text"].startswith("How much do you need?")
    unreadable = await ada.says("five thousand")
    assert unreadable["text"].startswith(
        "Goal: write digits without thousands separators, like 5000 or 49.90\n\n"
        "How much do you need?"
    )
    end = await ada.says("5000")
    assert end["text"].startswith("How long will it run?")
    category = await ada.says("2026-12-24")
    assert category["text"] == "Which category is it in?"
    assert "Film & Video" in labels(category)

    chosen, funding = await ada.presses(category, "Design")
    assert (chosen["text"], labels(chosen)) == ("Category: Design", [])
    assert labels(funding) == ["All or nothing", "Flexible"]
    chosen, rewards = await ada.presses(funding, "All or nothing")
    assert chosen["text"] == "All or nothing: cards are charged only if the goal is met"
    assert labels(rewards) == [REWARDS_DONE]

    added = await ada.says("Early bird | 50 | 100")
    assert added["text"] == (
        "Added “Early bird” at €50.00. Send another reward, or press “No more rewards”."
    )
    added = await ada.says("Lamp | 75")
    closed, preview = await ada.presses(added, REWARDS_DONE)
    assert labels(closed) == []
    assert preview["html"].startswith(
        "<b>This is how your campaign will look:</b>\n\n<b>The &lt;Reading&gt; Lamp</b>"
    )
    for line in (
        "<i>by Ada Lovelace · Design</i>",
        "<b>Raised:</b> €0.00 of €5,000.00",
        "<b>Ends:</b> Dec 24, 2026 at 11:59\u202fPM UTC",
        "<b>Reward:</b> Early bird · €50.00 · 100 left",
        "<b>Reward:</b> Lamp · €75.00",
    ):
        assert line in preview["html"]
    assert labels(preview) == ["Create draft", "Cancel"]

    closed, created = await ada.presses(preview, "Create draft")
    assert labels(closed) == []
    assert created["text"] == (
        "Your draft “The <Reading> Lamp” is saved as the-reading-lamp. It goes live when "
        "an operator publishes it with: backit campaigns publish the-reading-lamp"
    )
    async with database.unit_of_work() as uow:
        stored = await uow.campaigns.by_slug("the-reading-lamp")
    assert stored is not None
    assert (stored.status, stored.creator_name, stored.creator_identities) == (
        CampaignStatus.DRAFT,
        "Ada Lovelace",
        (Identity(Platform.TELEGRAM, "42"),),
    )
    assert (stored.goal, stored.category, stored.funding_model, stored.ends_at) == (
        Money(500_000, "EUR"),
        "design",
        FundingModel.ALL_OR_NOTHING,
        datetime(2026, 12, 24, 23, 59, tzinfo=UTC),
    )
    assert [(t.title, t.amount.amount, t.quantity_limit) for t in stored.tiers] == [
        ("Early bird", 5_000, 100),
        ("Lamp", 7_500, None),
    ]


async def test_cancel_stops_the_conversation_and_stores_nothing(
    standin: BotApiStandin, database: Database
) -> None:
    ada = Creator(standin)
    await ada.says("/newcampaign")
    await ada.says("The Reading Lamp")
    assert (await ada.says("/cancel"))["text"] == "Campaign draft discarded."
    # The next message is no longer an answer: it is pointed onward, and /newcampaign starts
    # afresh.
    onward = await ada.says("A warm lamp for long nights.")
    assert onward["text"] == "Send /discover to find campaigns, or /help."
    assert (await ada.says("/newcampaign"))["text"] == TITLE_QUESTION
    async with database.unit_of_work() as uow:
        assert await uow.campaigns.list_all() == []


async def test_text_where_a_button_is_expected_asks_again_with_the_buttons(
    standin: BotApiStandin,
) -> None:
    ada = Creator(standin)
    for answer in ("/newcampaign", "Lamp", "A lamp.", "50 usd", "30"):
        await ada.says(answer)
    again = await ada.says("Design")
    assert again["text"] == "Please answer with the buttons.\n\nWhich category is it in?"
    assert "Design" in labels(again)


async def test_in_a_group_the_creator_is_sent_to_a_private_chat(standin: BotApiStandin) -> None:
    ada = Creator(standin)
    group = standin.group(-100, "Makers", members=[ada.user])
    refused = await ada.says("/newcampaign", group)
    assert refused["text"] == "Create your campaign with me in a private chat."


async def test_the_twentieth_reward_goes_straight_to_the_preview(standin: BotApiStandin) -> None:
    ada = Creator(standin)
    for answer in ("/newcampaign", "Lamp", "A lamp.", "50 usd", "30"):
        category = await ada.says(answer)
    _, funding = await ada.presses(category, "Design")
    await ada.presses(funding, "Flexible")
    for number in range(1, 20):
        await ada.says(f"Pin {number} | {number}")
    await ada.user.send(ada.chat, "Pin 20 | 20")
    last = await standin.next_message(ada.chat)
    preview = await standin.next_message(ada.chat)
    assert last["text"] == "Added “Pin 20” at $20.00. That is as many as a campaign may have."
    assert preview["html"].count("<b>Reward:</b>") == 20
    assert labels(preview) == ["Create draft", "Cancel"]
