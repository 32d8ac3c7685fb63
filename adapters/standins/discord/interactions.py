"""Dispatched interactions: when and how fast the bot answered, and what it posted."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from typing import Any

from adapters.standins.discord.errors import DiscordError, unknown
from adapters.standins.discord.records import Channel, Message, User
from adapters.standins.events import Signal

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9


class Interaction:
    """One dispatched interaction, and everything the bot did about it."""

    def __init__(
        self,
        *,
        payload: dict[str, Any],
        channel: Channel,
        user: User,
        source: Message | None,
        dispatched_at: float,
        changed: Signal,
        opener: Interaction | None = None,
    ) -> None:
        self.payload = payload
        self.channel = channel
        self.user = user
        # The message whose component was used (for a modal opened from one, that message too).
        self.source = source
        # For a modal submit: the interaction the bot answered by opening the modal.
        self.opener = opener
        self.dispatched_at = dispatched_at
        self.callback: dict[str, Any] | None = None
        self.acknowledged_after: float | None = None
        # Callbacks refused because they came too late (10062) or twice (40060).
        self.refused: list[int] = []
        self.original: Message | None = None
        self.followup_messages: list[Message] = []
        self._changed = changed

    @property
    def id(self) -> int:
        """The interaction's snowflake."""
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        """The token the bot answers with."""
        token: str = self.payload["token"]
        return token

    @property
    def type(self) -> int:
        """2 command, 3 component, 4 autocomplete, 5 modal submit."""
        kind: int = self.payload["type"]
        return kind

    @property
    def ephemeral(self) -> bool:
        """Whether the bot's first answer is seen by this person alone."""
        return self.original is not None and self.original.ephemeral

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened in answer, if it did."""
        if self.callback is None or self.callback.get("type") != MODAL:
            return None
        modal: dict[str, Any] = self.callback["data"]
        return modal

    def messages(self) -> list[Message]:
        """What the bot posted in answer: its first answer, then follow-ups not already it."""
        posted = [] if self.original is None else [self.original]
        return posted + [m for m in self.followup_messages if m is not self.original]

    async def response(self, within: float = 5.0) -> dict[str, Any]:
        """The bot's callback body (`{"type": 4, "data": {...}}`), waiting for it if needed."""
        return await self._changed.until(
            lambda: self.callback, within, f"answer to interaction {self.id}"
        )

    async def followups(self, count: int = 1, within: float = 5.0) -> list[Message]:
        """The bot's follow-up messages once there are at least `count` of them."""

        def enough() -> list[Message] | None:
            return list(self.followup_messages) if len(self.followup_messages) >= count else None

        return await self._changed.until(
            enough, within, f"{count} follow-up(s) to interaction {self.id}"
        )

    async def refusal(self, within: float = 5.0) -> int:
        """The error code of the first callback Discord refused, waiting for one."""
        return await self._changed.until(
            lambda: self.refused[0] if self.refused else None,
            within,
            f"refused callback to {self.id}",
        )

    def changed(self) -> None:
        """Wake whoever waits on this interaction."""
        self._changed.notify()


class InteractionBook:
    """Every interaction by id and by token, with the deadlines Discord puts on answers."""

    def __init__(
        self, *, deadline: float, token_lifetime: float, clock: Callable[[], float]
    ) -> None:
        self.deadline = deadline
        self.token_lifetime = token_lifetime
        self.clock = clock
        self.by_id: dict[int, Interaction] = {}
        self._by_token: dict[str, Interaction] = {}

    @staticmethod
    def new_token(interaction_id: int) -> str:
        """A token shaped like Discord's: base64 of `interaction:<id>:<secret>`."""
        raw = f"interaction:{interaction_id}:{secrets.token_urlsafe(60)}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def add(self, interaction: Interaction) -> None:
        """Remember a dispatched interaction."""
        self.by_id[interaction.id] = interaction
        self._by_token[interaction.token] = interaction

    def for_callback(self, interaction_id: int, token: str) -> Interaction:
        """The interaction a callback names, if it may still be answered; Discord's error if not."""
        interaction = self.by_id.get(interaction_id)
        if interaction is None or interaction.token != token:
            raise unknown("interaction", 10062)
        if interaction.callback is not None:
            interaction.refused.append(40060)
            interaction.changed()
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if self.clock() - interaction.dispatched_at > self.deadline:
            interaction.refused.append(10062)
            interaction.changed()
            raise unknown("interaction", 10062)
        return interaction

    def for_webhook(self, application_id: int, token: str, own_application: int) -> Interaction:
        """The interaction a follow-up or edit names by its token; Discord's error if it cannot."""
        interaction = self._by_token.get(token)
        if application_id != own_application or interaction is None or interaction.callback is None:
            # Until the interaction is acknowledged, its webhook does not exist.
            raise unknown("Webhook", 10015)
        if self.clock() - interaction.dispatched_at > self.token_lifetime:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return interaction

    def opened_modal(self, user_id: int, custom_id: str) -> Interaction | None:
        """The latest interaction of a person that the bot answered with that modal."""
        for interaction in reversed(self.by_id.values()):
            modal = interaction.modal
            if (
                interaction.user.id == user_id
                and modal is not None
                and modal["custom_id"] == custom_id
            ):
                return interaction
        return None

    def acknowledgement_times(self) -> list[float]:
        """How long the bot took to acknowledge each answered interaction, in seconds."""
        return [
            i.acknowledged_after for i in self.by_id.values() if i.acknowledged_after is not None
        ]
