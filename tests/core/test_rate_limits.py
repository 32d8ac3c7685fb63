"""The rate limiter: overall spacing, per-chat windows and pauses, in virtual time."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from core.rate_limits import Rate, RateLimiter, SendLimits

# Telegram's documented limits: 30 messages a second, 1 a second per chat, 20 a minute per group.
LIMITS = SendLimits(overall=Rate(30, 1.0), private_chat=Rate(1, 1.0), group=Rate(20, 60.0))
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
    """A limiter in virtual time, and the moment of every send it allowed."""

    def __init__(self, limits: SendLimits = LIMITS) -> None:
        self.time = VirtualTime()
        self.limiter = RateLimiter(limits, clock=self.time.clock, sleep=self.time.sleep)
        self.log: list[tuple[float, str]] = []

    async def to(self, chat: str, count: int = 1, *, private: bool = True) -> None:
        """Send `count` messages to one chat, one after the other."""
        for _ in range(count):
            async with self.limiter.turn(chat, private=private):
                self.log.append((self.time.now, chat))

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


async def test_chats_gone_quiet_are_forgotten_once_their_own_window_has_passed() -> None:
    sends = Sends(SendLimits(Rate(1_000, 1.0), Rate(1, 1.0), Rate(20, 60.0)))
    early = (sends.to(f"early {n}") for n in range(1_023))
    await sends.time.run(sends.to("makers", private=False), *early)
    sends.time.now += 2
    await sends.time.run(*(sends.to(f"late {n}") for n in range(1_024)))
    private, groups = sends.limiter._windows[True], sends.limiter._windows[False]
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
