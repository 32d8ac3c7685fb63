"""The REST handlers: users, application, commands, interactions, channels, messages, servers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.standins.discord import payloads, permissions
from adapters.standins.discord.commands import CommandRegistry
from adapters.standins.discord.errors import (
    DiscordError,
    missing_access,
    missing_permissions,
    unknown,
)
from adapters.standins.discord.messages import compose, read_draft, revise
from adapters.standins.discord.records import DM, Channel, Guild, Message
from adapters.standins.discord.responses import Responder
from adapters.standins.discord.wire import json_response, request_body
from adapters.standins.discord.world import World

_TRUE = ("1", "true", "True")


class Resources:
    """One handler per route, over the stand-in's world."""

    def __init__(self, world: World, commands: CommandRegistry, responder: Responder) -> None:
        self.world = world
        self.commands_registry = commands
        self.responder = responder

    async def me(self, _request: web.Request) -> web.Response:
        """`GET /users/@me`."""
        return json_response(payloads.own_user_object(self.world.bot))

    async def user(self, request: web.Request) -> web.Response:
        """`GET /users/{user_id}`."""
        return json_response(
            payloads.user_object(self.world.user(_id(request, "user_id", "User", 10013)))
        )

    async def open_dm(self, request: web.Request) -> web.Response:
        """`POST /users/@me/channels`: the DM channel with a person, opened if needed."""
        body = request_body(request)
        recipient = body.get("recipient_id") if isinstance(body, dict) else None
        if recipient is None or not str(recipient).isdigit():
            raise DiscordError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "recipient_id": {
                        "_errors": [
                            {"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}
                        ]
                    }
                },
            )
        user = self.world.user(int(recipient))
        return json_response(payloads.channel_object(self.world.dm_channel(user), recipient=user))

    async def application(self, _request: web.Request) -> web.Response:
        """`GET /oauth2/applications/@me`."""
        return json_response(
            payloads.application_object(self.world.application, len(self.world.guilds))
        )

    async def gateway(self, request: web.Request) -> web.Response:
        """`GET /gateway`."""
        return json_response({"url": f"ws://{request.host}/gateway"})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        """`GET /gateway/bot`: one shard is plenty for a test world."""
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response(
            {"url": f"ws://{request.host}/gateway", "shards": 1, "session_start_limit": limit}
        )

    async def commands(self, request: web.Request) -> web.Response:
        """`GET /applications/{id}/commands` and its per-server twin."""
        scope = self._command_scope(request)
        return json_response([command.payload for command in self.commands_registry.listing(scope)])

    async def overwrite_commands(self, request: web.Request) -> web.Response:
        """`PUT /applications/{id}/commands` and its per-server twin: a bulk overwrite."""
        scope = self._command_scope(request)
        kept = self.commands_registry.overwrite(scope, request_body(request))
        return json_response([command.payload for command in kept])

    async def callback(self, request: web.Request) -> web.Response:
        """`POST /interactions/{id}/{token}/callback`."""
        answer = self.responder.callback(
            _id(request, "interaction_id", "interaction", 10062),
            request.match_info["interaction_token"],
            request_body(request),
            with_response=request.query.get("with_response") in _TRUE,
        )
        return json_response(answer) if answer is not None else web.Response(status=204)

    async def follow_up(self, request: web.Request) -> web.Response:
        """`POST /webhooks/{application_id}/{token}`."""
        message = self.responder.follow_up(
            _id(request, "webhook_id", "Webhook", 10015),
            request.match_info["webhook_token"],
            request_body(request),
            wait=request.query.get("wait") in _TRUE,
        )
        return json_response(message) if message is not None else web.Response(status=204)

    async def webhook_message(self, request: web.Request) -> web.Response:
        """`GET /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        application_id, token, reference = _webhook_target(request)
        return json_response(self.responder.get(application_id, token, reference))

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        """`PATCH /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        application_id, token, reference = _webhook_target(request)
        return json_response(
            self.responder.edit(application_id, token, reference, request_body(request))
        )

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        """`DELETE /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        application_id, token, reference = _webhook_target(request)
        self.responder.delete(application_id, token, reference)
        return web.Response(status=204)

    async def channel(self, request: web.Request) -> web.Response:
        """`GET /channels/{channel_id}`."""
        return json_response(self._channel_object(self._visible_channel(request)))

    async def messages(self, request: web.Request) -> web.Response:
        """`GET /channels/{channel_id}/messages`: newest first, `limit`, `before` and `after`."""
        channel = self._visible_channel(request)
        found = self.world.channel_messages(channel.id)
        before, after = request.query.get("before"), request.query.get("after")
        if before and before.isdigit():
            found = [m for m in found if m.id < int(before)]
        if after and after.isdigit():
            found = [m for m in found if m.id > int(after)]
        limit = (
            int(request.query.get("limit", "50"))
            if request.query.get("limit", "50").isdigit()
            else 50
        )
        return json_response([m.payload for m in reversed(found)][: max(1, min(limit, 100))])

    async def send(self, request: web.Request) -> web.Response:
        """`POST /channels/{channel_id}/messages`."""
        channel = self._visible_channel(request)
        if channel.type == DM:
            recipient = self.world.user(channel.recipient_id or 0)
            if not recipient.accepts_dms:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
        elif not self.world.bot_permissions(channel) & permissions.SEND_MESSAGES:
            raise missing_permissions()
        draft = read_draft(request_body(request), ephemeral_allowed=False)
        message = compose(self.world, channel, draft, author=self.world.bot)
        self.world.post(message)
        return json_response(message.payload)

    async def message(self, request: web.Request) -> web.Response:
        """`GET /channels/{channel_id}/messages/{message_id}`."""
        channel = self._visible_channel(request)
        return json_response(self._message(request, channel).payload)

    async def edit(self, request: web.Request) -> web.Response:
        """`PATCH /channels/{channel_id}/messages/{message_id}`: only the bot's own messages."""
        channel = self._visible_channel(request)
        message = self._message(request, channel)
        if message.author_id != self.world.bot.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        revise(
            self.world,
            message,
            read_draft(request_body(request), ephemeral_allowed=False, partial=True),
        )
        self.world.edited(message)
        return json_response(message.payload)

    async def delete(self, request: web.Request) -> web.Response:
        """`DELETE /channels/{channel_id}/messages/{message_id}`."""
        channel = self._visible_channel(request)
        message = self._message(request, channel)
        own = message.author_id == self.world.bot.id
        if not own and not self.world.bot_permissions(channel) & permissions.MANAGE_MESSAGES:
            raise missing_permissions()
        self.world.delete(message)
        return web.Response(status=204)

    async def guild(self, request: web.Request) -> web.Response:
        """`GET /guilds/{guild_id}`."""
        return json_response(payloads.guild_object(self._guild(request)))

    async def guild_channels(self, request: web.Request) -> web.Response:
        """`GET /guilds/{guild_id}/channels`."""
        guild = self._guild(request)
        return json_response(
            [payloads.channel_object(channel) for channel in guild.channels.values()]
        )

    async def member(self, request: web.Request) -> web.Response:
        """`GET /guilds/{guild_id}/members/{user_id}`."""
        guild = self._guild(request)
        membership = guild.members.get(_id(request, "user_id", "Member", 10007))
        if membership is None:
            raise unknown("Member", 10007)
        return json_response(payloads.member_object(membership))

    async def roles(self, request: web.Request) -> web.Response:
        """`GET /guilds/{guild_id}/roles`."""
        guild = self._guild(request)
        return json_response([payloads.role_object(role) for role in guild.roles.values()])

    def _command_scope(self, request: web.Request) -> int | None:
        if _id(request, "application_id", "Application", 10002) != self.world.application.id:
            raise DiscordError(
                403, 20012, "You are not authorized to perform this action on this application"
            )
        if "guild_id" not in request.match_info:
            return None
        guild_id = _id(request, "guild_id", "Guild", 10004)
        if guild_id not in self.world.guilds:
            # Without the bot (and its applications.commands scope) in the server.
            raise missing_access()
        return guild_id

    def _visible_channel(self, request: web.Request) -> Channel:
        channel = self.world.channel(_id(request, "channel_id", "Channel", 10003))
        if (
            channel.type != DM
            and not self.world.bot_permissions(channel) & permissions.VIEW_CHANNEL
        ):
            raise missing_access()
        return channel

    def _message(self, request: web.Request, channel: Channel) -> Message:
        message = self.world.message(channel.id, _id(request, "message_id", "Message", 10008))
        if message.visible_to is not None:
            # Ephemeral messages are reachable through their interaction's webhook only.
            raise unknown("Message", 10008)
        return message

    def _guild(self, request: web.Request) -> Guild:
        return self.world.guild(_id(request, "guild_id", "Guild", 10004))

    def _channel_object(self, channel: Channel) -> dict[str, Any]:
        if channel.type == DM:
            return payloads.channel_object(
                channel, recipient=self.world.user(channel.recipient_id or 0)
            )
        return payloads.channel_object(channel)


def _id(request: web.Request, name: str, what: str, code: int) -> int:
    value = request.match_info[name]
    if not value.isdigit():
        raise unknown(what, code)
    return int(value)


def _webhook_target(request: web.Request) -> tuple[int, str, str]:
    application_id = _id(request, "webhook_id", "Webhook", 10015)
    reference = request.match_info.get("message_id", "@original")
    return application_id, request.match_info["webhook_token"], reference
