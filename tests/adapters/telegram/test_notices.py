"""Notices on Telegram: split into HTML messages, sent through the stand-in, failures mapped."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator, Callable
from html import unescape

import pytest
from PIL import Image
from telegram import Bot

from adapters.images.card_images import card_images
from adapters.standins.telegram import BotApiStandin, ChatEvent, TestUser
from adapters.telegram.limits import TEXT_LIMIT, telegram_length
from adapters.telegram.notices import TelegramSender, notice_parts, telegram_sender
from core.delivery import DeliveryFailed, RecipientGone, TryAgainLater
from core.i18n import use_locale
from core.identity import Platform
from core.milestones import MilestoneKind
from core.outbox import Recipient, RecipientKind
from core.rate_limits import Rate, RateLimiter, SendLimits
from core.views.intents import Show
from core.views.model import Button, Notice
from core.views.pictures import celebration_picture
from tests.core.test_pictures import NOW, lamp
from tests.telegram_fixtures import TOKEN

# Telegram's own limits, as config.toml ships them.
TELEGRAM_LIMITS = SendLimits(Rate(30, 1.0), Rate(1, 1.0), Rate(20, 60.0))
# Limits that never hold a test up, where the stand-in does not enforce any.
LOOSE_LIMITS = SendLimits(Rate(1000, 1.0), Rate(1000, 1.0), Rate(1000, 1.0))
BUTTONS = ((Button("Read on Backit", url="https://backit.test/lamp/updates/3"),),)


class FakeTime:
    """A clock and a sleep for a RateLimiter: sleeping moves the clock on at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Note the wait and let that much time pass."""
        self.slept.append(seconds)
        self.now += seconds


def visible(html: str) -> str:
    """The text Telegram shows for our HTML: tags dropped, entities read."""
    return unescape(re.sub(r"</?b>", "", html))


def update_text(length: int) -> str:
    """A creator update of `length` characters, in paragraphs of a few lines."""
    paragraph = "\n".join(
        (
            "Paragraph {number}, line 1: the lamp is coming along.",
            "Line 2: " + "Words and more words. " * 8 + "Done",
        )
    )
    paragraphs = (paragraph.format(number=n) for n in range(1, length // 200))
    return "\n\n".join(paragraphs)[: length - 1].rstrip() + "."


def person(user: TestUser) -> Recipient:
    """Where a notice to that person's private chat goes."""
    return Recipient(Platform.TELEGRAM, RecipientKind.USER, str(user.id), "en")


def community(chat_id: int) -> Recipient:
    """Where a notice to a community's group goes."""
    return Recipient(Platform.TELEGRAM, RecipientKind.CHANNEL, str(chat_id), "en")


@pytest.fixture
async def sender(telegram_standin: BotApiStandin) -> AsyncIterator[TelegramSender]:
    """A sender on the stand-in, built as the dispatcher builds it, with loose limits."""
    async with telegram_sender(
        TOKEN, telegram_standin.base_url, RateLimiter(LOOSE_LIMITS)
    ) as built:
        yield built


@pytest.fixture
async def bot(telegram_standin: BotApiStandin) -> AsyncIterator[Bot]:
    """A plain Bot on the stand-in, for a sender with a limiter of the test's own."""
    async with Bot(TOKEN, base_url=f"{telegram_standin.base_url}/bot") as started:
        yield started


def on_first_message(standin: BotApiStandin, act: Callable[[], None]) -> None:
    """Run `act()` once, right after the bot's first message arrives."""

    def listener(event: ChatEvent) -> None:
        if event.kind == "sent":
            unsubscribe()
            act()

    unsubscribe = standin.subscribe(listener)


# The renderer.


def test_a_short_notice_is_one_part_with_a_bold_escaped_title_and_the_buttons() -> None:
    [part] = notice_parts(Notice("Lamp <funded>", "100 % & more", BUTTONS))

    assert part.html == "<b>Lamp &lt;funded&gt;</b>\n\n100 % &amp; more"
    assert part.keyboard is not None
    assert part.keyboard.inline_keyboard[0][0].url == "https://backit.test/lamp/updates/3"
    assert part.picture is None


def test_a_notice_without_text_is_its_title() -> None:
    [part] = notice_parts(Notice("Lamp funded", "  "))

    assert (part.html, part.keyboard) == ("<b>Lamp funded</b>", None)


def test_a_long_text_splits_at_paragraphs_into_parts_within_the_limit() -> None:
    text = update_text(10_000)

    parts = notice_parts(Notice("Update 3", text, BUTTONS))

    assert len(text) == 10_000
    shown = [visible(part.html) for part in parts]
    assert len(parts) == 3
    assert all(telegram_length(part) <= TEXT_LIMIT for part in shown)
    assert [part.keyboard is not None for part in parts] == [False, False, True]
    whole = f"Update 3\n\n{text}"
    assert "\n\n".join(shown) == whole
    assert shown[0].startswith("Update 3\n\nParagraph 1, line 1")


def test_without_paragraphs_a_text_splits_at_line_breaks_then_spaces() -> None:
    lines = "\n".join(f"Line {n}: " + " ".join(["lamp"] * 15) for n in range(100))
    words = " ".join(["lamp"] * 1000)

    by_lines = [visible(part.html) for part in notice_parts(Notice("Log", lines))]
    by_words = [visible(part.html) for part in notice_parts(Notice("Log", words))]

    assert "\n".join(by_lines) == f"Log\n\n{lines}"
    assert " ".join(by_words) == f"Log\n\n{words}"
    assert all(part.endswith("lamp") for part in by_lines + by_words)


def test_emoji_count_twice_toward_the_limit() -> None:
    # 4,008 characters, which would fit in one message if Telegram counted characters.
    text = "🎉" * 2000 + " " + "🎉" * 2000

    parts = [visible(part.html) for part in notice_parts(Notice("Party", text))]

    assert [telegram_length(part) for part in parts] == [7 + 4000, 4000]
    assert " ".join(parts) == f"Party\n\n{text}"


def test_a_single_5000_character_word_is_cut_hard_without_losing_a_character() -> None:
    word = "".join(chr(ord("a") + n % 26) for n in range(5000))

    parts = [visible(part.html) for part in notice_parts(Notice("Tiers", word))]

    assert [telegram_length(part) for part in parts] == [TEXT_LIMIT, 5000 - (TEXT_LIMIT - 7)]
    assert "".join(parts) == f"Tiers\n\n{word}"


@pytest.mark.parametrize("unit", ["e\u0301", "👨\u200d👩\u200d👧", "🇫🇷", "👍🏽"])
def test_accents_and_emoji_sequences_are_never_cut_in_half(unit: str) -> None:
    text = unit * (9000 // telegram_length(unit))

    parts = [visible(part.html) for part in notice_parts(Notice("Accents", text))]

    assert len(parts) > 2
    assert "".join(parts) == f"Accents\n\n{text}"
    assert all(
        part.removeprefix("Accents\n\n").split(unit) == [""] * (part.count(unit) + 1)
        for part in parts
    )
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)


def test_text_is_escaped_after_splitting_so_no_entity_is_cut() -> None:
    text = "&" * 9000

    parts = notice_parts(Notice("Amps", text))

    assert [part.html.count("&amp;") for part in parts] == [4096 - 6, 4096, 9000 - 8186]
    assert all(re.fullmatch(r"(<b>Amps</b>\n\n)?(&amp;)+", part.html) for part in parts)


# Sending through the stand-in.


async def test_a_short_notice_arrives_as_one_html_message(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    await sender.send(person(ada), Notice("Lamp funded", "<b>x</b> & <script>", BUTTONS))

    [message] = telegram_standin.messages(chat)
    assert message["text"] == "Lamp funded\n\n<b>x</b> & <script>"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 11}]
    assert message["link_preview_options"] == {"is_disabled": True}
    assert message["reply_markup"]["inline_keyboard"] == [
        [{"text": "Read on Backit", "url": "https://backit.test/lamp/updates/3"}]
    ]
    assert sender.platform is Platform.TELEGRAM


async def test_back_it_opens_the_campaign_in_the_private_chat_with_the_bot_from_a_group(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    group = telegram_standin.group(-1001, "Lamp lovers")
    back = Button("Back it", Show(7))

    await sender.send(
        community(group.id), Notice("Lamp is funded!", "€1,500.00", ((back,), *BUTTONS), "lamp")
    )

    [message] = telegram_standin.messages(group)
    assert message["reply_markup"]["inline_keyboard"] == [
        [{"text": "Back it", "url": "https://t.me/backit_test_bot?start=c_lamp"}],
        [{"text": "Read on Backit", "url": "https://backit.test/lamp/updates/3"}],
    ]


async def test_a_10000_character_update_arrives_whole_in_3_parts(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    text = update_text(10_000)

    await sender.send(person(ada), Notice("Update 3", text, BUTTONS))

    messages = telegram_standin.messages(chat)
    assert len(messages) == 3
    assert all(telegram_length(message["text"]) <= TEXT_LIMIT for message in messages)
    assert "\n\n".join(message["text"] for message in messages) == f"Update 3\n\n{text}"
    assert ["reply_markup" in message for message in messages] == [False, False, True]


async def test_skip_parts_sends_only_what_an_earlier_attempt_had_not(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    notice = Notice("Update 3", update_text(10_000), BUTTONS)

    await sender.send(person(ada), notice, skip_parts=2)

    [message] = telegram_standin.messages(chat)
    assert message["html"] == notice_parts(notice)[2].html
    assert "reply_markup" in message


async def test_a_user_who_blocked_the_bot_is_gone(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    telegram_standin.private_chat(ada)
    telegram_standin.block(ada)

    with pytest.raises(RecipientGone) as gone:
        await sender.send(person(ada), Notice("Lamp funded", "Thanks!"))

    assert gone.value.reason == "Forbidden: bot was blocked by the user"
    assert gone.value.sent_parts == 0


async def test_a_user_who_blocks_the_bot_midway_is_gone_after_the_parts_sent(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    on_first_message(telegram_standin, lambda: telegram_standin.block(ada))

    with pytest.raises(RecipientGone) as gone:
        await sender.send(person(ada), Notice("Update 3", update_text(10_000)), skip_parts=1)

    assert gone.value.sent_parts == 2
    assert len(telegram_standin.messages(chat)) == 1


async def test_a_deactivated_user_is_gone(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    telegram_standin.private_chat(ada)
    telegram_standin.deactivate(ada)

    with pytest.raises(RecipientGone, match="user is deactivated"):
        await sender.send(person(ada), Notice("Lamp funded", "Thanks!"))


async def test_a_group_that_does_not_exist_is_gone(sender: TelegramSender) -> None:
    with pytest.raises(RecipientGone, match="Chat not found"):
        await sender.send(community(-1009999), Notice("Lamp funded", "Thanks!"))


async def test_a_group_that_kicked_the_bot_is_gone(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers", creator=ada)
    telegram_standin.kick_bot(group, by=ada)

    with pytest.raises(RecipientGone, match="bot was kicked from the supergroup chat"):
        await sender.send(community(group.id), Notice("Lamp funded", "Thanks!"))


async def test_a_message_telegram_refuses_fails_but_the_recipient_stays(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    telegram_standin.private_chat(ada)
    broken = ((Button("Open", url="backit.test/no-scheme"),),)

    with pytest.raises(DeliveryFailed) as failed:
        await sender.send(person(ada), Notice("Lamp funded", "Thanks!", broken))

    assert type(failed.value) is DeliveryFailed
    assert failed.value.reason.endswith("is invalid: wrong http url")


async def test_a_429_asks_to_try_again_later_and_pauses_the_limiter(
    telegram_standin: BotApiStandin, bot: Bot
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)
    fake = FakeTime()
    limiter = RateLimiter(LOOSE_LIMITS, clock=fake.clock, sleep=fake.sleep)
    sender = TelegramSender(bot, limiter)
    on_first_message(telegram_standin, lambda: telegram_standin.inject_flood(retry_after=7))

    with pytest.raises(TryAgainLater) as later:
        await sender.send(person(ada), Notice("Update 3", update_text(10_000)))

    assert (later.value.retry_after, later.value.sent_parts) == (7.0, 1)
    assert later.value.reason.startswith("RetryAfter: Flood control exceeded")
    assert len(telegram_standin.messages(chat)) == 1
    waited = len(fake.slept)
    async with limiter.turn("another chat"):
        pass
    assert sum(fake.slept[waited:]) == pytest.approx(7.0, abs=0.01)


async def test_a_network_failure_asks_to_try_again_without_a_wait(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    telegram_standin.private_chat(ada)
    await telegram_standin.stop()

    with pytest.raises(TryAgainLater) as later:
        await sender.send(person(ada), Notice("Lamp funded", "Thanks!"))

    assert later.value.retry_after is None
    assert later.value.reason.startswith("NetworkError: ")
    assert TOKEN not in later.value.reason


async def test_many_notices_at_once_stay_within_telegrams_limits(
    telegram_standin: BotApiStandin,
) -> None:
    users = [telegram_standin.user(1000 + n, f"Backer {n}") for n in range(90)]
    chats = [telegram_standin.private_chat(user) for user in users]
    telegram_standin.enforce_rate_limits()
    notice = Notice("Lamp funded", "The lamp reached its goal. Thank you!", BUTTONS)

    async with telegram_sender(
        TOKEN, telegram_standin.base_url, RateLimiter(TELEGRAM_LIMITS)
    ) as sender:
        await asyncio.gather(*(sender.send(person(user), notice) for user in users))

    assert telegram_standin.throttled_count == 0
    assert all(len(telegram_standin.messages(chat)) == 1 for chat in chats)
    arrivals = sorted(record.at for record in telegram_standin.send_log)
    # No second of the stand-in's own clock saw more than 30: the 31st came a second later.
    assert all(
        later - earlier >= 1.0 for earlier, later in zip(arrivals, arrivals[30:], strict=False)
    )


async def test_a_report_is_posted_then_edited_in_place(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    message_id = await sender.post_report(str(ada.id), "Delivered to 0 of 120 <backers>")
    await sender.edit_report(str(ada.id), message_id, "Delivered to 120 of 120 <backers>")
    await sender.edit_report(str(ada.id), message_id, "Delivered to 120 of 120 <backers>")

    [message] = telegram_standin.messages(chat)
    assert str(message["message_id"]) == message_id
    assert message["text"] == "Delivered to 120 of 120 <backers>"
    assert "edit_date" in message


async def test_editing_a_report_that_is_gone_fails(
    telegram_standin: BotApiStandin, sender: TelegramSender
) -> None:
    group = telegram_standin.group(-1001, "Lamp lovers")

    with pytest.raises(DeliveryFailed, match="Message to edit not found"):
        await sender.edit_report(str(group.id), "77", "Delivered to 3 of 3")


@pytest.fixture
async def picturing_sender(telegram_standin: BotApiStandin) -> AsyncIterator[TelegramSender]:
    """A sender as `backit run` builds it: milestones go with their picture."""
    async with telegram_sender(
        TOKEN, telegram_standin.base_url, RateLimiter(LOOSE_LIMITS), card_images()
    ) as built:
        yield built


def milestone(text: str = "€505.00 of €1,000.00 from 12 backers, 8 days left.") -> Notice:
    """The Reading Lamp's 50 % milestone, with its picture."""
    with use_locale("en"):
        picture = celebration_picture(lamp(50_500), MilestoneKind.PERCENT, 50, NOW)
    return Notice("The Reading Lamp reached 50% of its goal", text, BUTTONS, "lamp", picture)


async def test_a_milestone_is_its_picture_uploaded_once_with_the_notice_as_caption(
    telegram_standin: BotApiStandin, picturing_sender: TelegramSender
) -> None:
    readers = [telegram_standin.user(40 + n, f"Reader {n}") for n in range(3)]
    chats = [telegram_standin.private_chat(reader) for reader in readers]

    for reader in readers:
        await picturing_sender.send(person(reader), milestone())

    messages = [telegram_standin.messages(chat)[0] for chat in chats]
    assert {m["caption"] for m in messages} == {
        "The Reading Lamp reached 50% of its goal\n\n"
        "€505.00 of €1,000.00 from 12 backers, 8 days left."
    }
    assert all(m["reply_markup"]["inline_keyboard"] for m in messages)
    assert telegram_standin.photo_uploads == 1
    stored = telegram_standin.photo(messages[0]["photo"][-1]["file_id"])
    assert stored is not None
    assert stored.data is not None
    assert Image.open(io.BytesIO(stored.data)).size == (1200, 675)


async def test_a_milestone_too_long_for_a_caption_or_without_pictures_goes_as_text(
    telegram_standin: BotApiStandin, picturing_sender: TelegramSender, sender: TelegramSender
) -> None:
    ada, bea = telegram_standin.user(42, "Ada"), telegram_standin.user(43, "Bea")
    chats = [telegram_standin.private_chat(reader) for reader in (ada, bea)]

    await picturing_sender.send(person(ada), milestone("Long. " * 200))
    await sender.send(person(bea), milestone())

    for chat in chats:
        [message] = telegram_standin.messages(chat)
        assert "photo" not in message
        assert message["text"].startswith("The Reading Lamp reached 50% of its goal\n\n")
    assert telegram_standin.photo_uploads == 0


async def test_a_milestone_sent_to_many_at_once_is_uploaded_once(
    telegram_standin: BotApiStandin, picturing_sender: TelegramSender
) -> None:
    readers = [telegram_standin.user(40 + n, f"Reader {n}") for n in range(10)]
    chats = [telegram_standin.private_chat(reader) for reader in readers]

    await asyncio.gather(*(picturing_sender.send(person(r), milestone()) for r in readers))

    assert all("photo" in telegram_standin.messages(chat)[0] for chat in chats)
    assert telegram_standin.photo_uploads == 1
