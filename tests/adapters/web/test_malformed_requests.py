"""A request aiohttp cannot parse gets its 400 and one warning line, never a traceback."""

from __future__ import annotations

import asyncio
import logging

import pytest
from yarl import URL

from tests.payment_fixtures import RunningBackit


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /pledge/" + b"A" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Broken " + b"\x01" * 10 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"v" * 10_000 + b"\r\n\r\n",
    ],
)
async def test_a_malformed_request_is_refused_in_one_line(
    backit: RunningBackit, caplog: pytest.LogCaptureFixture, request_head: bytes
) -> None:
    url = URL(backit.url)
    assert url.host is not None
    assert url.port is not None
    reader, writer = await asyncio.open_connection(url.host, url.port)
    with caplog.at_level(logging.DEBUG, logger="aiohttp.server"):
        writer.write(request_head)
        await writer.drain()
        status_line = await reader.readline()
        writer.close()
        await writer.wait_closed()

    assert status_line.split()[1] == b"400"
    records = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.WARNING, None)]
    assert "refused a malformed request" in records[0].getMessage()
    assert "AAAA" not in caplog.text
