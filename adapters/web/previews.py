"""Requests that only look at a link (chat apps unfurling it, HEAD requests) never act on it."""

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


def only_looking(request: web.Request) -> bool:
    """Whether the request only looks at a link (a preview, a HEAD) instead of following it."""
    # aiohttp answers HEAD with each GET route's handler: only a person's GET may act.
    return request.method != "GET" or is_link_preview(request)
