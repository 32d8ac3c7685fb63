"""The launch spike: a minute of everything at once, against `backit run` as deployed.

`make bench` runs it. `backit run` serves from one child process with both bots, the web
server and the dispatcher in one event loop, as deployed: its Telegram bot polls the Bot API
stand-in, its Discord bot connects to the Discord stand-in, and both stand-ins run in this
process with Telegram's and Discord's limits enforced (30 messages/s per bot and 1/s per
private chat; 50 requests/s and 5 messages per channel per 5 s). Within the minute PEOPLE
people on Telegram and as many members on Discord arrive at a steady rate, each sending
/discover, pressing Next once and opening a campaign card from the list, reading each answer
for THINK_SECONDS before the next; signed Stripe webhooks, paid events for real pending
pledges, arrive at WEBHOOKS_PER_SECOND; and at the start a creator's update is queued for
FOLLOWERS followers on Telegram, for Backit's dispatcher to send within the limits.

A reply time runs from a person's request to the bot's answer as the stand-in sees it: on
Telegram to the message sent or the button press answered, on Discord to the interaction's
callback or, when the bot deferred it, to the edit that filled in the answer. One Telegram
bot may send 30 messages/s, and the minute asks for far more (two new messages per person, a
receipt per webhook, the update): Backit sends replies first and the rest in what they leave,
so the aim for the fan-out is that all the bot's messages together keep to at least 95 % of
that ceiling. CPU and peak resident memory are the Backit process's
own, read from /proc. It measures and says which of the launch's aims are met, then prints
the wrong or missing answers; it asserts only that every person got the right answers, that
every webhook was acknowledged with a 200 and paid its pledge once, and that Backit logged
no error.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.standins.discord import (
    ActionRefused,
    DiscordStandin,
    Interaction,
    Member,
    Message,
)
from adapters.standins.discord.events import StandinEvent
from adapters.standins.telegram import BotApiStandin, BotProfile, ChatEvent, ChatRef, TestUser
from adapters.storage import Database
from tests.benchmarks.at_scale import migrated_database
from tests.benchmarks.measurement import Measurement, ProcessUsage, collector_settled
from tests.benchmarks.test_discord_throughput import TOKEN as DISCORD_TOKEN
from tests.benchmarks.test_fanout_throughput import FIRST_ID as FIRST_FOLLOWER
from tests.benchmarks.test_fanout_throughput import TELEGRAM_PER_SECOND, queue_update
from tests.benchmarks.test_fanout_throughput import prepare as add_update_campaign
from tests.benchmarks.test_telegram_throughput import NEXT_PAGE, seed_demo_catalog
from tests.benchmarks.test_webhook_throughput import (
    SECRETS,
    Served,
    environment,
    paced,
    paid_exactly_once,
    pending_pledges,
    serving,
    signed_events,
)
from tests.benchmarks.test_webhook_throughput import prepare as add_pledge_campaign
from tests.bots.conftest import write_config

# People on each platform; lower it while developing, the launch's figure is 2,000.
PEOPLE = 2_000
FOLLOWERS = 10_000
WEBHOOKS_PER_SECOND = 50
RUN_SECONDS = 60
# A person reads each answer this long before the next tap; arrivals spread over the minute
# less the time the last person's three taps take.
THINK_SECONDS = 1.0
ARRIVAL_SECONDS = RUN_SECONDS - 4 * THINK_SECONDS
REPLY_TIMEOUT = 300.0
# Discord drops an interaction not answered within 3 s; past this, none is coming.
CALLBACK_TIMEOUT = 10.0
DISCORD_ROOMS = 40
TELEGRAM = BotProfile("100000004:launch-spike", username="backit_spike_bot")
CREATOR_CHAT = 1_000
FIRST_PERSON = 2_000_000
# pending_pledges gives its backers these Telegram ids; their receipts go to these chats.
FIRST_BACKER = 10_000
SHOW_PREFIX = "s:"
# Callback types by which a bot says it will answer later: a "thinking…" message to fill
# in, or an edit of the pressed message to come.
DEFERRED = (5, 6)

AIM_REPLY_P99_MS = 1_000.0
AIM_WEBHOOK_P99_MS = 100.0
AIM_FANOUT_SHARE = 0.95
AIM_RSS_MB = 300.0


@dataclass(frozen=True)
class Figures:
    """What the minute measured."""

    seconds: float
    # The machine's 1-minute load average as the minute began: what else was running.
    load_before: float
    telegram: Measurement
    discord: Measurement
    webhooks: Measurement
    usage: ProcessUsage
    cpu_seconds: float
    # Backit's CPU seconds over the minute itself, while people still arrive.
    minute_cpu_seconds: float
    # This process's over the minute: the stand-ins and every person, on the same cores.
    harness_minute_cpu_seconds: float
    sends: Counter[str]
    fanout_delivered: int
    throttled: int
    discord_limited: int
    discord_deferred: int
    telegram_failures: list[str]
    discord_failures: list[str]


class TimedAnswers:
    """Waits for the bot's next change of a kind in a chat, timed when the stand-in saw it."""

    def __init__(self, standin: BotApiStandin) -> None:
        self._waiting: dict[tuple[ChatRef, str], asyncio.Future[tuple[float, ChatEvent]]] = {}
        self._unsubscribe = standin.subscribe(self._seen)

    async def after(
        self, chat: ChatRef, kind: str, act: Callable[[], Awaitable[object]]
    ) -> tuple[float, ChatEvent]:
        """Act, then wait for the answer; the seconds from acting to the answer, and it."""
        answer: asyncio.Future[tuple[float, ChatEvent]] = asyncio.get_running_loop().create_future()
        self._waiting[(chat, kind)] = answer
        started = time.perf_counter()
        await act()
        seen, event = await asyncio.wait_for(answer, REPLY_TIMEOUT)
        return seen - started, event

    def close(self) -> None:
        """Stop watching."""
        self._unsubscribe()

    def _seen(self, event: ChatEvent) -> None:
        key = (event.chat, event.kind)
        waiting = self._waiting.pop(key, None) if event.by_bot else None
        if waiting is not None and not waiting.done():
            waiting.set_result((time.perf_counter(), event))


def _listing(standin: BotApiStandin, chat: ChatRef) -> dict[str, Any]:
    return next(m for m in reversed(standin.messages(chat)) if "reply_markup" in m)


def _show_button(markup: Sequence[Sequence[dict[str, Any]]]) -> str:
    return next(
        str(button["callback_data"])
        for row in markup
        for button in row
        if str(button.get("callback_data", "")).startswith(SHOW_PREFIX)
    )


async def telegram_person(
    standin: BotApiStandin, answers: TimedAnswers, user: TestUser, chat: ChatRef, times: list[float]
) -> None:
    """/discover, Next, then a campaign's card; each answer's time, each answer checked."""
    took, event = await answers.after(chat, "sent", lambda: user.send(chat, "/discover"))
    assert event.message is not None
    assert event.message["text"].startswith("Trending\n\n1. "), event.message["text"]
    times.append(took)
    await asyncio.sleep(THINK_SECONDS)
    listing = _listing(standin, chat)
    took, event = await answers.after(
        chat, "callback_answered", lambda: user.press(listing, NEXT_PAGE)
    )
    times.append(took)
    await asyncio.sleep(THINK_SECONDS)
    listing = _listing(standin, chat)
    show = _show_button(listing["reply_markup"]["inline_keyboard"])
    took, event = await answers.after(chat, "sent", lambda: user.press(listing, show))
    assert event.message is not None
    # A card with a picture has its text as the photo's caption.
    card = event.message.get("text", event.message.get("caption", ""))
    assert card, "a card"
    assert not card.startswith("Trending"), "a card, not a list"
    times.append(took)


def _custom_id(message: Message, wanted: Callable[[dict[str, Any]], bool]) -> str:
    found = [str(c["custom_id"]) for c in message.interactive() if wanted(c)]
    assert found, f"no such control on {message.interactive()}"
    return found[0]


class DiscordAnswers:
    """Times the bot's answers as the Discord stand-in sees them: its callback, or, when it
    deferred (a "thinking…" first), the edit that filled in the answer."""

    def __init__(self, standin: DiscordStandin) -> None:
        self.deferred = 0
        self._answered: dict[int, float] = {}
        self._edited: dict[int, float] = {}
        self._waiting: dict[int, asyncio.Future[float]] = {}
        self._unsubscribe = standin.subscribe(self._seen)

    async def after(self, act: Callable[[], Awaitable[Interaction]]) -> tuple[float, Interaction]:
        """Act, then wait for the answer; the seconds from acting to the answer, and what it
        answered."""
        started = time.perf_counter()
        interaction = await act()
        await interaction.response(within=CALLBACK_TIMEOUT)
        assert interaction.callback is not None
        answered = self._answered.pop(interaction.id)
        if interaction.callback["type"] in DEFERRED:
            self.deferred += 1
            # A "thinking…" message is filled in; a deferred update edits the pressed message.
            thinking = interaction.callback["type"] == DEFERRED[0]
            target = interaction.original if thinking else interaction.source
            assert target is not None
            if self._edited.get(target.id, 0.0) > answered:
                answered = self._edited[target.id]
            else:
                edit: asyncio.Future[float] = asyncio.get_running_loop().create_future()
                self._waiting[target.id] = edit
                answered = await asyncio.wait_for(edit, REPLY_TIMEOUT)
        return answered - started, interaction

    def close(self) -> None:
        """Stop watching."""
        self._unsubscribe()

    def _seen(self, event: StandinEvent) -> None:
        now = time.perf_counter()
        if event.kind == "interaction_answered" and event.interaction is not None:
            self._answered[int(event.interaction["id"])] = now
        elif event.kind == "message_edited" and event.message is not None:
            message_id = int(event.message["id"])
            self._edited[message_id] = now
            waiting = self._waiting.pop(message_id, None)
            if waiting is not None and not waiting.done():
                waiting.set_result(now)


async def discord_member(answers: DiscordAnswers, member: Member, times: list[float]) -> None:
    """/discover, Next, then a campaign's card; each answer's time, each answer checked."""
    took, listing = await answers.after(lambda: member.slash("discover"))
    times.append(took)
    assert listing.original is not None
    shown = listing.original
    await asyncio.sleep(THINK_SECONDS)
    turn = _custom_id(shown, lambda c: "Next" in c.get("label", ""))
    took, _ = await answers.after(lambda: member.press(shown, turn))
    times.append(took)
    await asyncio.sleep(THINK_SECONDS)
    show = _custom_id(shown, lambda c: str(c.get("custom_id", "")).startswith(SHOW_PREFIX))
    took, card = await answers.after(lambda: member.press(shown, show))
    assert card.messages(), "a card"
    times.append(took)


async def usage_at(moment: float, *pids: int) -> list[ProcessUsage]:
    """What each process had used once the loop's clock reaches `moment`."""
    await asyncio.sleep(max(0.0, moment - asyncio.get_running_loop().time()))
    return [ProcessUsage.of(pid) for pid in pids]


async def at(moment: float, act: Callable[[], Awaitable[None]], failures: list[str]) -> None:
    """`act` once the loop's clock reaches `moment`; a wrong or missing answer is noted in
    `failures`, and that person goes no further."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, moment - loop.time()))
    try:
        await act()
    except (AssertionError, TimeoutError, ActionRefused) as failure:
        failures.append(f"{type(failure).__name__}: {failure}")


@pytest.fixture
async def bench_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the backend: the demo catalog, the pledges' campaign, the
    update's campaign."""
    async with migrated_database(backend, tmp_path) as url:
        await add_pledge_campaign(url)
        await add_update_campaign(url)
        async with Database.connect(url) as database:
            await seed_demo_catalog(database)
        yield url


def _telegram(webhooks: int) -> tuple[BotApiStandin, list[tuple[TestUser, ChatRef]]]:
    """The Bot API stand-in with every chat the minute sends to, limits enforced; and the
    people who use the bot, each in their chat with it."""
    standin = BotApiStandin(TELEGRAM)
    others = [(FIRST_BACKER, webhooks), (FIRST_FOLLOWER, FOLLOWERS)]
    for user_id in [CREATOR_CHAT, *(f + n for f, count in others for n in range(count))]:
        standin.private_chat(standin.user(user_id, f"Person {user_id}"), TELEGRAM)
    people = []
    for number in range(PEOPLE):
        user = standin.user(FIRST_PERSON + number, f"Person {number}")
        people.append((user, standin.private_chat(user, TELEGRAM)))
    standin.enforce_rate_limits(True)
    return standin, people


def _kind_of_chat(chat_id: int, webhooks: int) -> str:
    if FIRST_PERSON <= chat_id < FIRST_PERSON + PEOPLE:
        return "replies"
    if FIRST_BACKER <= chat_id < FIRST_BACKER + webhooks:
        return "receipts"
    if FIRST_FOLLOWER <= chat_id < FIRST_FOLLOWER + FOLLOWERS:
        return "update"
    return "creator's report"


async def the_minute(
    url: str,
    telegram: BotApiStandin,
    people: Sequence[tuple[TestUser, ChatRef]],
    discord: DiscordStandin,
    server: Served,
) -> Figures:
    """Everyone arrives over the minute, webhooks arrive, the update goes out; until every
    person has had their answers and every webhook its acknowledgement."""
    count = WEBHOOKS_PER_SECOND * RUN_SECONDS
    events = signed_events(await pending_pledges(url, count))
    guild = discord.guild("Launch", channels=[f"room-{n}" for n in range(DISCORD_ROOMS)])
    rooms = list(guild.channels.values())
    members = [discord.member(guild, discord.user(f"member-{n}")) for n in range(PEOPLE)]
    for number, member in enumerate(members):
        member.channel = rooms[number % DISCORD_ROOMS]
    answers = TimedAnswers(telegram)
    discord_answers = DiscordAnswers(discord)
    loop = asyncio.get_running_loop()
    with collector_settled():
        before = ProcessUsage.of(server.pid)
        harness_before = ProcessUsage.of(os.getpid())
        load_before = os.getloadavg()[0]
        started, first_sent = loop.time(), time.monotonic()
        step = ARRIVAL_SECONDS / PEOPLE
        hook_url = f"http://127.0.0.1:{server.port}/stripe/webhook"
        on_telegram: list[float] = []
        on_discord: list[float] = []
        telegram_failures: list[str] = []
        discord_failures: list[str] = []
        try:
            async with (
                aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http,
                asyncio.TaskGroup() as minute,
            ):
                minute.create_task(queue_update(url, FOLLOWERS))
                in_the_minute = minute.create_task(
                    usage_at(started + RUN_SECONDS, server.pid, os.getpid())
                )
                webhooks = minute.create_task(paced(http, hook_url, events, WEBHOOKS_PER_SECOND))
                for n, (user, chat) in enumerate(people):
                    act = partial(telegram_person, telegram, answers, user, chat, on_telegram)
                    minute.create_task(at(started + n * step, act, telegram_failures))
                for n, member in enumerate(members):
                    act = partial(discord_member, discord_answers, member, on_discord)
                    minute.create_task(at(started + (n + 0.5) * step, act, discord_failures))
        finally:
            answers.close()
            discord_answers.close()
    seconds = loop.time() - started
    usage = ProcessUsage.of(server.pid)
    during = [r for r in telegram.send_log if r.at >= first_sent]
    sends = Counter(_kind_of_chat(r.chat_id, count) for r in during)
    await paid_exactly_once(url, count)
    return Figures(
        seconds=seconds,
        load_before=load_before,
        telegram=Measurement(seconds, on_telegram),
        discord=Measurement(seconds, on_discord),
        telegram_failures=telegram_failures,
        discord_failures=discord_failures,
        webhooks=webhooks.result(),
        usage=usage,
        cpu_seconds=usage.cpu_seconds - before.cpu_seconds,
        minute_cpu_seconds=in_the_minute.result()[0].cpu_seconds - before.cpu_seconds,
        harness_minute_cpu_seconds=(
            in_the_minute.result()[1].cpu_seconds - harness_before.cpu_seconds
        ),
        sends=sends,
        fanout_delivered=sends["update"],
        throttled=telegram.throttled_count,
        discord_limited=discord.rate_limits.limited,
        discord_deferred=discord_answers.deferred,
    )


def _aim(met: bool) -> str:
    return "met" if met else "NOT met"


def _replies(label: str, run: Measurement) -> str:
    p99 = run.percentile_ms(99)
    return (
        f"  {label:<10}{len(run.latencies):>6,} answers   p50 {run.percentile_ms(50):7.1f} ms"
        f"   p95 {run.percentile_ms(95):7.1f} ms   p99 {p99:7.1f} ms"
        f"   aim p99 < {AIM_REPLY_P99_MS:,.0f} ms: {_aim(p99 < AIM_REPLY_P99_MS)}"
    )


def report(backend: str, figures: Figures, errors: Sequence[str]) -> None:
    """Print every figure beside its aim, and what went wrong."""
    seconds = figures.seconds
    ceiling = TELEGRAM_PER_SECOND * seconds
    sent_in_all = sum(figures.sends.values())
    share = sent_in_all / ceiling
    # Two new messages per person (the list, the card; Next edits), a receipt per webhook and
    # the update: more than Telegram lets one bot send in the minute.
    asked = 2 * PEOPLE + WEBHOOKS_PER_SECOND * RUN_SECONDS + FOLLOWERS
    hook_p99 = figures.webhooks.percentile_ms(99)
    refused = figures.throttled + figures.discord_limited
    rss_mb = figures.usage.peak_rss_kb / 1024
    sent = ", ".join(f"{count:,} {kind}" for kind, count in sorted(figures.sends.items()))
    print(
        f"\n\nThe launch spike, {backend}: {PEOPLE:,} people on Telegram and {PEOPLE:,} members "
        f"on Discord arriving over {ARRIVAL_SECONDS:.0f} s (/discover, Next, a card; "
        f"{THINK_SECONDS:.0f} s between taps), {WEBHOOKS_PER_SECOND} signed webhooks/s for "
        f"{RUN_SECONDS} s, an update to {FOLLOWERS:,} Telegram followers; one `backit run`\n"
        f"  the run took {seconds:.1f} s\n"
        f"{_replies('Telegram', figures.telegram)}\n"
        f"{_replies('Discord', figures.discord)}\n"
        f"            {figures.discord_deferred:,} of them deferred first (timed to the answer)\n"
        f"  webhooks  {len(figures.webhooks.latencies):>6,} acknowledged with 200"
        f"   p50 {figures.webhooks.percentile_ms(50):7.1f} ms   p99 {hook_p99:7.1f} ms"
        f"   aim p99 < {AIM_WEBHOOK_P99_MS:.0f} ms: {_aim(hook_p99 < AIM_WEBHOOK_P99_MS)}\n"
        f"  Telegram messages sent during the run: {sent}\n"
        f"  Telegram  {sent_in_all:,} messages sent, {share:.1%} of the bot's ceiling "
        f"({TELEGRAM_PER_SECOND}/s x {seconds:.1f} s = {ceiling:,.0f}), the update's "
        f"{figures.fanout_delivered:,} of {FOLLOWERS:,} in what replies left"
        f"   aim >= {AIM_FANOUT_SHARE:.0%}: {_aim(share >= AIM_FANOUT_SHARE)}\n"
        f"            the minute asks for about {asked:,} messages, "
        f"{asked / TELEGRAM_PER_SECOND:,.0f} s of the ceiling: replies come first, and "
        f"wait for each other once they alone ask for more than {TELEGRAM_PER_SECOND}/s\n"
        f"  429s      {figures.throttled} from Telegram, {figures.discord_limited} from Discord"
        f"   aim 0: {_aim(refused == 0)}\n"
        f"  backit    {figures.cpu_seconds:.1f} CPU s during the run "
        f"({figures.cpu_seconds / seconds:.0%} of a core; {figures.minute_cpu_seconds:.1f} s "
        f"in the first {RUN_SECONDS} s, {figures.minute_cpu_seconds / RUN_SECONDS:.0%}), "
        f"peak RSS {rss_mb:.0f} MB"
        f"   aim < {AIM_RSS_MB:.0f} MB: {_aim(rss_mb < AIM_RSS_MB)}\n"
        f"  harness   {figures.harness_minute_cpu_seconds:.1f} CPU s in the first {RUN_SECONDS} s "
        f"({figures.harness_minute_cpu_seconds / RUN_SECONDS:.0%} of a core): both stand-ins "
        "and every person, in this one process\n"
        f"  wrong or missing answers: {len(figures.telegram_failures)} on Telegram, "
        f"{len(figures.discord_failures)} on Discord; {len(errors)} errors in backit's log\n"
        f"({os.cpu_count()} CPUs, load average {figures.load_before:.1f} as the minute began; "
        "backit, both stand-ins, every person and the database share them)"
    )
    for failure in [*figures.telegram_failures[:3], *figures.discord_failures[:3], *errors[:3]]:
        print(f"  e.g. {failure[:300]}")


async def test_launch_spike(backend: str, bench_database: str, tmp_path: Path) -> None:
    webhooks = WEBHOOKS_PER_SECOND * RUN_SECONDS
    telegram, people = _telegram(webhooks)
    discord = DiscordStandin(token=DISCORD_TOKEN)
    discord.rate_limits.enable()
    await telegram.start()
    await discord.start()
    try:
        config = write_config(
            tmp_path,
            **{"port = 8080": "port = 0", 'api_base = ""': 'api_base = "http://127.0.0.1:9"'},
        )
        database = {"DATABASE_URL": bench_database} if backend != "sqlite" else {}
        env = environment(
            **SECRETS,
            **database,
            TELEGRAM_BOT_TOKEN=TELEGRAM.token,
            BACKIT_TELEGRAM__BASE_URL=telegram.base_url,
            DISCORD_BOT_TOKEN=DISCORD_TOKEN,
            BACKIT_DISCORD__API_BASE=discord.api_base,
            BACKIT_DISCORD__GATEWAY_URL=discord.gateway_url,
        )
        log = tmp_path / "backit.log"
        argv = ["-m", "bots", "--config", str(config), "run"]
        async with serving(argv, env, log) as backit:
            figures = await the_minute(bench_database, telegram, people, discord, backit)
    finally:
        await discord.stop()
        await telegram.stop()
    errors = [line for line in log.read_text().splitlines() if " ERROR " in line]
    report(backend, figures, errors)
    assert figures.telegram_failures == []
    assert figures.discord_failures == []
    assert errors == [], f"backit logged errors; see {log}"
