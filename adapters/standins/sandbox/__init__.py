"""The sandbox's chat page: a browser drives the Telegram and Discord stand-ins as one person."""

from adapters.standins.sandbox.routes import (
    Closed,
    NotClosed,
    NotPublished,
    Published,
    sandbox_routes,
)
from adapters.standins.sandbox.world import SandboxWorld, build_world

__all__ = [
    "Closed",
    "NotClosed",
    "NotPublished",
    "Published",
    "SandboxWorld",
    "build_world",
    "sandbox_routes",
]
