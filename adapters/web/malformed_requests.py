"""Requests that are not HTTP enough to reach a route: answered 400 by aiohttp, logged in a line."""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError

# aiohttp's server logs every request it cannot parse (a 10 KB address, a broken header)
# at ERROR with a traceback: anyone could fill the log with them.
SERVER_LOGGER = "aiohttp.server"


class MalformedRequests(logging.Filter):
    """Turns aiohttp's traceback for a request it could not parse into one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; shorten the ones about malformed requests."""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            # The error's own text quotes the request, which may carry a pledge link's token.
            record.args = (record.getMessage(), type(error).__name__)
            record.msg = "%s: refused a malformed request (%s)"
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


def log_malformed_requests_briefly() -> None:
    """Install the filter on aiohttp's server logger, once."""
    server = logging.getLogger(SERVER_LOGGER)
    if not any(isinstance(existing, MalformedRequests) for existing in server.filters):
        server.addFilter(MalformedRequests())
