"""A token bucket per client: a burst, a steady refill, and a bounded memory."""

from __future__ import annotations

from adapters.web.throttle import ClientThrottle
from core.rate_limits import Rate


class Ticks:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_one_more_per_refill() -> None:
    ticks = Ticks()
    throttle = ClientThrottle(Rate(3, 60.0), clock=ticks)

    burst = [throttle.allow("a") for _ in range(4)]
    ticks.now = 19.0
    early = throttle.allow("a")
    ticks.now = 25.0
    refilled = [throttle.allow("a"), throttle.allow("a")]
    ticks.now = 10_000.0
    rested = [throttle.allow("a") for _ in range(4)]

    assert burst == [True, True, True, False]
    assert early is False
    assert refilled == [True, False]
    assert rested == [True, True, True, False]


def test_clients_have_buckets_of_their_own() -> None:
    throttle = ClientThrottle(Rate(1, 60.0), clock=Ticks())

    assert [throttle.allow("a"), throttle.allow("b"), throttle.allow("a")] == [True, True, False]


def test_memory_holds_at_most_the_most_recent_clients() -> None:
    throttle = ClientThrottle(Rate(1, 60.0), max_clients=100, clock=Ticks())
    throttle.allow("first")
    assert throttle.allow("first") is False

    for number in range(1_000):
        throttle.allow(f"10.0.{number // 256}.{number % 256}")

    assert len(throttle) == 100
    # Forgotten, and so forgiven: it starts again with a full bucket.
    assert throttle.allow("first") is True
