"""A faithful, stateful local Discord (REST API and gateway) for tests and the sandbox."""

from adapters.standins.discord.contract import Contract
from adapters.standins.discord.events import EventStream, StandinEvent
from adapters.standins.discord.interactions import Interaction
from adapters.standins.discord.invocations import ActionRefused
from adapters.standins.discord.people import DirectMessages, Member
from adapters.standins.discord.pointing import pointed_at
from adapters.standins.discord.records import Channel, Guild, Message, Overwrite, Pings, Role, User
from adapters.standins.discord.standin import DiscordStandin

__all__ = [
    "ActionRefused",
    "Channel",
    "Contract",
    "DirectMessages",
    "DiscordStandin",
    "EventStream",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "Overwrite",
    "Pings",
    "Role",
    "StandinEvent",
    "User",
    "pointed_at",
]
