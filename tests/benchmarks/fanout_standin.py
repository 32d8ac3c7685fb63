"""The fan-out benchmark's Telegram: the Bot API stand-in in a process of its own.

Run as `python -m tests.benchmarks.fanout_standin TOKEN FIRST_ID PEOPLE [CREATOR_ID] [--enforce]`:
it opens a private chat with the bot for PEOPLE people numbered from FIRST_ID (and for the
creator, whose chat the delivery report goes to), prints its base URL, and serves until its
stdin closes or SIGTERM. It then prints one JSON line of what it received, by its own clock.
With --enforce it refuses with 429 past Telegram's limits: 30 messages/s per bot, 1/s per chat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import sys
from collections import Counter
from typing import Any

from adapters.standins.telegram import BotApiStandin, BotProfile


def received(standin: BotApiStandin, people: range, creator: int | None) -> dict[str, Any]:
    """How many people got how many messages, when the first and last arrived, and refusals."""
    log = standin.send_log
    per_chat = Counter(record.chat_id for record in log)
    times = [record.at for record in log]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        # {messages in a chat: how many people's chats hold that many}
        "chats_by_count": Counter(per_chat[person] for person in people),
        "creator_messages": per_chat[creator] if creator is not None else 0,
        "messages": len(log),
        "first": min(times, default=0.0),
        "last": max(times, default=0.0),
        "throttled": standin.throttled_count,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


async def serve(token: str, people: range, creator: int | None, enforce: bool) -> dict[str, Any]:
    """Serve until stdin closes or SIGTERM; what was received meanwhile."""
    standin = BotApiStandin(BotProfile(token))
    for person in [*people, *([creator] if creator is not None else [])]:
        standin.private_chat(standin.user(person, f"Person {person}"))
    standin.enforce_rate_limits(enforce)
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    stopping = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stopping.set)
    await standin.start()
    try:
        print(standin.base_url, flush=True)
        until_closed = asyncio.ensure_future(stdin.read())
        until_stopped = asyncio.ensure_future(stopping.wait())
        await asyncio.wait([until_closed, until_stopped], return_when=asyncio.FIRST_COMPLETED)
        until_closed.cancel()
        until_stopped.cancel()
    finally:
        await standin.stop()
    return received(standin, people, creator)


def main() -> None:
    """Parse the arguments, serve, and print what was received."""
    parser = argparse.ArgumentParser()
    parser.add_argument("token")
    parser.add_argument("first_id", type=int)
    parser.add_argument("people", type=int)
    parser.add_argument("creator", type=int, nargs="?")
    parser.add_argument("--enforce", action="store_true")
    args = parser.parse_args()
    first: int = args.first_id
    people = range(first, first + int(args.people))
    report = asyncio.run(serve(str(args.token), people, args.creator, bool(args.enforce)))
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
