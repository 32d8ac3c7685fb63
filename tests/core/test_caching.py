"""A versioned cache: a value is given out only at the version it was read at, one read serves
everyone asking at once, and it holds a bounded number of values."""

from __future__ import annotations

import asyncio

import pytest

from core.caching import VersionedCache


class Reader:
    """Reads that count themselves, answering what they are told to."""

    def __init__(self, answer: str = "page") -> None:
        self.answer = answer
        self.reads = 0
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self) -> str:
        self.reads += 1
        await self.release.wait()
        return f"{self.answer} {self.reads}"


async def test_a_value_is_read_again_only_when_its_version_moves() -> None:
    cache: VersionedCache[str, str] = VersionedCache(10)
    read = Reader()

    first = [await cache.fetch("discover", 1, read) for _ in range(3)]
    moved = await cache.fetch("discover", 2, read)

    assert first == ["page 1"] * 3
    assert moved == "page 2"
    assert read.reads == 2


async def test_a_value_read_at_an_older_version_does_not_replace_a_newer_one() -> None:
    cache: VersionedCache[str, str] = VersionedCache(10)
    slow = Reader("old")
    slow.release.clear()
    late = asyncio.create_task(cache.fetch("discover", 1, slow))
    await asyncio.sleep(0)
    assert await cache.fetch("discover", 2, Reader("new")) == "new 1"
    slow.release.set()
    assert await late == "old 1"

    assert await cache.fetch("discover", 2, Reader("again")) == "new 1"


async def test_everyone_asking_at_once_shares_one_read() -> None:
    cache: VersionedCache[str, str] = VersionedCache(10)
    read = Reader()
    read.release.clear()
    asking = [asyncio.create_task(cache.fetch("discover", 1, read)) for _ in range(50)]
    await asyncio.sleep(0)
    read.release.set()

    assert await asyncio.gather(*asking) == ["page 1"] * 50
    assert read.reads == 1


async def test_when_the_shared_read_fails_each_waiter_reads_for_itself() -> None:
    cache: VersionedCache[str, str] = VersionedCache(10)
    gate = asyncio.Event()

    async def failing() -> str:
        await gate.wait()
        raise ConnectionError("database restarting")

    first = asyncio.create_task(cache.fetch("discover", 1, failing))
    await asyncio.sleep(0)
    second = asyncio.create_task(cache.fetch("discover", 1, Reader()))
    await asyncio.sleep(0)
    gate.set()

    with pytest.raises(ConnectionError):
        await first
    assert await second == "page 1"


async def test_the_least_recently_used_value_goes_first_past_the_size() -> None:
    cache: VersionedCache[str, str] = VersionedCache(2)
    read = Reader()
    await cache.fetch("a", 1, read)
    await cache.fetch("b", 1, read)
    await cache.fetch("a", 1, read)  # "a" used again: "b" is now the oldest
    await cache.fetch("c", 1, read)

    assert len(cache) == 2
    assert await cache.fetch("a", 1, read) == "page 1"
    assert await cache.fetch("b", 1, read) == "page 4"
