"""The benchmarks' yardstick: a bare aiohttp handler that reads a POST and answers 200, and
one that answers a GET with a fixed page."""

# Run as `python -m tests.benchmarks.bare_server [PAGE]`: it prints its port, then serves until
# SIGTERM. PAGE names a file of HTML, served as every campaign's page.

from __future__ import annotations

import socket
import sys
from pathlib import Path

from aiohttp import web


async def receive(request: web.Request) -> web.Response:
    """Read the body, as any webhook receiver must, and acknowledge it."""
    await request.read()
    return web.json_response({"received": True})


def main() -> None:
    """Serve on a free port of 127.0.0.1, named on stdout, until SIGTERM or SIGINT."""
    app = web.Application()
    app.router.add_post("/stripe/webhook", receive)
    if len(sys.argv) > 1:
        html = Path(sys.argv[1]).read_text(encoding="utf-8")

        async def page(_request: web.Request) -> web.Response:
            """The same page, whatever was asked: what serving it costs aiohttp alone."""
            return web.Response(text=html, content_type="text/html")

        app.router.add_get("/c/{slug}", page)
    sock = socket.create_server(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    web.run_app(app, sock=sock, print=None, access_log=None)


if __name__ == "__main__":
    main()
