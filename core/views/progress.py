"""A progress bar drawn with text, readable on every platform."""

from __future__ import annotations

FILLED = "▰"
EMPTY = "▱"


def progress_bar(percent: int, width: int = 10) -> str:
    """A bar of `width` cells for a percentage; past 100 % it stays full."""
    if width <= 0:
        raise ValueError("a progress bar needs at least one cell")
    # Rounds down so a bar only looks full once the goal is really met.
    filled = min(max(percent, 0), 100) * width // 100
    return FILLED * filled + EMPTY * (width - filled)
