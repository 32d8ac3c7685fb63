"""Link-preview fetchers: chat apps unfurl pasted links, and must never start a pledge."""

from __future__ import annotations

from aiohttp import web

PREVIEW_AGENTS = (
    "telegrambot",
    "discordbot",
    "slackbot",
    "slack-imgproxy",
    "facebookexternalhit",
    "twitterbot",
    "whatsapp",
    "linkedinbot",
    "skypeuripreview",
    "mastodon",
    "iframely",
    "embedly",
    "googlebot",
    "bingbot",
)


def is_link_preview(request: web.Request) -> bool:
    """Whether the request comes from an unfurler rather than a person's browser."""
    agent = request.headers.get("User-Agent", "").lower()
    return any(name in agent for name in PREVIEW_AGENTS)
