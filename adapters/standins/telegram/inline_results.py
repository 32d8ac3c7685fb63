"""Inline query results: checked as Telegram checks answers, and turned into the posted message."""

from __future__ import annotations

from typing import Any

from adapters.standins.telegram.chats import Content
from adapters.standins.telegram.errors import bad_request
from adapters.standins.telegram.files import FileStore
from adapters.standins.telegram.formatting import caption_text, message_text
from adapters.standins.telegram.keyboards import inline_keyboard

RESULTS_LIMIT = 50
RESULT_ID_LIMIT = 64
_REQUIRED_FIELDS = {
    "article": ("title", "input_message_content"),
    "photo": ("photo_url", "thumbnail_url"),
}


def checked_results(results: Any, files: FileStore) -> list[Content | None]:
    """What choosing each result would post; None for kinds the stand-in does not post."""
    if not isinstance(results, list) or not all(isinstance(result, dict) for result in results):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > RESULTS_LIMIT:
        raise bad_request("RESULTS_TOO_MUCH")
    ids = [result.get("id") for result in results]
    for result_id in ids:
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= RESULT_ID_LIMIT:
            raise bad_request("RESULT_ID_INVALID")
    if len(set(ids)) < len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    return [_content(result, files) for result in results]


def _content(result: dict[str, Any], files: FileStore) -> Content | None:
    kind = result.get("type")
    # A photo Telegram already keeps (InlineQueryResultCachedPhoto) is named by its file id.
    cached = kind == "photo" and "photo_file_id" in result
    for name in ("photo_file_id",) if cached else _REQUIRED_FIELDS.get(str(kind), ()):
        if name not in result:
            raise bad_request(f"can't parse inline query result: Can't find field \"{name}\"")
    markup = inline_keyboard(result["reply_markup"]) if "reply_markup" in result else None
    message_content = result.get("input_message_content")
    if isinstance(message_content, dict) and "message_text" in message_content:
        text = message_text(
            str(message_content["message_text"]),
            message_content.get("parse_mode"),
            message_content.get("entities"),
        )
        preview = message_content.get("link_preview_options")
        return Content(text=text, markup=markup, link_preview=preview)
    if kind == "photo" and message_content is None:
        caption = caption_text(
            result.get("caption"), result.get("parse_mode"), result.get("caption_entities")
        )
        photo = files.photo(str(result["photo_file_id" if cached else "photo_url"]))
        return Content(photo=photo, caption=caption, markup=markup)
    return None
