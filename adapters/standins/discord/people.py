"""People acting in Discord's client: commands, buttons, selects and modals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.standins.discord import payloads
from adapters.standins.discord.commands import CommandRegistry
from adapters.standins.discord.components import BUTTON, LABEL, SELECTS, STRING_SELECT, TEXT_INPUT
from adapters.standins.discord.events import StandinEvent
from adapters.standins.discord.gateway import Gateway
from adapters.standins.discord.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Interaction,
    InteractionBook,
)
from adapters.standins.discord.invocations import (
    ActionRefused,
    Place,
    check_may_use,
    command_data,
    interaction_payload,
)
from adapters.standins.discord.records import Channel, Guild, Message, Role, User
from adapters.standins.discord.world import World
from adapters.standins.snapshots import snapshot


class Dispatcher:
    """Turns a person's action into an INTERACTION_CREATE sent to the bot's gateway sessions."""

    def __init__(
        self, world: World, commands: CommandRegistry, book: InteractionBook, gateway: Gateway
    ) -> None:
        self.world = world
        self.commands = commands
        self.book = book
        self.gateway = gateway

    def dispatch(
        self,
        place: Place,
        kind: int,
        data: dict[str, Any],
        *,
        source: Message | None = None,
        opener: Interaction | None = None,
    ) -> Interaction:
        """Send the interaction to the bot and start its 3-second clock."""
        if not self.gateway.sessions:
            # Discord shows "This interaction failed" when no session can receive it.
            raise ActionRefused("no gateway session of the bot is open to receive interactions")
        interaction_id = self.world.ids.next()
        payload = interaction_payload(
            self.world,
            place,
            interaction_id=interaction_id,
            token=self.book.new_token(interaction_id),
            kind=kind,
            data=data,
        )
        if source is not None:
            payload["message"] = snapshot(source.payload)
        interaction = Interaction(
            payload=payload,
            channel=place.channel,
            user=place.user,
            source=source,
            dispatched_at=self.book.clock(),
            changed=self.world.events.changed,
            opener=opener,
        )
        self.book.add(interaction)
        guild_id = place.guild.id if place.guild else None
        self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        self.world.events.publish(
            StandinEvent("interaction_dispatched", place.channel.id, guild_id, interaction=payload)
        )
        return interaction


class Actor:
    """A person in one place: a server (as a member) or their DM with the bot."""

    def __init__(
        self, dispatcher: Dispatcher, user: User, guild: Guild | None, channel: Channel
    ) -> None:
        self._dispatcher = dispatcher
        self.user = user
        self.guild = guild
        self.channel = channel

    async def slash(
        self,
        command: str,
        *subcommand_path: str,
        options: Mapping[str, Any] | None = None,
        channel: Channel | None = None,
    ) -> Interaction:
        """Run `/command [group] [subcommand]` with options; `command` may hold the whole path."""
        place = self._place(channel)
        name, *path = command.split()
        found = self._command(name)
        check_may_use(place, found)
        data = command_data(
            self._dispatcher.world, place, found, [*path, *subcommand_path], options or {}
        )
        return self._dispatcher.dispatch(place, APPLICATION_COMMAND, data)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str,
        *,
        options: Mapping[str, Any] | None = None,
        channel: Channel | None = None,
        within: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Type `typed` into an option and read the choices the bot suggests."""
        place = self._place(channel)
        name, *path = command.split()
        found = self._command(name)
        check_may_use(place, found)
        data = command_data(
            self._dispatcher.world, place, found, path, options or {}, focused=(option, typed)
        )
        interaction = self._dispatcher.dispatch(place, AUTOCOMPLETE, data)
        answer = await interaction.response(within)
        choices: list[dict[str, Any]] = answer["data"]["choices"]
        return choices

    async def press(self, message: Message, custom_id: str) -> Interaction:
        """Press the button with that custom_id on a message."""
        button = self._component(message, custom_id)
        if button["type"] != BUTTON or button.get("style") == 5:
            raise ActionRefused(f"{custom_id!r} is not a button that sends an interaction")
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return self._dispatcher.dispatch(
            self._place(self._channel_of(message)), MESSAGE_COMPONENT, data, source=message
        )

    async def select(self, message: Message, custom_id: str, values: Sequence[Any]) -> Interaction:
        """Pick values in a select: option values, or the users, roles or channels offered."""
        select = self._component(message, custom_id)
        kind = select["type"]
        if kind not in SELECTS:
            raise ActionRefused(f"{custom_id!r} is not a select")
        low, high = select.get("min_values", 1), select.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ActionRefused(f"{custom_id!r} takes {low} to {high} values, not {len(values)}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == STRING_SELECT:
            offered = [option["value"] for option in select["options"]]
            if not set(values) <= set(offered):
                raise ActionRefused(f"{custom_id!r} offers {offered}, not {list(values)}")
            data["values"] = list(values)
        else:
            data["values"], data["resolved"] = _entities(values)
        return self._dispatcher.dispatch(
            self._place(self._channel_of(message)), MESSAGE_COMPONENT, data, source=message
        )

    async def submit_modal(
        self,
        opened: Interaction | str,
        values: Mapping[str, str | Sequence[str]],
        *,
        within: float = 5.0,
    ) -> Interaction:
        """Submit the modal the bot opened for `opened` (or the latest with that custom_id)."""
        if isinstance(opened, str):
            found = self._dispatcher.book.opened_modal(self.user.id, opened)
            if found is None:
                raise ActionRefused(f"the bot never opened a modal {opened!r} for {self.user.name}")
            opened = found
        await opened.response(within)
        modal = opened.modal
        if modal is None:
            raise ActionRefused(f"the bot answered interaction {opened.id} without a modal")
        data = {"custom_id": modal["custom_id"], "components": _modal_answers(modal, dict(values))}
        place = self._place(opened.channel)
        return self._dispatcher.dispatch(
            place, MODAL_SUBMIT, data, source=opened.source, opener=opened
        )

    def _place(self, channel: Channel | None) -> Place:
        return Place(self.user, channel or self.channel, self.guild)

    def _command(self, name: str) -> Any:
        guild_id = self.guild.id if self.guild else None
        found = self._dispatcher.commands.find(name, guild_id=guild_id, locale=self.user.locale)
        if found is None:
            raise ActionRefused(f"no slash command /{name} is synced where {self.user.name} is")
        return found

    def _channel_of(self, message: Message) -> Channel:
        return self._dispatcher.world.channel(message.channel_id)

    def _component(self, message: Message, custom_id: str) -> dict[str, Any]:
        if message.deleted:
            raise ActionRefused(f"message {message.id} was deleted")
        if message.visible_to not in (None, self.user.id):
            raise ActionRefused(f"{self.user.name} cannot see ephemeral message {message.id}")
        try:
            component = message.component(custom_id)
        except KeyError as missing:
            raise ActionRefused(str(missing)) from None
        if component.get("disabled"):
            raise ActionRefused(f"{custom_id!r} is disabled")
        return component


class Member(Actor):
    """A person in a server, acting in its channels (by default the first text channel)."""


class DirectMessages(Actor):
    """A person in their DM with the bot."""


def _entities(values: Sequence[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    resolved: dict[str, dict[str, Any]] = {}
    ids = []
    for value in values:
        target = getattr(value, "user", value)
        if isinstance(target, User):
            resolved.setdefault("users", {})[str(target.id)] = payloads.user_object(target)
        elif isinstance(target, Role):
            resolved.setdefault("roles", {})[str(target.id)] = payloads.role_object(target)
        elif isinstance(target, Channel):
            resolved.setdefault("channels", {})[str(target.id)] = payloads.channel_object(
                target, permissions=0
            )
        else:
            raise ActionRefused(f"a select cannot pick {value!r}")
        ids.append(str(target.id))
    return ids, resolved


def _modal_answers(
    modal: dict[str, Any], values: dict[str, str | Sequence[str]]
) -> list[dict[str, Any]]:
    answers = []
    for item in modal["components"]:
        if item["type"] == 1:
            answers.append(
                {"type": 1, "components": [_field_answer(item["components"][0], values)]}
            )
        elif item["type"] == LABEL:
            answers.append({"type": LABEL, "component": _field_answer(item["component"], values)})
    if values:
        raise ActionRefused(f"the modal has no fields {sorted(values)}")
    return answers


def _field_answer(field: dict[str, Any], values: dict[str, str | Sequence[str]]) -> dict[str, Any]:
    custom_id = field["custom_id"]
    if field["type"] == TEXT_INPUT:
        value = values.pop(custom_id, field.get("value") or "")
        if not isinstance(value, str):
            raise ActionRefused(f"{custom_id!r} is a text field")
        low, high = field.get("min_length") or 0, field.get("max_length") or 4000
        if not value and field.get("required", True):
            raise ActionRefused(f"{custom_id!r} is required")
        if value and not low <= len(value) <= high:
            raise ActionRefused(f"{custom_id!r} takes {low} to {high} characters")
        return {"type": TEXT_INPUT, "custom_id": custom_id, "value": value}
    picked = values.pop(custom_id, [])
    chosen = [picked] if isinstance(picked, str) else list(picked)
    return {"type": field["type"], "custom_id": custom_id, "values": chosen}
