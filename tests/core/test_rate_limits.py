"""The rate limiter: overall spacing, per-chat windows, pauses and answers ahead of notices,
in virtual time."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from core.rate_limits import Rate, RateLimiter, SendLimits

# Telegram's documented limits: 30 messages a second, 1 a second per chat, 20 a minute per group.
LIMITS = SendLimits(overall=Rate(30, 1.0), private_chat=Rate(1, 1.0), group=Rate(20, 60.0))
# The bot's connections: as many as the chats it serves at once.
ANSWER_CONNECTIONS = 32
SPACING = LIMITS.overall.spacing
# Turns of the event loop with nothing new that mean every sender is waiting.
_QUIET_TURNS = 5


class VirtualTime:
    """A clock and a sleep for the limiter: time jumps to the next wake-up once every sender
    waits, so minutes of sending take milliseconds."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._made = 0

    def clock(self) -> float:
        """The virtual time, in seconds."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait until virtual time has moved on by `seconds`."""
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, self._made, woken))
        self._made += 1
        await woken

    async def run(self, *senders: Coroutine[Any, Any, None]) -> None:
        """Run senders to their end, moving time on whenever all of them are asleep."""
        tasks = [asyncio.create_task(sender) for sender in senders]
        async with asyncio.timeout(5):
            while not all(task.done() for task in tasks):
                if await self._settled(tasks) and self._timers:
                    at, _, woken = heapq.heappop(self._timers)
                    self.now = max(self.now, at)
                    if not woken.cancelled():  # Its sleeper was cancelled meanwhile.
                        woken.set_result(None)
        await asyncio.gather(*tasks)

    async def _settled(self, tasks: list[asyncio.Task[None]]) -> bool:
        """Whether every sender is waiting (on a timer, or on one another): a few turns of
        the event loop then change nothing."""
        before = (self._made, sum(task.done() for task in tasks))
        for _ in range(_QUIET_TURNS):
            await asyncio.sleep(0)
            if (self._made, sum(task.done() for task in tasks)) != before:
                return False
        return True


class Sends:
    """A limiter in virtual time, another sharing its budget as the bot's answers do, and the
    moment of every send they allowed."""

    def __init__(self, limits: SendLimits = LIMITS, connections: int = 8) -> None:
        self.time = VirtualTime()
        self.limiter = RateLimiter(limits, connections, self.time.clock, self.time.sleep)
        self.answers = self.limiter.sharing(ANSWER_CONNECTIONS)
        self.log: list[tuple[float, str]] = []
        self.asked: dict[str, float] = {}

    async def to(
        self, chat: str, count: int = 1, *, private: bool = True, urgent: bool = False
    ) -> None:
        """Send `count` messages to one chat, one after the other; urgent ones are answers."""
        limiter = self.answers if urgent else self.limiter
        for _ in range(count):
            async with limiter.turn(chat, private=private, urgent=urgent):
                self.log.append((self.time.now, chat))

    async def answer(self, chat: str, at: float, *, private: bool = True) -> None:
        """An answer to `chat`, asked for at `at`."""
        await self.time.sleep(at - self.time.now)
        self.asked[chat] = self.time.now
        await self.to(chat, private=private, urgent=True)

    def times(self, chat: str | None = None) -> list[float]:
        """When messages went out, to one chat or to any."""
        return [at for at, to in self.log if chat is None or to == chat]


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The most sends found in any closed window of `seconds`."""
    return max(sum(1 for other in times if at <= other <= at + seconds) for at in times)


async def test_overall_spacing_never_lets_more_than_the_limit_into_any_second() -> None:
    sends = Sends()
    await sends.time.run(*(sends.to(f"chat {n}") for n in range(100)))
    times = sends.times()
    assert len(times) == 100
    assert most_in_any_window(times, 1.0) == 30
    # Spaced evenly, not in bursts: the limit is used, and never more.
    assert max(times) == pytest.approx(99 * LIMITS.overall.spacing)


async def test_a_private_chat_gets_at_most_one_message_a_second() -> None:
    sends = Sends()
    await sends.time.run(sends.to("1", 5), *(sends.to(f"other {n}", 2) for n in range(10)))
    mine = sends.times("1")
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(mine))
    assert mine[-1] == pytest.approx(4 * LIMITS.private_chat.spacing)


async def test_a_group_gets_at_most_twenty_a_minute_while_other_chats_carry_on() -> None:
    sends = Sends()
    await sends.time.run(
        sends.to("-100", 25, private=False), *(sends.to(str(n), 3) for n in range(20))
    )
    group = sends.times("-100")
    assert most_in_any_window(group, 60.0) == 20
    assert group[20] - group[0] >= 60.0
    # Everyone else was done long before the group could send its 21st message.
    others = [at for at, chat in sends.log if chat != "-100"]
    assert len(others) == 60
    assert max(others) < 5.0 < 60.0 <= group[20]


async def test_a_pause_holds_every_chat_then_sending_resumes_evenly_spaced() -> None:
    sends = Sends()

    async def told_to_wait() -> None:
        await sends.time.sleep(0.5)
        sends.limiter.pause(5.0)

    await sends.time.run(told_to_wait(), *(sends.to(f"chat {n}", 3) for n in range(3)))
    before = [at for at in sends.times() if at < 0.5]
    after = [at for at in sends.times() if at >= 0.5]
    assert len(before) == 3
    assert len(after) == 6
    assert min(after) >= 5.5
    spacing = LIMITS.overall.spacing
    assert all(later - earlier >= spacing * 0.999 for earlier, later in itertools.pairwise(after))


async def test_slots_nobody_waited_for_are_not_made_up_later() -> None:
    sends = Sends()

    async def after_a_quiet_while() -> None:
        await sends.time.sleep(10.0)
        await asyncio.gather(*(sends.to(f"late {n}") for n in range(20)))

    await sends.time.run(sends.to("early"), after_a_quiet_while())
    late = sends.times()[1:]
    assert late == pytest.approx([10.0 + n * SPACING for n in range(20)])


async def test_a_request_slow_to_come_back_counts_in_the_windows_until_it_does() -> None:
    sends = Sends()

    async def slow() -> None:
        async with sends.limiter.turn("slow"):
            # Telegram may count the message at any moment until its answer comes back.
            await sends.time.sleep(0.5)

    await sends.time.run(slow(), sends.to("slow"), *(sends.to(f"quick {n}") for n in range(30)))
    quick = [at for at, chat in sends.log if chat != "slow"]
    assert quick[:29] == pytest.approx([n * SPACING for n in range(1, 30)])
    # The limit's 31st message waited a window from when the slow one came back, not left;
    # so did the chat's next one.
    assert quick[29] == pytest.approx(0.5 + 30 * SPACING)
    assert sends.times("slow")[0] >= 0.5 + LIMITS.private_chat.spacing


async def test_chats_gone_quiet_are_forgotten_once_their_own_window_has_passed() -> None:
    sends = Sends(SendLimits(Rate(1_000, 1.0), Rate(1, 1.0), Rate(20, 60.0)))
    early = (sends.to(f"early {n}") for n in range(1_023))
    await sends.time.run(sends.to("makers", private=False), *early)
    sends.time.now += 2
    await sends.time.run(*(sends.to(f"late {n}") for n in range(1_024)))
    private, groups = sends.limiter._budget.windows[True], sends.limiter._budget.windows[False]
    # A private chat's window is a second long; a group's, a minute.
    assert private
    assert all(chat.startswith("late") for chat in private)
    assert list(groups) == ["makers"]


def test_a_rate_needs_a_send_and_some_time() -> None:
    for count, seconds in ((0, 1.0), (1, 0.0)):
        with pytest.raises(ValueError, match="at least one send"):
            Rate(count, seconds)


async def test_a_chat_waiting_for_its_turn_holds_no_connection() -> None:
    time = VirtualTime()
    limiter = RateLimiter(LIMITS, connections=1, clock=time.clock, sleep=time.sleep)
    sent: list[tuple[float, str]] = []
    under_way = 0
    most_under_way = 0

    async def send(chat: str) -> None:
        nonlocal under_way, most_under_way
        async with limiter.turn(chat):
            under_way += 1
            most_under_way = max(most_under_way, under_way)
            await time.sleep(0.01)  # the request itself
            under_way -= 1
            sent.append((time.now, chat))

    async def twice(chat: str) -> None:
        await send(chat)
        await send(chat)

    await time.run(twice("ada"), send("bob"), send("cy"))

    assert most_under_way == 1
    # Ada's second message waits a second for her chat; Bob and Cy go meanwhile.
    assert [chat for _, chat in sent] == ["ada", "bob", "cy", "ada"]


async def test_answers_take_the_next_slots_ahead_of_notices_waiting_for_them() -> None:
    sends = Sends()
    await sends.time.run(
        *(sends.answer(f"answer {n}", at=0.1) for n in range(3)),
        *(sends.to(f"notice {n}") for n in range(20)),
    )
    after = [chat for at, chat in sends.log if at >= 0.1]
    assert after[:4] == ["answer 0", "answer 1", "answer 2", "notice 3"]
    # The slot due at 0.102 went to the first answer, though notices had waited since 0.
    assert sends.times("answer 0") == [pytest.approx(3 * SPACING)]
    assert sends.times("answer 2") == [pytest.approx(5 * SPACING)]
    # Evenly spaced all along: no slot went unused, none was added.
    assert sends.times() == pytest.approx([n * SPACING for n in range(23)])


async def test_notices_take_every_slot_that_answers_leave() -> None:
    sends = Sends()
    asked = [0.25 * n + 0.01 for n in range(12)]
    await sends.time.run(
        *(sends.answer(f"answer {n}", at) for n, at in enumerate(asked)),
        *(sends.to(f"notice {n}") for n in range(100)),
    )
    times = sends.times()
    assert len(times) == 112
    # The fan-out keeps its ceiling: the limit used all along, and never more.
    assert most_in_any_window(times, 1.0) == 30
    assert max(times) == pytest.approx(111 * SPACING)
    for chat, at in sends.asked.items():
        [sent] = sends.times(chat)
        # The first slot after the question.
        assert at <= sent < at + SPACING


async def test_chat_windows_count_answers_and_notices_alike() -> None:
    sends = Sends()
    await sends.time.run(
        sends.to("-100", 15, private=False),
        *(sends.answer("-100", 0.2 * n, private=False) for n in range(10)),
        sends.to("1", 3),
        *(sends.answer("1", 0.1 * n) for n in range(3)),
    )
    group = sends.times("-100")
    assert len(group) == 25
    assert most_in_any_window(group, 60.0) == 20
    assert group[20] - group[0] >= 60.0
    private = sends.times("1")
    assert len(private) == 6
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(private))


async def test_a_pause_holds_answers_as_well_as_notices() -> None:
    sends = Sends()

    async def told_to_wait() -> None:
        await sends.time.sleep(0.5)
        sends.limiter.pause(5.0)

    await sends.time.run(
        told_to_wait(),
        sends.answer("answer", at=1.0),
        *(sends.to(f"notice {n}") for n in range(30)),
    )
    assert not [at for at in sends.times() if 0.5 <= at < 5.5]
    # Once the pause is over, the answer that waited through it goes first.
    after = [chat for at, chat in sends.log if at >= 5.5]
    assert after[0] == "answer"
    assert sends.times("answer") == [pytest.approx(5.5)]


async def test_a_sharing_limiter_sends_on_connections_of_its_own() -> None:
    sends = Sends(connections=1)

    async def slow_notice() -> None:
        async with sends.limiter.turn("notice"):
            await sends.time.sleep(2.0)  # a request Telegram is slow to answer
            sends.log.append((sends.time.now, "notice"))

    await sends.time.run(slow_notice(), sends.to("other notice"), sends.answer("answer", 0.5))
    # The answer went while the notice held the only connection of its sender.
    assert sends.log == [(0.5, "answer"), (2.0, "notice"), (pytest.approx(2.0), "other notice")]


async def test_an_answer_given_up_first_in_line_hands_its_place_on() -> None:
    sends = Sends()

    async def given_up() -> None:
        await sends.time.sleep(0.005)
        impatient = asyncio.create_task(sends.to("impatient", urgent=True))
        await sends.time.sleep(0.005)
        impatient.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await impatient

    await sends.time.run(
        given_up(), sends.answer("answer", at=0.007), *(sends.to(f"notice {n}") for n in range(9))
    )
    # The answer waited behind the impatient one, and took the slot it left.
    sent = [chat for _, chat in sends.log]
    assert sent == ["notice 0", "answer", *(f"notice {n}" for n in range(1, 9))]
    assert sends.times() == pytest.approx([n * SPACING for n in range(10)])


async def test_a_late_wake_up_is_made_up_without_passing_the_limit() -> None:
    sends = Sends()

    async def busy_loop() -> None:
        await sends.time.sleep(0.5)
        # The event loop was busy: every slot due meanwhile wakes its sender late.
        sends.time.now += 0.3

    await sends.time.run(busy_loop(), *(sends.to(f"notice {n}") for n in range(100)))
    times = sends.times()
    assert len([at for at in times if at == pytest.approx(0.8)]) > 1
    assert most_in_any_window(times, 1.0) == 30
    # Paced from when each slot was due, the stall cost the fan-out nothing.
    assert max(times) == pytest.approx(99 * SPACING)
