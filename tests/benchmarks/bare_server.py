"""The benchmark's yardstick: a bare aiohttp handler that reads a POST and answers 200."""

# Run as `python -m tests.benchmarks.bare_server`: it prints its port, then serves until SIGTERM.

from __future__ import annotations

import socket

from aiohttp import web


async def receive(request: web.Request) -> web.Response:
    """Read the body, as any webhook receiver must, and acknowledge it."""
    await request.read()
    return web.json_response({"received": True})


def main() -> None:
    """Serve on a free port of 127.0.0.1, named on stdout, until SIGTERM or SIGINT."""
    app = web.Application()
    app.router.add_post("/stripe/webhook", receive)
    sock = socket.create_server(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    web.run_app(app, sock=sock, print=None, access_log=None)


if __name__ == "__main__":
    main()
