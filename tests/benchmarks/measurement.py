"""What a benchmark run measured: how long it took, and how long each request waited."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
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


def peak_rss_mb(pid: int | None = None) -> float:
    """The most resident memory a live process (this one unless named) has held, in MB."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text(encoding="utf-8")
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024 / 1_000_000
