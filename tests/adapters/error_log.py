"""Errors a bot logs during a test, so that no test passes over a failure it did not see."""

from __future__ import annotations

import logging


class ErrorLog(logging.Handler):
    """Keeps every error the bot logs, so a test never passes over a failure it did not see."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)
