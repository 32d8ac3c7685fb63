"""Reply markup: inline keyboards checked as Telegram checks them, and finding a button to press."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from adapters.standins.telegram.errors import bad_request

CALLBACK_DATA_LIMIT = 64
# Each inline button does exactly one of these things.
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_BUTTON_DECORATIONS = ("icon_custom_emoji_id", "style")
_OTHER_MARKUPS = ("keyboard", "remove_keyboard", "force_reply")
_URL_SCHEMES = ("http", "https", "tg")


def reply_markup(markup: Any) -> dict[str, Any] | None:
    """The inline keyboard a message will carry, checked; None for reply keyboards or nothing.

    Reply keyboards, their removal and force-reply change the user's keyboard, not the
    message, so the Message object never shows them.
    """
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return inline_keyboard(markup)
    if any(key in markup for key in _OTHER_MARKUPS):
        return None
    raise bad_request("can't parse reply keyboard markup JSON object")


def inline_keyboard(markup: Any) -> dict[str, Any] | None:
    """An InlineKeyboardMarkup, checked button by button; None when it has no buttons."""
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    checked = [[_button(button) for button in row] for row in rows if row]
    return {"inline_keyboard": checked} if checked else None


def find_button(markup: dict[str, Any] | None, label: str) -> dict[str, Any]:
    """The button whose text, or else whose callback data, is `label`."""
    rows: list[list[dict[str, Any]]] = (markup or {}).get("inline_keyboard", [])
    buttons = [button for row in rows for button in row]
    for key in ("text", "callback_data"):
        for button in buttons:
            if button.get(key) == label:
                return button
    shown = ", ".join(repr(button["text"]) for button in buttons) or "none"
    raise LookupError(f"no button {label!r} on the message; its buttons: {shown}")


def _button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [action for action in BUTTON_ACTIONS if action in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    action = actions[0]
    value = button[action]
    if action == "callback_data" and not _fits_callback_data(value):
        raise bad_request("BUTTON_DATA_INVALID")
    if action == "url" and not _is_button_url(value):
        raise bad_request(f"inline keyboard button URL '{value}' is invalid: Wrong HTTP URL")
    kept = {"text": button["text"], action: value}
    kept.update({key: button[key] for key in _BUTTON_DECORATIONS if key in button})
    return kept


def _fits_callback_data(data: Any) -> bool:
    return isinstance(data, str) and 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT


def _is_button_url(url: Any) -> bool:
    # Telegram also refuses local and private addresses; the stand-in accepts them because the
    # sandbox's pledge links live on localhost.
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in _URL_SCHEMES and (bool(parts.netloc) or parts.scheme == "tg")
