"""Review on Telegram, end to end: the real bot and the real sender on the Bot API stand-in, a
real database; the creator submits, the operator asks for changes, then approves."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.storage import Database
from adapters.telegram.notices import telegram_sender
from core.campaigns import Campaign, CampaignStatus
from core.ports import Clock
from core.rate_limits import RateLimiter
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.managing import create_campaign
from core.views.intents import Approve, RequestChanges
from tests.adapters.telegram.people import OPERATOR, Person, RunningBot, labels
from tests.adapters.telegram.test_notices import LOOSE_LIMITS
from tests.core.conftest import draft
from tests.delivery_fakes import FakeLinks
from tests.fakes import FixedClock
from tests.telegram_fixtures import TOKEN


async def deliver(bot: RunningBot) -> None:
    """Send every notification due, as `backit run`'s dispatcher does."""
    services = bot.services
    async with telegram_sender(TOKEN, bot.standin.base_url, RateLimiter(LOOSE_LIMITS)) as sender:
        await Dispatcher(
            services.uows, services.clock, [sender], FakeLinks(), DispatchSettings()
        ).drain()


async def status(bot: RunningBot, campaign: Campaign) -> CampaignStatus:
    async with bot.services.uows() as uow:
        found = await uow.campaigns.get(campaign.id)
    assert found is not None
    return found.status


async def drafted(bot: RunningBot, clock: Clock, creator: Person) -> Campaign:
    assert isinstance(clock, FixedClock)
    return await create_campaign(
        bot.services.uows(), draft(clock, creator_identities=(creator.identity,))
    )


async def test_a_draft_goes_to_the_operator_back_for_changes_and_live_once_approved(
    telegram_bot: RunningBot, database: Database, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    olga = telegram_bot.person(int(OPERATOR.user_id), "Olga")
    mallory = telegram_bot.person(77, "Mallory")
    lamp = await drafted(telegram_bot, clock, ada)

    hidden = await mallory.says("/submit lamp")
    assert hidden["text"] == "There is no campaign called “lamp”."
    sent = await ada.says("/submit lamp")
    assert sent["text"] == (
        "“The Reading Lamp” is sent for review. An operator will approve it or ask for changes, "
        "and you will hear which here."
    )
    assert await status(telegram_bot, lamp) is CampaignStatus.IN_REVIEW
    again = await ada.says("/submit lamp")
    assert again["text"] == "“The Reading Lamp” is already waiting for review."

    await deliver(telegram_bot)
    review = await olga.reads()
    assert review["text"].startswith(
        "Review requested: The Reading Lamp\n\nSubmitted by Ada as lamp; approved, it launches "
        "at once and runs for 30 days."
    )
    for line in ("by Ada · Design", "Raised: €0.00 of €1,000.00", "Early bird · €50.00"):
        assert line in review["text"]
    assert labels(review) == ["Approve", "Request changes"]
    # Only one notice was sent, for one submission.
    assert len(telegram_bot.standin.messages(olga.chat)) == 1

    # Changes asked for, with a reason too long first.
    asked = await olga.presses(review, "Request changes")
    assert asked.text is None
    question = await olga.reads()
    assert question["text"] == (
        "What should the creator of “The Reading Lamp” change? Send it as your next message "
        "(at most 1000 characters)."
    )
    too_long = await olga.says("x" * 1001)
    assert too_long["text"] == "Reason can be at most 1000 characters long."
    done = await olga.says("  Add a photo of the lamp, lit.  ")
    assert done["text"] == (
        "“The Reading Lamp” is back with its creator, with your reason. It comes back here when "
        "they submit it again."
    )
    assert await status(telegram_bot, lamp) is CampaignStatus.DRAFT

    await deliver(telegram_bot)
    changes = await ada.reads()
    assert changes["text"] == (
        "Changes requested for The Reading Lamp\n\nAn operator asked for changes before "
        "publishing it:\n\nAdd a photo of the lamp, lit.\n\nWhen it is ready, submit it again "
        "with /submit lamp."
    )
    stale = await olga.presses(review, "Approve")
    assert stale.text == (
        "“The Reading Lamp” is not waiting for review: it is a draft, with its creator."
    )

    resent = await ada.says("/submit lamp")
    assert resent["text"].startswith("“The Reading Lamp” is sent for review.")
    await deliver(telegram_bot)
    second = await olga.reads()
    assert second["text"].startswith("Review requested: The Reading Lamp")
    assert labels(second) == ["Approve", "Request changes"]

    pressed = await olga.presses(second, "Approve")
    assert pressed.text is None
    settled = await olga.reads()
    assert (settled["message_id"], labels(settled)) == (second["message_id"], [])
    confirmed = await olga.reads()
    assert confirmed["text"] == "“The Reading Lamp” is approved and live. Its creator is told."
    assert await status(telegram_bot, lamp) is CampaignStatus.LIVE

    await deliver(telegram_bot)
    told = await ada.reads()
    assert told["text"] == (
        "The Reading Lamp is approved\n\nIt is live: people can discover it and back it now."
    )
    assert labels(told) == ["See the campaign"]
    # Told once: a second round of deliveries finds nothing to send.
    await deliver(telegram_bot)
    assert telegram_bot.standin.messages(ada.chat)[-1]["message_id"] == told["message_id"]

    card = await mallory.says("/campaign lamp")
    # The card, as its picture captioned with its words.
    assert card["caption"].startswith("The Reading Lamp\nby Ada · Design")


async def test_pressing_or_forging_the_operator_buttons_is_refused_to_anyone_else(
    telegram_bot: RunningBot, database: Database, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    mallory = telegram_bot.person(77, "Mallory")
    lamp = await drafted(telegram_bot, clock, ada)
    await ada.says("/submit lamp")
    forged = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Approve", callback_data=Approve(lamp.id).encode()),
                InlineKeyboardButton("Changes", callback_data=RequestChanges(lamp.id).encode()),
            ]
        ]
    )
    bot = telegram_bot.application.bot
    for person in (mallory, ada):
        await bot.send_message(person.user.id, "Forged", reply_markup=forged)
        message = await person.reads()
        for label in ("Approve", "Changes"):
            refused = await person.presses(message, label)
            assert refused.text == "Only an operator can review campaigns."
    # Nothing is awaited from them: their next message is no reason for changes.
    unexpected = await mallory.says("Publish it anyway.")
    assert "Publish it anyway" not in unexpected["text"]
    assert await status(telegram_bot, lamp) is CampaignStatus.IN_REVIEW
    await deliver(telegram_bot)
    assert telegram_bot.standin.messages(ada.chat)[-1]["text"] == "Forged"


async def test_a_draft_on_the_dashboard_offers_submit_for_review(
    telegram_bot: RunningBot, database: Database, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    await drafted(telegram_bot, clock, ada)
    mine = await ada.says("/mycampaigns")
    assert "Draft" in mine["text"]
    await ada.presses(mine, "1. The Reading Lamp")
    board = await ada.reads()
    assert board["text"].startswith("The Reading Lamp\nYour campaign · Draft")
    assert labels(board)[0] == "Submit for review"
    await ada.presses(board, "Submit for review")
    sent = await ada.reads()
    assert sent["text"].startswith("“The Reading Lamp” is sent for review.")

    # In review: the dashboard says so, and offers no second submission.
    await ada.presses(mine, "1. The Reading Lamp")
    board = await ada.reads()
    assert board["text"].startswith("The Reading Lamp\nYour campaign · In review")
    assert "Submit for review" not in labels(board)


async def test_submit_without_a_name_offers_the_creators_drafts(
    telegram_bot: RunningBot, database: Database, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    lamp = await drafted(telegram_bot, clock, ada)
    picker = await ada.says("/submit")
    assert picker["text"].startswith("Which draft should be sent for review?")
    await ada.presses(picker, "1. The Reading Lamp")
    sent = await ada.reads()
    assert sent["text"].startswith("“The Reading Lamp” is sent for review.")
    assert await status(telegram_bot, lamp) is CampaignStatus.IN_REVIEW
    nothing = await ada.says("/submit")
    assert nothing["text"].endswith(
        "You have no draft to send for review. /newcampaign to start one."
    )
