"""Embeds: Discord's limits on what a bot sends, and the shape Discord gives them back in."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from adapters.standins.discord.contract import JsonPath
from adapters.standins.discord.errors import FormErrors
from adapters.standins.discord.snowflakes import timestamp

MAX_EMBEDS = 10
MAX_FIELDS = 25
# Characters counted across every embed of one message.
MAX_TOTAL = 6000
_TEXT_LIMITS = {"title": 256, "description": 4096}
_URL_SCHEMES = ("http", "https")
# Images may also name a file uploaded with the message.
_IMAGE_SCHEMES = ("http", "https", "attachment")


def check_embeds(form: FormErrors, embeds: Any, path: JsonPath = ("embeds",)) -> None:
    """Record every way `embeds` breaks Discord's embed limits."""
    if embeds is None:
        return
    if not isinstance(embeds, list):
        form.wrong_type(path, "array", embeds)
        return
    if len(embeds) > MAX_EMBEDS:
        form.too_long(path, MAX_EMBEDS)
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            form.wrong_type((*path, index), "object", embed)
            continue
        total += _check_embed(form, embed, (*path, index))
    if total > MAX_TOTAL:
        form.add(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_TOTAL}")


def render_embeds(embeds: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The embeds as Discord returns them: nulls dropped, defaults filled, images proxied."""
    return [_render(embed) for embed in embeds or ()]


def _check_embed(form: FormErrors, embed: dict[str, Any], path: JsonPath) -> int:
    size = 0
    for name, limit in _TEXT_LIMITS.items():
        size += _text(form, embed.get(name), (*path, name), limit)
    for name, limit in (("footer", 2048), ("author", 256)):
        part = embed.get(name)
        key = "text" if name == "footer" else "name"
        if isinstance(part, dict):
            if part.get(key) in (None, ""):
                form.required((*path, name, key))
            size += _text(form, part.get(key), (*path, name, key), limit)
            _url(form, part.get("icon_url"), (*path, name, "icon_url"), _IMAGE_SCHEMES)
    _url(form, embed.get("url"), (*path, "url"), _URL_SCHEMES)
    for name in ("image", "thumbnail"):
        part = embed.get(name)
        if isinstance(part, dict):
            _url(form, part.get("url"), (*path, name, "url"), _IMAGE_SCHEMES)
    color = embed.get("color")
    if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
        form.add(
            (*path, "color"), "NUMBER_TYPE_MAX", "Value should be less than or equal to 16777215."
        )
    moment = embed.get("timestamp")
    if moment is not None and _parse_time(moment) is None:
        form.add((*path, "timestamp"), "DATE_TYPE_PARSE", f"Could not parse {moment}.")
    return size + _check_fields(form, embed.get("fields"), (*path, "fields"))


def _check_fields(form: FormErrors, fields: Any, path: JsonPath) -> int:
    if fields is None:
        return 0
    if not isinstance(fields, list):
        form.wrong_type(path, "array", fields)
        return 0
    if len(fields) > MAX_FIELDS:
        form.too_long(path, MAX_FIELDS)
    size = 0
    for index, field in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            value = field.get(key) if isinstance(field, dict) else None
            if value in (None, ""):
                form.required((*path, index, key))
            size += _text(form, value, (*path, index, key), limit)
    return size


def _text(form: FormErrors, value: Any, path: JsonPath, limit: int) -> int:
    if value is None:
        return 0
    if not isinstance(value, str):
        form.wrong_type(path, "string", value)
        return 0
    if len(value) > limit:
        form.too_long(path, limit)
    return len(value)


def _url(form: FormErrors, value: Any, path: JsonPath, schemes: tuple[str, ...]) -> None:
    if value is None:
        return
    scheme = urlsplit(value).scheme if isinstance(value, str) else ""
    if scheme not in schemes:
        form.add(
            path,
            "URL_TYPE_INVALID_SCHEME",
            f"Scheme {scheme!r} is not supported. Scheme must be one of {schemes}.",
        )


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _render(embed: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {"type": embed.get("type") or "rich"}
    for key in ("url", "title", "description", "color"):
        if embed.get(key) is not None:
            rendered[key] = embed[key]
    moment = _parse_time(embed.get("timestamp"))
    if moment is not None:
        rendered["timestamp"] = timestamp(moment)
    if embed.get("fields"):
        rendered["fields"] = [
            {"name": f["name"], "value": f["value"], "inline": bool(f.get("inline"))}
            for f in embed["fields"]
        ]
    for key in ("footer", "author", "provider"):
        part = embed.get(key)
        if isinstance(part, dict):
            rendered[key] = _proxied({k: v for k, v in part.items() if v is not None}, "icon_url")
    for key in ("image", "thumbnail"):
        part = embed.get(key)
        if isinstance(part, dict) and part.get("url"):
            rendered[key] = _proxied({"url": part["url"]}, "url")
    return rendered


def _proxied(part: dict[str, Any], key: str) -> dict[str, Any]:
    # Discord serves every embedded image through its media proxy.
    if key in part:
        address = urlsplit(part[key])
        part[f"proxy_{key}"] = (
            f"https://media.discordapp.net/external/{address.netloc}{address.path}"
        )
    return part
