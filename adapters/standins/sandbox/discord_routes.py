"""The page's Discord requests: you use slash commands, buttons, selects and forms, through the
stand-in's own driver, exactly as Discord's client would."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.standins.discord import ActionRefused, Channel, Guild, Interaction, Message
from adapters.standins.discord.components import STRING_SELECT
from adapters.standins.sandbox.inputs import BadInput, Body, downloaded, refusing_bad_input
from adapters.standins.sandbox.places import DiscordPlaces
from adapters.standins.sandbox.slash import SlashError, TypedLine, command_for, convert, read_line
from adapters.standins.sandbox.slash_suggestions import (
    Suggestion,
    bot_suggestions,
    needs_the_bot,
    suggestions,
)

# Discord's own limits on what a person types or picks.
LINE_LIMIT = 4000
CUSTOM_ID_LIMIT = 100
FORM_FIELDS = 5
SELECT_VALUES = 25
# The bot has 3 seconds to answer; the page waits a little longer before saying it did not.
ANSWER_WITHIN = 3.5


class DiscordRequests:
    """Handlers for `/sandbox/api/discord/...`, acting as you."""

    def __init__(self, places: DiscordPlaces) -> None:
        self._places = places

    def add_to(self, routes: web.RouteTableDef) -> None:
        """Register the handlers."""
        prefix = "/sandbox/api/discord"
        routes.post(f"{prefix}/command")(refusing_bad_input(self.command))
        routes.post(f"{prefix}/autocomplete")(refusing_bad_input(self.autocomplete))
        routes.post(f"{prefix}/press")(refusing_bad_input(self.press))
        routes.post(f"{prefix}/select")(refusing_bad_input(self.select))
        routes.post(f"{prefix}/submit_modal")(refusing_bad_input(self.submit_modal))
        routes.get(f"{prefix}/attachment/{{attachment_id}}")(self.attachment)

    async def attachment(self, request: web.Request) -> web.Response:
        """Download a file the bot attached, as Discord's client saves it."""
        found = request.match_info["attachment_id"]
        stored = self._places.standin.attachment(int(found)) if found.isdigit() else None
        if stored is None:
            raise web.HTTPNotFound(text="no such attachment")
        return downloaded(stored.data, stored.filename, stored.content_type)

    async def command(self, request: web.Request) -> web.Response:
        """Send a typed slash command, such as `/campaign name:maree-lampe`, in a channel."""
        body = await Body.read(request)
        channel = self._channel(body)
        text = body.text("text", max_length=LINE_LIMIT)
        body.done()
        try:
            call = command_for(text, self._commands(channel), self._locale, self._guild(channel))
            interaction = await self._places.actor(channel).slash(
                call.command, *call.path, options=call.options, channel=channel
            )
        except (SlashError, ActionRefused) as refused:
            raise BadInput(str(refused)) from None
        return await _answered(interaction)

    async def autocomplete(self, request: web.Request) -> web.Response:
        """What the box offers while you type a command: names, choices, the bot's suggestions."""
        body = await Body.read(request)
        channel = self._channel(body)
        text = body.text("text", max_length=LINE_LIMIT)
        body.done()
        try:
            line = read_line(text, self._commands(channel), self._locale)
            typing = needs_the_bot(line)
            if typing is None:
                offered = suggestions(line, self._guild(channel))
            else:
                offered = bot_suggestions(line, typing, await self._ask_bot(line, channel))
        except (SlashError, ActionRefused, TimeoutError) as problem:
            # Half-typed lines are the normal case here: say why nothing is offered.
            return web.json_response({"suggestions": [], "problem": str(problem)})
        return web.json_response({"suggestions": [_suggestion(s) for s in offered]})

    async def press(self, request: web.Request) -> web.Response:
        """Press a button of a message."""
        body = await Body.read(request)
        channel = self._channel(body)
        message = self._message(channel, body.snowflake("message_id"))
        custom_id = body.text("custom_id", max_length=CUSTOM_ID_LIMIT)
        body.done()
        try:
            interaction = await self._places.actor(channel).press(message, custom_id)
        except ActionRefused as refused:
            raise BadInput(str(refused)) from None
        return await _answered(interaction)

    async def select(self, request: web.Request) -> web.Response:
        """Pick options in a message's select menu."""
        body = await Body.read(request)
        channel = self._channel(body)
        message = self._message(channel, body.snowflake("message_id"))
        custom_id = body.text("custom_id", max_length=CUSTOM_ID_LIMIT)
        values = body.strings("values", max_items=SELECT_VALUES, max_length=CUSTOM_ID_LIMIT)
        body.done()
        kind = next(
            (c["type"] for c in message.interactive() if c.get("custom_id") == custom_id), None
        )
        if kind != STRING_SELECT:
            raise BadInput(f"message {message.id} has no select menu {custom_id!r} of options")
        try:
            interaction = await self._places.actor(channel).select(message, custom_id, values)
        except ActionRefused as refused:
            raise BadInput(str(refused)) from None
        return await _answered(interaction)

    async def submit_modal(self, request: web.Request) -> web.Response:
        """Fill in and submit a form the bot opened for you."""
        body = await Body.read(request)
        opened = self._opened_form(body.snowflake("interaction_id"))
        values = body.text_map("values", max_items=FORM_FIELDS, max_length=LINE_LIMIT)
        body.done()
        try:
            submitted = await self._places.actor(opened.channel).submit_modal(opened, values)
        except ActionRefused as refused:
            raise BadInput(str(refused)) from None
        return await _answered(submitted)

    @property
    def _locale(self) -> str:
        return self._places.you.locale

    def _channel(self, body: Body) -> Channel:
        channel = self._places.channel(body.snowflake("channel_id"))
        if channel is None:
            raise BadInput("no such channel of yours")
        return channel

    def _guild(self, channel: Channel) -> Guild | None:
        return self._places.guild if channel.guild_id is not None else None

    def _commands(self, channel: Channel) -> list[dict[str, Any]]:
        """The commands Discord's box offers there: the server's own, then the global ones."""
        standin = self._places.standin
        local = standin.commands(self._places.guild) if channel.guild_id is not None else []
        return [command.payload for command in (*local, *standin.commands())]

    def _message(self, channel: Channel, message_id: int) -> Message:
        viewer = self._places.you
        for message in self._places.standin.channel_messages(channel, viewer=viewer):
            if message.id == message_id:
                return message
        raise BadInput(f"no message {message_id} in #{channel.name}")

    def _opened_form(self, interaction_id: int) -> Interaction:
        for interaction in self._places.standin.interactions:
            if interaction.id == interaction_id:
                if interaction.user.id != self._places.you.id or interaction.modal is None:
                    break
                return interaction
        raise BadInput(f"the bot opened no form for you in answer to {interaction_id}")

    async def _ask_bot(self, line: TypedLine, channel: Channel) -> list[dict[str, Any]]:
        """The choices the bot suggests for the option being typed."""
        typing = needs_the_bot(line)
        assert typing is not None, "asked only when the bot suggests"
        assert line.command is not None, "a value is typed after its command"
        guild = self._guild(channel)
        others: dict[str, Any] = {}
        for value in line.values:
            if value is not typing:
                # A value still being fixed is left out, as Discord's client leaves it out.
                try:
                    others[value.definition["name"]] = convert(
                        value.definition, value.text, self._locale, guild
                    )
                except SlashError:
                    continue
        return await self._places.actor(channel).autocomplete(
            " ".join((line.command["name"], *line.path)),
            typing.definition["name"],
            typing.text,
            options=others,
            channel=channel,
            within=ANSWER_WITHIN,
        )


async def _answered(interaction: Interaction) -> web.Response:
    """Whether the bot answered in time; Discord's client says "the interaction failed" if not."""
    try:
        await interaction.response(ANSWER_WITHIN)
    except TimeoutError:
        return web.json_response({"interaction_id": str(interaction.id), "answered": False})
    return web.json_response({"interaction_id": str(interaction.id), "answered": True})


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "label": suggestion.label,
        "description": suggestion.description,
        "complete": suggestion.complete,
        "pick_on_enter": suggestion.pick_on_enter,
    }
