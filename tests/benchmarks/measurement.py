"""What a benchmark run measured: how long it took, how long each request waited, and what a
process used."""

from __future__ import annotations

import gc
import os
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measurement:
    """Answer times of one run, and how long the whole run took."""

    seconds: float
    latencies: Sequence[float]
    name: str = ""

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return len(self.latencies) / self.seconds

    def percentile_ms(self, percent: int) -> float:
        """An answer-time percentile, in milliseconds."""
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1] * 1000


@contextmanager
def collector_settled() -> Iterator[None]:
    """Within, what this process held on entering is left out of the collector's passes."""
    # The stand-ins keep every message the bots were sent. Once they hold millions of objects,
    # a full collection stalls this process, and so whichever bot is measured, for seconds.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        # Collectable again: what became garbage meanwhile is freed, and memory stays honest.
        gc.unfreeze()


def _peak_rss_kb(pid: int | str) -> int:
    """The most resident memory (VmHWM) a live process has held, in kB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


def peak_rss_mb(pid: int | None = None) -> float:
    """The most resident memory a live process (this one unless named) has held, in MB."""
    return _peak_rss_kb(pid or "self") * 1024 / 1_000_000


@dataclass(frozen=True)
class ProcessUsage:
    """CPU seconds a process has used so far, and its peak resident memory (VmHWM)."""

    cpu_seconds: float
    peak_rss_kb: int

    @classmethod
    def of(cls, pid: int) -> ProcessUsage:
        """Read from /proc while the process runs: user and system time, and VmHWM in kB."""
        # The fields after the command name, whose parentheses may hold spaces: utime and
        # stime are the 14th and 15th of the whole line, in clock ticks.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        return cls(ticks / os.sysconf("SC_CLK_TCK"), _peak_rss_kb(pid))
