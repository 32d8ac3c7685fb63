"""Whether a platform accepted a request, whatever its client library then made of the answer.

A platform's 2xx is a delivery: a send whose answer could not be read (a garbled body, a
connection dropped while the body came) went out all the same, and must not be sent again. The
HTTP layer notes each answer's status as its headers arrive; a sender looks at it when the
library raises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

import aiohttp

logger = logging.getLogger(__name__)

# The status of the latest answer in the current task: the coroutines awaited in it share it.
_status: ContextVar[int | None] = ContextVar("platform_answer_status", default=None)


def note_status(status: int) -> None:
    """Record the status of an answer whose headers just arrived."""
    _status.set(status)


@contextmanager
def accepted_is_sent(what: str) -> Iterator[None]:
    """Run one request; if it raises after the platform answered 2xx, log it and go on."""
    token = _status.set(None)
    try:
        yield
    except Exception as error:
        status = _status.get()
        if status is None or not 200 <= status < 300:
            raise
        logger.warning(
            "%s: accepted (HTTP %d) but the answer could not be read (%s); counted as sent",
            what,
            status,
            type(error).__name__,
        )
    finally:
        _status.reset(token)


async def _on_request_end(
    _session: aiohttp.ClientSession,
    _context: SimpleNamespace,
    params: aiohttp.TraceRequestEndParams,
) -> None:
    note_status(params.response.status)


def status_trace() -> aiohttp.TraceConfig:
    """An aiohttp trace noting each answer's status as soon as its headers arrive."""
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_on_request_end)
    return trace
