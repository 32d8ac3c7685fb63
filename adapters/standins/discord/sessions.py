"""Gateway connections (one websocket each) and sessions (what a RESUME picks up again)."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from typing import Any, Final

from aiohttp import web

# Dispatches a session keeps for a RESUME.
_BUFFERED = 1000
_CLOSE: Final = object()


class Connection:
    """One websocket; a single writer task sends its frames in order."""

    def __init__(self, socket: web.WebSocketResponse) -> None:
        self.socket = socket
        self.session: Session | None = None
        # Whether the stand-in closed it, and whether that close also ended the session.
        self.closed_here = False
        self.final = False
        self._outbox: asyncio.Queue[object] = asyncio.Queue()
        self._close_with = (1000, "")

    def send(self, frame: dict[str, Any]) -> None:
        """Queue a frame."""
        self._outbox.put_nowait(frame)

    def close(self, code: int, reason: str, *, final: bool = True) -> None:
        """Close after the frames already queued; a final close also ends the session."""
        self.closed_here = True
        self.final = self.final or final
        self._close_with = (code, reason)
        self._outbox.put_nowait(_CLOSE)

    async def write(self) -> None:
        """Send queued frames until told to close."""
        while True:
            frame = await self._outbox.get()
            if frame is _CLOSE:
                code, reason = self._close_with
                await self.socket.close(code=code, message=reason.encode())
                return
            await self.socket.send_str(json.dumps(frame))


class Session:
    """A gateway session: its intents, its sequence and the dispatches a RESUME may replay."""

    def __init__(self, intents: int, shard: tuple[int, int]) -> None:
        self.id = secrets.token_hex(16)
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.connection: Connection | None = None
        self._sent: deque[dict[str, Any]] = deque(maxlen=_BUFFERED)

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Number the event, keep it for a RESUME, and send it if connected."""
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": data}
        self._sent.append(frame)
        if self.connection is not None:
            self.connection.send(frame)

    def replay_after(self, seq: int) -> list[dict[str, Any]] | None:
        """The dispatches after `seq`; None when some were already forgotten."""
        missed = [frame for frame in self._sent if frame["s"] > seq]
        if seq > self.seq or (seq < self.seq and missed[0]["s"] != seq + 1):
            return None
        return missed

    def sees(self, guild_id: int) -> bool:
        """Whether the session's shard receives that server's events."""
        shard_id, count = self.shard
        return (guild_id >> 22) % count == shard_id
