"""Each implemented method's parameters as the Bot API lists them, converted to their types.

Telegram ignores parameters it does not know, and so does the stand-in; the names and the
required flags below are checked against the Bot API's spec by the reference tests.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from adapters.standins.telegram.errors import ApiError, bad_request, query_too_old
from adapters.standins.telegram.files import Upload


class Kind(enum.Enum):
    """How a parameter's value is written: the spec's type, as far as reading it goes."""

    INTEGER = "Integer"
    FLOAT = "Float"
    STRING = "String"
    BOOLEAN = "Boolean"
    CHAT_ID = "Integer or String"
    FILE = "InputFile or String"
    JSON = "object or array"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a method."""

    kind: Kind
    required: bool = False


INTEGER = Parameter(Kind.INTEGER)
STRING = Parameter(Kind.STRING)
BOOLEAN = Parameter(Kind.BOOLEAN)
CHAT_ID = Parameter(Kind.CHAT_ID)
FILE = Parameter(Kind.FILE)
JSON = Parameter(Kind.JSON)


def required(parameter: Parameter) -> Parameter:
    """The same parameter, required."""
    return Parameter(parameter.kind, required=True)


_SENDING: Final = {
    "business_connection_id": STRING,
    "chat_id": required(CHAT_ID),
    "message_thread_id": INTEGER,
    "direct_messages_topic_id": INTEGER,
}
_DELIVERY: Final = {
    "disable_notification": BOOLEAN,
    "protect_content": BOOLEAN,
    "allow_paid_broadcast": BOOLEAN,
    "message_effect_id": STRING,
    "suggested_post_parameters": JSON,
    "reply_parameters": JSON,
    "reply_markup": JSON,
}
_EDITED_MESSAGE: Final = {
    "business_connection_id": STRING,
    "chat_id": CHAT_ID,
    "message_id": INTEGER,
    "inline_message_id": STRING,
}
_COMMAND_SCOPE: Final = {"scope": JSON, "language_code": STRING}

METHOD_PARAMETERS: Final[dict[str, dict[str, Parameter]]] = {
    "getMe": {},
    "getUpdates": {
        "offset": INTEGER,
        "limit": INTEGER,
        "timeout": INTEGER,
        "allowed_updates": JSON,
    },
    "setWebhook": {
        "url": required(STRING),
        "certificate": FILE,
        "ip_address": STRING,
        "max_connections": INTEGER,
        "allowed_updates": JSON,
        "drop_pending_updates": BOOLEAN,
        "secret_token": STRING,
    },
    "deleteWebhook": {"drop_pending_updates": BOOLEAN},
    "getWebhookInfo": {},
    "sendMessage": {
        **_SENDING,
        "text": required(STRING),
        "parse_mode": STRING,
        "entities": JSON,
        "link_preview_options": JSON,
        **_DELIVERY,
    },
    "sendPhoto": {
        **_SENDING,
        "photo": required(FILE),
        "caption": STRING,
        "parse_mode": STRING,
        "caption_entities": JSON,
        "show_caption_above_media": BOOLEAN,
        "has_spoiler": BOOLEAN,
        **_DELIVERY,
    },
    "sendDocument": {
        **_SENDING,
        "document": required(FILE),
        "thumbnail": FILE,
        "caption": STRING,
        "parse_mode": STRING,
        "caption_entities": JSON,
        "disable_content_type_detection": BOOLEAN,
        **_DELIVERY,
    },
    "editMessageText": {
        **_EDITED_MESSAGE,
        "text": STRING,
        "parse_mode": STRING,
        "entities": JSON,
        "link_preview_options": JSON,
        "rich_message": JSON,
        "reply_markup": JSON,
    },
    "editMessageCaption": {
        **_EDITED_MESSAGE,
        "caption": STRING,
        "parse_mode": STRING,
        "caption_entities": JSON,
        "show_caption_above_media": BOOLEAN,
        "reply_markup": JSON,
    },
    "editMessageMedia": {**_EDITED_MESSAGE, "media": required(JSON), "reply_markup": JSON},
    "editMessageReplyMarkup": {**_EDITED_MESSAGE, "reply_markup": JSON},
    "deleteMessage": {"chat_id": required(CHAT_ID), "message_id": required(INTEGER)},
    "sendChatAction": {
        "business_connection_id": STRING,
        "chat_id": required(CHAT_ID),
        "message_thread_id": INTEGER,
        "action": required(STRING),
    },
    "answerCallbackQuery": {
        "callback_query_id": required(STRING),
        "text": STRING,
        "show_alert": BOOLEAN,
        "url": STRING,
        "cache_time": INTEGER,
    },
    "answerInlineQuery": {
        "inline_query_id": required(STRING),
        "results": required(JSON),
        "cache_time": INTEGER,
        "is_personal": BOOLEAN,
        "next_offset": STRING,
        "button": JSON,
    },
    "getChat": {"chat_id": required(CHAT_ID)},
    "getChatMember": {"chat_id": required(CHAT_ID), "user_id": required(INTEGER)},
    "setMyCommands": {"commands": required(JSON), **_COMMAND_SCOPE},
    "getMyCommands": _COMMAND_SCOPE,
    "deleteMyCommands": _COMMAND_SCOPE,
    "setMyDescription": {"description": STRING, "language_code": STRING},
    "getMyDescription": {"language_code": STRING},
    "setMyShortDescription": {"short_description": STRING, "language_code": STRING},
    "getMyShortDescription": {"language_code": STRING},
    "getFile": {"file_id": required(STRING)},
}

# Telegram's words for some missing parameters; the rest get a generic sentence.
_MISSING: Final = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "photo": "there is no photo in the request",
    "document": "there is no document in the request",
    "message_id": "message identifier is not specified",
}
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class Arguments:
    """A call's parameters converted to their kinds; a missing required one is refused at once."""

    def __init__(self, method: str, raw: Mapping[str, Any]) -> None:
        self._raw = raw
        self._values: dict[str, Any] = {}
        for name, parameter in METHOD_PARAMETERS[method].items():
            value = raw.get(name)
            if value is None or value == "":
                if parameter.required:
                    raise _missing(name)
                continue
            self._values[name] = _convert(name, parameter.kind, value, raw)

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def string(self, name: str) -> str:
        """A required string parameter."""
        value: str = self._values[name]
        return value

    def optional_string(self, name: str) -> str | None:
        """A string parameter, or None."""
        value: str | None = self._values.get(name)
        return value

    def integer(self, name: str) -> int:
        """A required integer parameter."""
        value: int = self._values[name]
        return value

    def optional_integer(self, name: str) -> int | None:
        """An integer parameter, or None."""
        value: int | None = self._values.get(name)
        return value

    def flag(self, name: str) -> bool:
        """A boolean parameter; absent means False."""
        return bool(self._values.get(name, False))

    def json(self, name: str) -> Any:
        """A JSON-serialized parameter, decoded; None when absent."""
        return self._values.get(name)

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A required chat id: a number, or a public chat's `@username`."""
        value: int | str = self._values[name]
        return value

    def optional_chat_id(self, name: str = "chat_id") -> int | str | None:
        """A chat id, or None."""
        value: int | str | None = self._values.get(name)
        return value

    def file(self, name: str) -> str | Upload:
        """A required file: an uploaded part, or a URL or file id."""
        value: str | Upload = self._values[name]
        return value

    def attached(self, value: Any) -> str | Upload:
        """A file named inside a JSON parameter (an InputMedia's `media`): the part that
        "attach://<name>" names, or a URL or file id."""
        return _file(value, self._raw)


def _missing(name: str) -> ApiError:
    if name in ("callback_query_id", "inline_query_id"):
        return query_too_old()
    return bad_request(_MISSING.get(name, f'parameter "{name}" is required'))


def _convert(name: str, kind: Kind, value: Any, raw: Mapping[str, Any]) -> Any:
    if kind is Kind.FILE:
        return _file(value, raw)
    if isinstance(value, Upload):
        raise bad_request(f'parameter "{name}" must not be a file')
    if kind is Kind.JSON:
        return _decoded(name, value)
    if kind is Kind.BOOLEAN:
        return _boolean(name, value)
    if kind is Kind.STRING:
        if isinstance(value, dict | list | bool):
            raise bad_request(f'parameter "{name}" must be a String')
        return str(value)
    if kind is Kind.CHAT_ID:
        return _chat_id(value)
    return _number(name, kind, value)


def _file(value: Any, raw: Mapping[str, Any]) -> str | Upload:
    if isinstance(value, str) and value.startswith("attach://"):
        value = raw.get(value.removeprefix("attach://"))
    if isinstance(value, Upload | str) and value:
        return value
    raise bad_request("wrong file identifier/HTTP URL specified")


def _decoded(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {name} JSON object") from None


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise bad_request(f'parameter "{name}" must be a Boolean')


def _chat_id(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith("@") and len(text) > 1:
        return text
    try:
        return int(text)
    except ValueError:
        raise bad_request("chat not found") from None


def _number(name: str, kind: Kind, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise bad_request(f'parameter "{name}" must be an {kind.value}')
    try:
        return int(value) if kind is Kind.INTEGER else float(value)
    except ValueError:
        raise bad_request(f'parameter "{name}" must be an {kind.value}') from None
