"""Telegram updates handled per second end to end, Backit's bot beside a bare one.

`make bench` runs it. One Bot API stand-in serves two bots in this process, polled the same
way: Backit's, built by `build_application` and started by `TelegramBot` as `backit run` does,
on the demo catalog in a real database; and a bare python-telegram-bot application that echoes
text, and answers /discover and the paging buttons with Backit's own replies rendered once
beforehand (so the difference is Backit's work, not the size of its messages). USERS people
each send ROUNDS updates, each waiting for the reply to the last (the bot's message, or its
answer to a button press) before sending the next. Backit runs twice: without the client-side
rate limiter, then as deployed, where ChatPacing holds every bot to 30 calls a second.
It measures; it asserts only that every reply arrived and says what it should.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.chat_services import ChatServices
from adapters.images.progress_charts import ProgressCharts
from adapters.standins.telegram import BotApiStandin, BotProfile, ChatEvent, ChatRef, TestUser
from adapters.storage import Database
from adapters.telegram.application import build_application
from adapters.telegram.bot import TelegramBot
from adapters.telegram.pacing import TELEGRAM_LIMITS
from adapters.telegram.render import Rendered, render_list
from bots.catalog import read_catalog
from bots.clock import SystemClock
from bots.config import SHIPPED_NAME, load_settings
from bots.seeding import seed_catalog
from core.i18n import use_locale
from core.pledge_links import PledgeLinkSigner
from core.ports import CampaignQuery
from core.usecases.browsing import browse
from core.usecases.cached_reads import CachedReads
from core.views.lists import browse_page
from tests.benchmarks.measurement import Measurement, collector_settled
from tests.payment_fixtures import LINK_LIFETIME, LINK_SECRET

USERS = 50
ROUNDS = 10
WARM_UP_ROUNDS = 2
POLL_TIMEOUT = 1
REPLY_TIMEOUT = 30.0
BACKIT = BotProfile("100000001:backit-benchmark", username="backit_bench_bot")
BARE = BotProfile("100000002:bare-benchmark", username="bare_bench_bot")
# The callback data of the first /discover page's Next button, and of the second's Previous.
NEXT_PAGE = "b:trending::5"
PREVIOUS_PAGE = "b:trending::0"

Act = Callable[[TestUser, ChatRef, int], Awaitable[None]]
Check = Callable[[ChatEvent], bool]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True)
class Scenario:
    """What each person does, which change of the bot's answers it, and what that must say."""

    name: str
    act: Act
    reply_kind: str
    check: Check


class Replies:
    """Waits, chat by chat, for a bot's next change of one kind: a message, or a press answer."""

    def __init__(self, standin: BotApiStandin, kind: str) -> None:
        self._kind = kind
        self._waiting: dict[ChatRef, asyncio.Future[ChatEvent]] = {}
        self._unsubscribe = standin.subscribe(self._seen)

    def expect(self, chat: ChatRef) -> asyncio.Future[ChatEvent]:
        """The next such change in the chat, once it happens."""
        future: asyncio.Future[ChatEvent] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = future
        return future

    def close(self) -> None:
        """Stop watching."""
        self._unsubscribe()

    def _seen(self, event: ChatEvent) -> None:
        if event.by_bot and event.kind == self._kind and event.chat in self._waiting:
            self._waiting.pop(event.chat).set_result(event)


async def drive(
    standin: BotApiStandin, people: Sequence[tuple[TestUser, ChatRef]], scenario: Scenario
) -> Measurement:
    """Every person acts ROUNDS times (after a warm-up), each time once the bot replied."""
    replies = Replies(standin, scenario.reply_kind)
    latencies: list[float] = []
    wrong: list[ChatEvent] = []

    async def person(user: TestUser, chat: ChatRef, rounds: range, measured: bool) -> None:
        for number in rounds:
            reply = replies.expect(chat)
            started = time.perf_counter()
            await scenario.act(user, chat, number)
            event = await asyncio.wait_for(reply, REPLY_TIMEOUT)
            if measured:
                latencies.append(time.perf_counter() - started)
            if not scenario.check(event):
                wrong.append(event)

    try:
        async with asyncio.TaskGroup() as warming:
            for user, chat in people:
                warming.create_task(person(user, chat, range(WARM_UP_ROUNDS), False))
        with collector_settled():
            started = time.perf_counter()
            async with asyncio.TaskGroup() as running:
                for user, chat in people:
                    rounds = range(WARM_UP_ROUNDS, WARM_UP_ROUNDS + ROUNDS)
                    running.create_task(person(user, chat, rounds, True))
            seconds = time.perf_counter() - started
    finally:
        replies.close()
    assert wrong == [], f"{scenario.name}: {len(wrong)} wrong replies, first {wrong[:1]}"
    assert len(latencies) == len(people) * ROUNDS
    return Measurement(seconds, latencies, scenario.name)


def people(
    standin: BotApiStandin, bot: BotProfile, first_id: int
) -> list[tuple[TestUser, ChatRef]]:
    """USERS people, each in a private chat with the bot."""
    found = []
    for number in range(USERS):
        user = standin.user(first_id + number, f"Person {number}")
        found.append((user, standin.private_chat(user, bot)))
    return found


async def say_hello(user: TestUser, chat: ChatRef, number: int) -> None:
    """A line of text to echo."""
    await user.send(chat, f"hello {number}")


async def discover(user: TestUser, chat: ChatRef, number: int) -> None:
    """/discover."""
    await user.send(chat, "/discover")


def page_through(standin: BotApiStandin) -> Act:
    """Press Next on the person's /discover list, then Previous, and so on."""

    async def press(user: TestUser, chat: ChatRef, number: int) -> None:
        listing = next(
            message for message in reversed(standin.messages(chat)) if "reply_markup" in message
        )
        await user.press(listing, NEXT_PAGE if number % 2 == 0 else PREVIOUS_PAGE)

    return press


def scenarios(standin: BotApiStandin, who: str) -> list[Scenario]:
    """/discover, then a paging button, as one bot answers them."""

    def listed(event: ChatEvent) -> bool:
        return event.message is not None and event.message["text"].startswith("Trending\n\n1. ")

    def answered(event: ChatEvent) -> bool:
        return event.answer is not None

    return [
        Scenario(f"{who}: /discover", discover, "sent", listed),
        Scenario(f"{who}: paging button", page_through(standin), "callback_answered", answered),
    ]


async def seed_demo_catalog(database: Database) -> ChatServices:
    """The demo catalog in the database, and the services Backit's bot runs on."""
    services = chat_services(database)
    entries = read_catalog(None, services.clock.now(), services.limits)
    await seed_catalog(database.unit_of_work, services.clock, services.limits, entries)
    return services


def chat_services(database: Database) -> ChatServices:
    """The services Backit's bot runs on, over whatever the database holds."""
    # The shipped defaults (not a local config.toml), which let the yen campaign take its pledges.
    shipped = load_settings(Path(str(files("bots").joinpath(SHIPPED_NAME))), env={})
    clock = SystemClock()
    reads = CachedReads(database.unit_of_work, database.counters, clock)
    return ChatServices(
        uows=database.unit_of_work,
        clock=clock,
        reads=reads,
        progress_charts=ProgressCharts(reads, clock),
        limits=shipped.pledges.limits,
        operators=frozenset(),
        public_url="https://backit.test",
        signer=PledgeLinkSigner(LINK_SECRET, LINK_LIFETIME),
        gateway=None,
    )


async def backit_pages(services: ChatServices) -> dict[str, Rendered]:
    """Backit's first two /discover pages, rendered once, by the callback data that shows them."""
    pages = {}
    for data, offset in ((PREVIOUS_PAGE, 0), (NEXT_PAGE, services.page_size)):
        query = CampaignQuery(offset=offset, limit=services.page_size)
        page = await browse(services.uows(), services.clock, query)
        with use_locale("en"):
            pages[data] = render_list(browse_page(page, services.clock.now()))
    return pages


@asynccontextmanager
async def polling(app: AnyApplication) -> AsyncIterator[None]:
    """A bare application, started and polling the way TelegramBot polls."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


def bare_bot(standin: BotApiStandin, pages: dict[str, Rendered]) -> AnyApplication:
    """A bare bot: echoes text, and answers /discover and paging with Backit's rendered pages."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        assert message.text is not None
        await message.reply_text(message.text)

    async def first_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        page = pages[PREVIOUS_PAGE]
        await message.reply_text(page.html, parse_mode=ParseMode.HTML, reply_markup=page.keyboard)

    async def turn_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        page = pages[query.data or ""]
        await query.edit_message_text(
            page.html, parse_mode=ParseMode.HTML, reply_markup=page.keyboard
        )
        await query.answer()

    app: AnyApplication = (
        ApplicationBuilder()
        .token(BARE.token)
        .base_url(f"{standin.base_url}/bot")
        .base_file_url(f"{standin.base_url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("discover", first_page))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(turn_page))
    return app


@asynccontextmanager
async def backit_bot(
    standin: BotApiStandin, services: ChatServices, *, rate_limited: bool
) -> AsyncIterator[None]:
    """Backit's bot, built and started as `backit run` does (bar the rate limiter, if asked)."""
    limits = TELEGRAM_LIMITS if rate_limited else None
    application = build_application(
        BACKIT.token, services, base_url=standin.base_url, polling=True, limits=limits
    )
    bot = TelegramBot(application, poll_timeout=POLL_TIMEOUT)
    await bot.start()
    try:
        yield
    finally:
        await bot.stop()


def report(
    backend: str, echo: Measurement, bare: Sequence[Measurement], backit: Sequence[Measurement]
) -> None:
    """Print every figure; Backit's rates also as a share of the echo's and of the bare bot's."""
    print(f"\nTelegram updates, {USERS} people x {ROUNDS} updates each; database: {backend}")
    print(
        f"  {'scenario':<44}{'updates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'/ echo':>8}{'/ bare':>8}"
    )
    for item in (echo, *bare, *backit):
        line = (
            f"  {item.name:<44}{item.rate:>10.1f}{item.percentile_ms(50):>9.1f}"
            f"{item.percentile_ms(99):>9.1f}{item.rate / echo.rate:>8.2f}"
        )
        same = next((b for b in bare if b.name.split(": ")[1] == item.name.split(": ")[1]), None)
        if item in backit and same is not None:
            line += f"{item.rate / same.rate:>8.2f}"
        print(line)


async def test_updates_per_second_beside_a_bare_bot(backend: str, database: Database) -> None:
    """Echo, /discover and paging on a bare bot, then on Backit's bot without and with limits."""
    report(backend, *await measure_bots(await seed_demo_catalog(database)))


async def measure_bots(
    services: ChatServices,
) -> tuple[Measurement, list[Measurement], list[Measurement]]:
    """The bare bot's echo, its /discover and paging, then Backit's without and with limits."""
    pages = await backit_pages(services)
    async with BotApiStandin(BACKIT, BARE, webhook_timeout=2.0) as standin:
        bare_people = people(standin, BARE, 1_000)
        async with polling(bare_bot(standin, pages)):
            echo = await drive(
                standin,
                bare_people,
                Scenario(
                    "bare bot: echo",
                    say_hello,
                    "sent",
                    lambda event: (
                        event.message is not None and event.message["text"].startswith("hello ")
                    ),
                ),
            )
            bare = [
                await drive(standin, bare_people, scenario)
                for scenario in scenarios(standin, "bare bot, Backit's replies")
            ]
        backers = people(standin, BACKIT, 2_000)
        backit = []
        for rate_limited, who in ((False, "Backit, no rate limiter"), (True, "Backit as deployed")):
            async with backit_bot(standin, services, rate_limited=rate_limited):
                backit += [await drive(standin, backers, s) for s in scenarios(standin, who)]
    return echo, bare, backit
