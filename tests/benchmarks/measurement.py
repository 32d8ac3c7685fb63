"""What a benchmark run measured: how long it took, and how long each request waited."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


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
