"""Discord's gateway websocket: HELLO, heartbeats, IDENTIFY, READY, RESUME and dispatches."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from aiohttp import WSMsgType, web

from adapters.standins.discord import payloads
from adapters.standins.discord.events import StandinEvent
from adapters.standins.discord.records import Channel, Guild
from adapters.standins.discord.sessions import Connection, Session
from adapters.standins.discord.world import World
from adapters.standins.events import Signal

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
# Every intent bit Discord defines (0 to 25).
KNOWN_INTENTS = (1 << 26) - 1
# Closing with these ends a session for good; any other close leaves it resumable.
_FINAL_CLOSES = frozenset({1000, 1001})
_MESSAGE_EVENTS = {
    "message_created": "MESSAGE_CREATE",
    "message_edited": "MESSAGE_UPDATE",
    "message_deleted": "MESSAGE_DELETE",
}


class Gateway:
    """The `/gateway` websocket endpoint and every session opened on it."""

    def __init__(self, world: World, *, heartbeat_interval_ms: int) -> None:
        self.world = world
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.identified = Signal()
        self._connections: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        world.events.subscribe(self._forward_message_event)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one websocket connection from HELLO to close."""
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        connection = Connection(socket)
        self._connections.add(connection)
        writer = asyncio.get_running_loop().create_task(connection.write())
        self._tasks.add(writer)
        writer.add_done_callback(self._tasks.discard)
        if request.query.get("v") != "10":
            connection.close(4012, "Invalid API version")
        elif request.query.get("encoding", "json") != "json":
            connection.close(4002, "Error while decoding payload.")
        else:
            hello = {
                "heartbeat_interval": self.heartbeat_interval_ms,
                "_trace": ["discord-standin"],
            }
            connection.send(_frame(10, hello))
        resume_url = f"ws://{request.host}/gateway"
        try:
            async for message in socket:
                if message.type is WSMsgType.TEXT:
                    self._receive(connection, message.data, resume_url)
                else:
                    connection.close(4002, "Error while decoding payload.")
        finally:
            self._connections.discard(connection)
            self._detach(connection, socket.close_code)
            if not writer.done():
                writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await writer
        return socket

    def dispatch(
        self, event: str, data: dict[str, Any], *, intent: int = 0, guild_id: int | None = None
    ) -> None:
        """Send an event to every session that asked for it (its intents and its shard)."""
        for session in list(self.sessions.values()):
            if intent and not session.intents & intent:
                continue
            if guild_id is not None and not session.sees(guild_id):
                continue
            session.dispatch(event, data)

    def guild_joined(self, guild: Guild) -> None:
        """Tell every session the bot joined a server, as Discord does with GUILD_CREATE."""
        for session in self.sessions.values():
            if session.intents & GUILDS and session.sees(guild.id):
                session.dispatch("GUILD_CREATE", self._guild_create(guild, session, joined=True))

    def channel_deleted(self, channel: Channel) -> None:
        """Tell every session a server channel is gone, as Discord does with CHANNEL_DELETE."""
        self.dispatch(
            "CHANNEL_DELETE",
            payloads.channel_object(channel),
            intent=GUILDS,
            guild_id=channel.guild_id,
        )

    def interrupt(self, *, resumable: bool) -> None:
        """Drop every connection as a network fault would, keeping the sessions or not."""
        for connection in list(self._connections):
            connection.close(4000, "Connection interrupted", final=False)
        if not resumable:
            self.sessions.clear()

    def request_reconnect(self) -> None:
        """Ask every client to reconnect and resume (op 7), as Discord does before maintenance."""
        for connection in list(self._connections):
            connection.send(_frame(7, None))

    async def close(self) -> None:
        """Close every websocket (going away) and stop their writers."""
        for connection in list(self._connections):
            connection.close(1001, "The stand-in is stopping")
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await asyncio.wait_for(task, timeout=1.0)
        for task in list(self._tasks):
            task.cancel()
        self.sessions.clear()

    def _receive(self, connection: Connection, text: str, resume_url: str) -> None:
        try:
            frame = json.loads(text)
            self._handle(connection, frame["op"], frame.get("d"), resume_url)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            # Discord closes on any payload it cannot read, however it was malformed.
            connection.close(4002, "Error while decoding payload.")

    def _handle(self, connection: Connection, op: Any, data: Any, resume_url: str) -> None:
        if op == 1:
            connection.send(_frame(11, None))
        elif op == 2:
            self._identify(connection, data, resume_url)
        elif op == 6:
            self._resume(connection, data)
        elif connection.session is None:
            connection.close(4003, "Not authenticated.")
        elif op == 8:
            self._request_members(connection.session, data)
        elif op not in (3, 4):
            # Presence and voice state updates are accepted and have no effect here.
            connection.close(4001, "Unknown opcode.")

    def _identify(self, connection: Connection, data: Any, resume_url: str) -> None:
        if connection.session is not None:
            connection.close(4005, "Already authenticated.")
            return
        if not isinstance(data, dict) or data.get("token") != self.world.application.token:
            connection.close(4004, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents & ~KNOWN_INTENTS:
            connection.close(4013, "Invalid intent(s).")
            return
        if intents & PRIVILEGED & ~self.world.application.privileged_intents:
            connection.close(4014, "Disallowed intent(s).")
            return
        shard_id, shard_count = data.get("shard") or [0, 1]
        if not 0 <= shard_id < shard_count:
            connection.close(4010, "Invalid shard.")
            return
        session = Session(intents, (int(shard_id), int(shard_count)))
        self.sessions[session.id] = session
        session.connection = connection
        connection.session = session
        session.dispatch("READY", self._ready(session, resume_url))
        if intents & GUILDS:
            for guild in self.world.guilds.values():
                if session.sees(guild.id):
                    session.dispatch(
                        "GUILD_CREATE", self._guild_create(guild, session, joined=False)
                    )
        self.identified.notify()

    def _resume(self, connection: Connection, data: Any) -> None:
        session = self.sessions.get(data.get("session_id", "")) if isinstance(data, dict) else None
        valid = session is not None and data.get("token") == self.world.application.token
        missed = session.replay_after(int(data.get("seq") or 0)) if valid and session else None
        if session is None or missed is None:
            # Not resumable: the client must IDENTIFY again.
            connection.send(_frame(9, False))
            return
        previous = session.connection
        if previous is not None and previous is not connection:
            # The client may resume before its old socket has finished closing: the new one wins.
            previous.session = None
            previous.close(4000, "Session resumed elsewhere", final=False)
        session.connection = connection
        connection.session = session
        for frame in missed:
            connection.send(frame)
        session.dispatch("RESUMED", {"_trace": ["discord-standin"]})
        self.identified.notify()

    def _request_members(self, session: Session, data: Any) -> None:
        guild = (
            self.world.guilds.get(int(data.get("guild_id", 0))) if isinstance(data, dict) else None
        )
        if guild is None:
            return
        wanted = {int(user_id) for user_id in data.get("user_ids") or []}
        query = (data.get("query") or "").lower()
        members = [
            payloads.member_object(membership)
            for membership in guild.members.values()
            if (not wanted or membership.user.id in wanted)
            and membership.user.name.lower().startswith(query)
        ]
        limit = data.get("limit") or len(members)
        chunk = {
            "guild_id": str(guild.id),
            "members": members[:limit],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _detach(self, connection: Connection, close_code: int | None) -> None:
        session = connection.session
        if session is None or session.connection is not connection:
            return
        session.connection = None
        # aiohttp reports the client's answering code after a close sent from here, so only a
        # close the client started says, by its code, whether the client ended the session.
        ended = connection.final if connection.closed_here else close_code in _FINAL_CLOSES
        if ended:
            self.sessions.pop(session.id, None)

    def _ready(self, session: Session, resume_url: str) -> dict[str, Any]:
        application = self.world.application
        ready: dict[str, Any] = {
            "v": 10,
            "user": payloads.own_user_object(application.bot),
            "guilds": [
                {"id": str(guild_id), "unavailable": True}
                for guild_id in self.world.guilds
                if session.sees(guild_id)
            ],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": resume_url,
            "application": {
                "id": str(application.id),
                "flags": payloads.application_flags(application.privileged_intents),
            },
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "_trace": ["discord-standin"],
        }
        if session.shard[1] > 1:
            ready["shard"] = list(session.shard)
        return ready

    def _guild_create(self, guild: Guild, session: Session, *, joined: bool) -> dict[str, Any]:
        return payloads.guild_create_object(
            guild,
            bot=self.world.bot,
            all_members=bool(session.intents & GUILD_MEMBERS),
            newly_joined=joined,
        )

    def _forward_message_event(self, event: StandinEvent) -> None:
        # Ephemeral messages exist only for their reader; bots get no gateway event for them.
        name = _MESSAGE_EVENTS.get(event.kind)
        if name is None or event.message is None or event.visible_to is not None:
            return
        intent = DIRECT_MESSAGES if event.guild_id is None else GUILD_MESSAGES
        if name == "MESSAGE_DELETE":
            data: dict[str, Any] = {"id": event.message["id"], "channel_id": str(event.channel_id)}
        else:
            data = dict(event.message)
        if event.guild_id is not None:
            data["guild_id"] = str(event.guild_id)
            guild = self.world.guilds[event.guild_id]
            author = guild.members.get(int(event.message["author"]["id"]))
            if author is not None and name != "MESSAGE_DELETE":
                data["member"] = payloads.member_object(author, with_user=False)
        self.dispatch(name, data, intent=intent, guild_id=event.guild_id)


def _frame(op: int, data: Any) -> dict[str, Any]:
    return {"op": op, "d": data, "s": None, "t": None}
