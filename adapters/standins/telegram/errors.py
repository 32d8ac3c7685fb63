"""The Bot API's refusals: an HTTP status, Telegram's own description and response parameters."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal, answered as `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class GarbledAnswer(Exception):
    """The call was carried out, but its answer reaches the bot garbled: a 200 with broken JSON."""


def bad_request(reason: str) -> ApiError:
    """A 400, which python-telegram-bot raises as `BadRequest`."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """A 403, which python-telegram-bot raises as `Forbidden`."""
    return ApiError(403, f"Forbidden: {reason}")


def conflict(reason: str) -> ApiError:
    """A 409, which python-telegram-bot raises as `Conflict`."""
    return ApiError(409, f"Conflict: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 with `parameters.retry_after`, which python-telegram-bot raises as `RetryAfter`."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def unauthorized() -> ApiError:
    """The answer to a token Telegram does not know; python-telegram-bot raises `InvalidToken`."""
    return ApiError(401, "Unauthorized")


def method_not_found() -> ApiError:
    """The answer to a method the Bot API does not have."""
    return ApiError(404, "Not Found: method not found")


def query_too_old() -> ApiError:
    """The answer to an unknown, expired or already answered callback or inline query."""
    return bad_request("query is too old and response timeout expired or query ID is invalid")
