"""Reads kept in memory while what they show is unchanged, told apart by change counters."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CacheVersions:
    """How many committed changes each kind of cached read has seen.

    `catalog` counts changes to campaigns, their tiers, pledges, communities and what they
    link; `people` counts changes to the people behind chats (their language, reachability).
    """

    catalog: int
    people: int


class VersionedCache(Generic[K, V]):
    """At most `size` values, each kept with the version it was read at and given out only
    at that version; the least recently used goes first."""

    # Keyed by what was asked only: a value read at an older version is replaced, not kept
    # beside the new one, so memory is bounded by the keys in use rather than by changes.

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[K, tuple[int, V]] = OrderedDict()
        # Reads under way: whoever asks for the same key at the same version meanwhile waits
        # for that read instead of making another (a launch's first seconds ask for one page
        # hundreds of times).
        self._reading: dict[tuple[K, int], asyncio.Future[V]] = {}

    async def fetch(self, key: K, version: int, read: Callable[[], Awaitable[V]]) -> V:
        """The value kept for `key` at `version`, else what `read` gives, kept."""
        kept = self._values.get(key)
        if kept is not None and kept[0] == version:
            self._values.move_to_end(key)
            return kept[1]
        under_way = self._reading.get((key, version))
        if under_way is not None:
            await asyncio.wait({under_way})
            if not under_way.cancelled():
                return under_way.result()
            return await read()  # that read failed or was cancelled: this one tries for itself
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._reading[(key, version)] = future
        try:
            value = await read()
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._reading[(key, version)]
        future.set_result(value)
        self._keep(key, version, value)
        return value

    def _keep(self, key: K, version: int, value: V) -> None:
        kept = self._values.get(key)
        if kept is not None and kept[0] > version:
            return  # a slower reader must not replace what a later one read
        self._values[key] = (version, value)
        self._values.move_to_end(key)
        if len(self._values) > self._size:
            self._values.popitem(last=False)

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._values)
