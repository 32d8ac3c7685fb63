"""The Discord stand-in: REST API and gateway in one aiohttp application, and a driver for tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from aiohttp import web

from adapters.standins.discord.attachments import MAX_REQUEST_SIZE, StoredAttachment
from adapters.standins.discord.commands import Command, CommandRegistry
from adapters.standins.discord.contract import Contract
from adapters.standins.discord.events import EventStream, Listener
from adapters.standins.discord.gateway import Gateway
from adapters.standins.discord.interactions import Interaction, InteractionBook
from adapters.standins.discord.people import DirectMessages, Dispatcher, Member
from adapters.standins.discord.rate_limits import RateLimits
from adapters.standins.discord.records import TEXT, Channel, Guild, Message, Overwrite, Role, User
from adapters.standins.discord.resources import Resources
from adapters.standins.discord.responses import Responder
from adapters.standins.discord.rest import DiscordApi
from adapters.standins.discord.snowflakes import utc_now
from adapters.standins.discord.world import World
from adapters.standins.serving import ServedStandin


class DiscordStandin(ServedStandin):
    """A stateful, in-memory Discord the real discord.py talks to over HTTP and a websocket."""

    service = "Discord"

    def __init__(
        self,
        *,
        token: str = "standin.bot.token",  # noqa: S107 - a test world's token, not a secret
        bot_name: str = "Backit",
        privileged_intents: int = 0,
        interaction_deadline: float = 3.0,
        token_lifetime: float = 15 * 60.0,
        heartbeat_interval_ms: int = 41_250,
        contract: Contract | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self._world = World(
            token=token, bot_name=bot_name, privileged_intents=privileged_intents, clock=clock
        )
        self._commands = CommandRegistry(self._world.ids, self._world.application.id)
        self._book = InteractionBook(
            deadline=interaction_deadline, token_lifetime=token_lifetime, clock=time.monotonic
        )
        self._gateway = Gateway(self._world, heartbeat_interval_ms=heartbeat_interval_ms)
        self._dispatcher = Dispatcher(self._world, self._commands, self._book, self._gateway)
        self.rate_limits = RateLimits(time.monotonic)
        self.contract = contract
        # Every way the stand-in's own answers broke Discord's spec; a test fixture expects none.
        self.contract_violations: list[str] = []
        self._garbled: dict[int, int] = {}

    @property
    def bot(self) -> User:
        """The bot's own user (its id is the application's)."""
        return self._world.bot

    @property
    def api_base(self) -> str:
        """The REST base for `discord.http.Route.BASE`."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The websocket address for `DiscordWebSocket.DEFAULT_GATEWAY`."""
        return f"ws{self.base_url.removeprefix('http')}/gateway"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on `host:port`; files people attach to commands are then served from there."""
        await super().start(host, port)
        self._world.files_origin = self.base_url

    def app(self) -> web.Application:
        """The aiohttp application: `/api/v10` REST routes and the `/gateway` websocket."""
        resources = Resources(self._world, self._commands, Responder(self._world, self._book))
        api = DiscordApi(
            resources, self.rate_limits, self.contract, self.contract_violations, self._garbled
        )
        app = web.Application(middlewares=[api.middleware], client_max_size=MAX_REQUEST_SIZE)
        app.add_routes(
            [
                web.get("/gateway", self._gateway.handle),
                web.get("/attachments/{attachment_id}/{filename}", self._attachment),
                *api.routes(),
            ]
        )
        app.on_shutdown.append(self._close_gateway)
        return app

    def attachment(self, attachment_id: int) -> StoredAttachment | None:
        """A file a bot attached to a message, with its bytes."""
        return self._world.attachments.get(attachment_id)

    async def _attachment(self, request: web.Request) -> web.Response:
        """An attached file, at the URL its message gives, as Discord's CDN serves it."""
        found = request.match_info["attachment_id"]
        stored = self.attachment(int(found)) if found.isdigit() else None
        if stored is None or stored.filename != request.match_info["filename"]:
            raise web.HTTPNotFound()
        return web.Response(body=stored.data, content_type=stored.content_type)

    def user(self, name: str, *, locale: str = "en-US", accepts_dms: bool = True) -> User:
        """A new person; `accepts_dms=False` is someone who closed their DMs to server members."""
        return self._world.add_user(name, locale=locale, accepts_dms=accepts_dms)

    def guild(
        self,
        name: str,
        *,
        channels: Sequence[str] = ("general",),
        owner: User | None = None,
        locale: str = "en-US",
    ) -> Guild:
        """A new server with text channels, which the bot has joined (GUILD_CREATE if connected)."""
        owner = owner or self.user(f"{name.lower().replace(' ', '-')}-owner")
        guild = self._world.add_guild(name, owner=owner, channel_names=channels, locale=locale)
        self._gateway.guild_joined(guild)
        return guild

    def channel(
        self,
        guild: Guild,
        name: str,
        *,
        kind: int = TEXT,
        overwrites: Sequence[Overwrite] = (),
        topic: str | None = None,
    ) -> Channel:
        """A new channel in a server, of any type, with permission overwrites."""
        return self._world.add_channel(guild, name, kind=kind, overwrites=overwrites, topic=topic)

    def garble_answers(self, channel: Channel, times: int = 1) -> None:
        """Post the next `times` messages sent to a channel, but answer each with a garbled 200."""
        self._garbled[channel.id] = self._garbled.get(channel.id, 0) + times

    def delete_channel(self, channel: Channel) -> None:
        """Delete a server's channel, as an admin does: sends to it then get 10003 (CHANNEL_DELETE
        if connected)."""
        self._world.remove_channel(channel)
        self._gateway.channel_deleted(channel)

    def role(
        self, guild: Guild, name: str, *, permissions: int = 0, mentionable: bool = False
    ) -> Role:
        """A new role in a server."""
        return self._world.add_role(guild, name, permissions, mentionable=mentionable)

    def member(
        self,
        guild: Guild,
        user: User,
        *,
        permissions: int | None = None,
        roles: Sequence[Role] = (),
    ) -> Member:
        """A person in a server, acting there; `permissions` gives them a role with those bits."""
        role_ids = [role.id for role in roles]
        if permissions is not None:
            role_ids.append(self.role(guild, f"{user.name}'s role", permissions=permissions).id)
        self._world.add_member(guild, user, role_ids)
        first_text = next((c for c in guild.channels.values() if c.type == TEXT), None)
        if first_text is None:
            raise ValueError(f"{guild.name} has no text channel to act in")
        return Member(self._dispatcher, user, guild, first_text)

    def grant_command(self, guild: Guild, command_name: str, user: User) -> None:
        """Let a person use a command despite its default permissions, as a server admin can."""
        guild.command_grants.setdefault(command_name, set()).add(user.id)

    def dm(self, user: User) -> DirectMessages:
        """A person acting in their DM with the bot."""
        return DirectMessages(self._dispatcher, user, None, self._world.dm_channel(user))

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and a person."""
        return self._world.dm_channel(user)

    def channel_messages(self, channel: Channel, *, viewer: User | None = None) -> list[Message]:
        """A channel's messages, oldest first; with a viewer, their ephemeral ones too."""
        return self._world.channel_messages(channel.id, viewer=viewer.id if viewer else None)

    async def wait_for_messages(
        self, channel: Channel, count: int = 1, *, viewer: User | None = None, within: float = 5.0
    ) -> list[Message]:
        """The channel's messages once there are at least `count`, waiting for them if needed."""

        def enough() -> list[Message] | None:
            found = self.channel_messages(channel, viewer=viewer)
            return found if len(found) >= count else None

        return await self._world.events.changed.until(
            enough, within, f"{count} message(s) in #{channel.name}"
        )

    def commands(self, guild: Guild | None = None) -> list[Command]:
        """The commands synced globally, or for one server."""
        return self._commands.listing(guild.id if guild else None)

    @property
    def interactions(self) -> list[Interaction]:
        """Every interaction dispatched so far, oldest first."""
        return list(self._book.by_id.values())

    def acknowledgement_times(self) -> list[float]:
        """Seconds the bot took to acknowledge each interaction it answered."""
        return self._book.acknowledgement_times()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every event (messages, interactions); returns the unsubscribe."""
        return self._world.events.subscribe(listener)

    def stream(self, channel: Channel | None = None) -> EventStream:
        """Every event from now on, of one channel if given, as an async iterator."""
        if channel is None:
            return self._world.events.stream()
        return self._world.events.stream(lambda event: event.channel_id == channel.id)

    async def wait_for_session(self, within: float = 5.0) -> None:
        """Wait until the bot has an identified (or resumed) gateway session."""
        await self._gateway.identified.until(
            lambda: self._gateway.sessions or None, within, "gateway session"
        )

    @property
    def gateway_sessions(self) -> list[str]:
        """The ids of the bot's gateway sessions, connected or waiting to be resumed."""
        return list(self._gateway.sessions)

    def interrupt_gateway(self, *, resumable: bool = True) -> None:
        """Drop every connection as a network fault would; unresumable ones are forgotten too."""
        self._gateway.interrupt(resumable=resumable)

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT to every connection, as Discord does before maintenance."""
        self._gateway.request_reconnect()

    async def _close_gateway(self, _app: web.Application) -> None:
        await self._gateway.close()
