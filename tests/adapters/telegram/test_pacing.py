"""The bot's pacing: a refused answer waits and tries again while the waits stay short."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import RetryAfter

from adapters.telegram.pacing import PATIENCE, TELEGRAM_LIMITS, Answer, ChatPacing
from core.rate_limits import RateLimiter
from tests.adapters.telegram.test_notices import FakeTime


@pytest.fixture(autouse=True)
def timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-telegram-bot warns on reading a RetryAfter's period unless told to use timedelta."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


class Refused:
    """A request that Telegram refuses with each of these retry_afters in turn, then takes."""

    def __init__(self, *retry_after: int) -> None:
        self._refusals = list(retry_after)
        self.calls = 0

    async def __call__(self) -> Answer:
        self.calls += 1
        if self._refusals:
            raise RetryAfter(timedelta(seconds=self._refusals.pop(0)))
        return True


@pytest.fixture
def time() -> FakeTime:
    """The limiter's and the pacing's time: waiting moves it on at once."""
    return FakeTime()


@pytest.fixture
def pacing(time: FakeTime) -> ChatPacing:
    """The bot's pacing on a limiter of its own."""
    limiter = RateLimiter(TELEGRAM_LIMITS, clock=time.clock, sleep=time.sleep)
    return ChatPacing(limiter, sleep=time.sleep)


async def answer(pacing: ChatPacing, request: Refused) -> Answer:
    """The request made as the bot answers someone in a private chat."""
    return await pacing.process_request(request, (), {}, "sendMessage", {"chat_id": 42}, None)


async def test_an_answer_refused_for_a_few_seconds_at_a_time_waits_and_is_sent(
    pacing: ChatPacing, time: FakeTime
) -> None:
    # More refusals than the two retries that used to end in an apology.
    request = Refused(3, 5, 2, 4, 1)

    assert await answer(pacing, request) is True
    assert request.calls == 6
    assert time.slept == [3, 5, 2, 4, 1]


async def test_an_answer_is_given_up_once_its_waits_would_pass_its_patience(
    pacing: ChatPacing, time: FakeTime
) -> None:
    request = Refused(*[10] * 10)

    with pytest.raises(RetryAfter):
        await answer(pacing, request)
    # Six waits of 10 s make the minute; a seventh would pass it.
    assert PATIENCE == 60.0
    assert time.slept == [10] * 6
    assert request.calls == 7


async def test_a_flood_wait_longer_than_the_patience_is_not_waited_at_all(
    pacing: ChatPacing, time: FakeTime
) -> None:
    request = Refused(3_600)

    with pytest.raises(RetryAfter):
        await answer(pacing, request)
    assert time.slept == []
    assert request.calls == 1


async def test_refusals_asking_no_wait_still_end(pacing: ChatPacing, time: FakeTime) -> None:
    request = Refused(*[0] * 100)

    with pytest.raises(RetryAfter):
        await answer(pacing, request)
    # Each counts as the second Telegram counts in: a minute of them, then the refusal.
    assert time.slept == [1.0] * 60
    assert request.calls == 61
