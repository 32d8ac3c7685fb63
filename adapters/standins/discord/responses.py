"""The bot's answers to interactions: callbacks, follow-ups, and edits of what it posted."""

from __future__ import annotations

from typing import Any

from adapters.standins.discord import payloads
from adapters.standins.discord.command_rules import check_choice_value
from adapters.standins.discord.components import check_modal
from adapters.standins.discord.errors import FormErrors, invalid_form, unknown
from adapters.standins.discord.events import StandinEvent
from adapters.standins.discord.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    Interaction,
    InteractionBook,
)
from adapters.standins.discord.messages import Draft, compose, read_draft, revise
from adapters.standins.discord.records import EPHEMERAL, LOADING, Message
from adapters.standins.discord.world import World
from adapters.standins.snapshots import snapshot

# Which answers each kind of interaction accepts.
_ALLOWED = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    },
}
_UPDATES = {DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE}
# Messages answering a slash command are typed CHAT_INPUT_COMMAND; others are plain.
_CHAT_INPUT_COMMAND = 20


class Responder:
    """Applies the bot's interaction callbacks and webhook calls to the world."""

    def __init__(self, world: World, book: InteractionBook) -> None:
        self.world = world
        self.book = book

    def callback(
        self, interaction_id: int, token: str, body: Any, *, with_response: bool
    ) -> dict[str, Any] | None:
        """`POST /interactions/{id}/{token}/callback`: the bot's one answer to an interaction."""
        interaction = self.book.for_callback(interaction_id, token)
        kind = body.get("type") if isinstance(body, dict) else None
        allowed = set(_ALLOWED.get(interaction.type, ()))
        if interaction.source is None:
            # Only a message the component sat on can be updated.
            allowed -= _UPDATES
        if kind not in allowed:
            form = FormErrors()
            form.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Callback type {kind!r} does not answer this interaction.",
            )
            raise invalid_form(form.tree)
        assert isinstance(body, dict)
        data = body.get("data")
        message = self._apply(interaction, kind, data)
        interaction.callback = snapshot(body)
        interaction.acknowledged_after = self.book.clock() - interaction.dispatched_at
        interaction.original = message
        self.world.events.publish(
            StandinEvent(
                "interaction_answered",
                interaction.channel.id,
                interaction.channel.guild_id,
                interaction=interaction.payload,
                callback=interaction.callback,
            )
        )
        interaction.changed()
        if not with_response:
            return None
        return _callback_response(interaction, kind, message)

    def follow_up(
        self, application_id: int, token: str, body: Any, *, wait: bool
    ) -> dict[str, Any] | None:
        """`POST /webhooks/{application_id}/{token}`: a follow-up message."""
        interaction = self._interaction(application_id, token)
        draft = read_draft(body, ephemeral_allowed=True)
        original = interaction.original
        if original is not None and original.flags & LOADING:
            # The first follow-up after a deferral takes the place of "is thinking...".
            revise(self.world, original, draft, finishes_loading=True)
            self.world.edited(original)
            message = original
        else:
            message = self._post(interaction, draft)
        interaction.followup_messages.append(message)
        interaction.changed()
        return message.payload if wait else None

    def get(self, application_id: int, token: str, reference: str) -> dict[str, Any]:
        """`GET /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        interaction = self._interaction(application_id, token)
        return self._target(interaction, reference).payload

    def edit(self, application_id: int, token: str, reference: str, body: Any) -> dict[str, Any]:
        """`PATCH /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        interaction = self._interaction(application_id, token)
        message = self._target(interaction, reference)
        draft = read_draft(body, ephemeral_allowed=False, partial=True)
        revise(self.world, message, draft, finishes_loading=bool(message.flags & LOADING))
        self.world.edited(message)
        interaction.changed()
        return message.payload

    def delete(self, application_id: int, token: str, reference: str) -> None:
        """`DELETE /webhooks/{application_id}/{token}/messages/{@original|id}`."""
        interaction = self._interaction(application_id, token)
        self.world.delete(self._target(interaction, reference))
        interaction.changed()

    def _interaction(self, application_id: int, token: str) -> Interaction:
        return self.book.for_webhook(application_id, token, self.world.application.id)

    def _apply(self, interaction: Interaction, kind: int, data: Any) -> Message | None:
        if kind == CHANNEL_MESSAGE:
            return self._post(interaction, read_draft(data, ephemeral_allowed=True))
        if kind == DEFERRED_CHANNEL_MESSAGE:
            flags = data.get("flags") if isinstance(data, dict) else None
            thinking = Draft(
                {"content": "", "flags": flags & EPHEMERAL if isinstance(flags, int) else 0}
            )
            return self._post(interaction, thinking, loading=True)
        if kind == UPDATE_MESSAGE:
            assert interaction.source is not None
            revise(
                self.world,
                interaction.source,
                read_draft(data, ephemeral_allowed=False, partial=True),
            )
            self.world.edited(interaction.source)
        elif kind == AUTOCOMPLETE_RESULT:
            _check_choices(interaction, data)
        elif kind == MODAL:
            form = FormErrors()
            check_modal(form, data)
            form.raise_if_any()
        return interaction.source if kind in _UPDATES else None

    def _post(self, interaction: Interaction, draft: Draft, *, loading: bool = False) -> Message:
        ephemeral = bool(draft.flags & EPHEMERAL)
        message = compose(
            self.world,
            interaction.channel,
            draft,
            author=self.world.bot,
            message_type=_CHAT_INPUT_COMMAND if _from_command(interaction) else 0,
            extra=self._interaction_fields(interaction),
            visible_to=interaction.user.id if ephemeral else None,
            interaction_id=interaction.id,
        )
        if loading:
            message.payload["flags"] |= LOADING
        self.world.post(message)
        return message

    def _interaction_fields(self, interaction: Interaction) -> dict[str, Any]:
        application = str(self.world.application.id)
        fields: dict[str, Any] = {
            "application_id": application,
            "webhook_id": application,
            "interaction_metadata": _metadata(interaction),
        }
        if interaction.type == APPLICATION_COMMAND:
            fields["interaction"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "name": interaction.payload["data"]["name"],
                "user": payloads.user_object(interaction.user),
            }
        return fields

    def _target(self, interaction: Interaction, reference: str) -> Message:
        if reference == "@original":
            found = interaction.original
        else:
            wanted = int(reference) if reference.isdigit() else -1
            found = next((m for m in interaction.messages() if m.id == wanted), None)
        if found is None or found.deleted:
            raise unknown("Message", 10008)
        return found


def _metadata(interaction: Interaction) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "id": str(interaction.id),
        "type": interaction.type,
        "user": payloads.user_object(interaction.user),
        "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
    }
    if interaction.source is not None and interaction.type == MESSAGE_COMPONENT:
        metadata["interacted_message_id"] = str(interaction.source.id)
    if interaction.opener is not None:
        metadata["triggering_interaction_metadata"] = _metadata(interaction.opener)
    return metadata


def _from_command(interaction: Interaction) -> bool:
    return interaction.type == APPLICATION_COMMAND or (
        interaction.type == MODAL_SUBMIT and interaction.source is None
    )


def _check_choices(interaction: Interaction, data: Any) -> None:
    form = FormErrors()
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        form.required(("data", "choices"))
        raise invalid_form(form.tree)
    if len(choices) > 25:
        form.too_long(("data", "choices"), 25)
    kind = _focused_type(interaction.payload["data"].get("options") or [])
    for index, choice in enumerate(choices):
        path = ("data", "choices", index)
        name = choice.get("name") if isinstance(choice, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            form.length_between((*path, "name"), 1, 100)
        if not isinstance(choice, dict) or not check_choice_value(choice.get("value"), kind):
            form.add(
                (*path, "value"),
                "APPLICATION_COMMAND_OPTION_CHOICE_VALUE_INVALID",
                "Choice value does not match the option type.",
            )
    form.raise_if_any()


def _focused_type(options: list[dict[str, Any]]) -> int:
    for option in options:
        if option.get("focused"):
            kind: int = option["type"]
            return kind
        inner = _focused_type(option.get("options") or [])
        if inner:
            return inner
    return 0


def _callback_response(
    interaction: Interaction, kind: int, message: Message | None
) -> dict[str, Any]:
    summary: dict[str, Any] = {"id": str(interaction.id), "type": interaction.type}
    answer: dict[str, Any] = {"interaction": summary}
    if message is not None:
        summary.update(
            response_message_id=str(message.id),
            response_message_loading=bool(message.flags & LOADING),
            response_message_ephemeral=message.ephemeral,
        )
        # Discord describes the message itself only when the answer made or changed it.
        if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            answer["resource"] = {"type": kind, "message": message.payload}
    return answer
