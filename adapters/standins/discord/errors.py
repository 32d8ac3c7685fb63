"""Discord's API errors: raised by the stand-in's handlers, answered in Discord's JSON shape."""

from __future__ import annotations

from typing import Any

from adapters.standins.discord.contract import JsonPath, Violation


class DiscordError(Exception):
    """An API error as Discord reports it: an HTTP status, a code and a message."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The JSON body Discord answers with."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


class FormErrors:
    """Collects field errors into Discord's nested `errors` tree for a 50035 Invalid Form Body."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: JsonPath, code: str, message: str) -> None:
        """Record an error at a field, such as ("embeds", 0, "title")."""
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_long(self, path: JsonPath, limit: int) -> None:
        """A text or a list longer than Discord allows."""
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: JsonPath, low: int, high: int) -> None:
        """A text whose length is outside Discord's bounds."""
        self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, path: JsonPath) -> None:
        """A missing field."""
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def wrong_type(self, path: JsonPath, expected: str, value: Any) -> None:
        """A value of the wrong JSON type."""
        self.add(
            path,
            _TYPE_CODES.get(expected, "BASE_TYPE_INVALID"),
            f"Value {value!r} is not {expected}.",
        )

    def raise_if_any(self) -> None:
        """Raise the 50035 error when anything was recorded."""
        if self.tree:
            raise invalid_form(self.tree)


def invalid_form(errors: dict[str, Any]) -> DiscordError:
    """Discord's answer to a body that failed validation."""
    return DiscordError(400, 50035, "Invalid Form Body", errors)


def from_violations(violations: list[Violation]) -> DiscordError:
    """A 50035 error naming each field that broke the spec's request schema."""
    form = FormErrors()
    for violation in violations:
        code, message = _describe(violation)
        form.add(violation.path, code, message)
    return invalid_form(form.tree)


def unauthorized() -> DiscordError:
    """A missing or wrong bot token."""
    return DiscordError(401, 0, "401: Unauthorized")


def unknown(what: str, code: int) -> DiscordError:
    """A 404 for an object that does not exist, such as `unknown("Channel", 10003)`."""
    return DiscordError(404, code, f"Unknown {what}")


def missing_access() -> DiscordError:
    """The bot cannot see the resource at all."""
    return DiscordError(403, 50001, "Missing Access")


def missing_permissions() -> DiscordError:
    """The bot sees the resource but lacks a permission the action needs."""
    return DiscordError(403, 50013, "Missing Permissions")


_TYPE_CODES = {
    "string": "BASE_TYPE_STRING",
    "integer": "NUMBER_TYPE_COERCE",
    "number": "NUMBER_TYPE_COERCE",
    "boolean": "BASE_TYPE_BOOLEAN",
    "array": "BASE_TYPE_LIST",
    "object": "DICT_TYPE_CONVERT",
}


def _describe(violation: Violation) -> tuple[str, str]:
    limit = violation.limit
    match violation.rule:
        case "maxLength" | "maxItems":
            return "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
        case "minLength" | "minItems":
            return "BASE_TYPE_MIN_LENGTH", f"Must be {limit} or more in length."
        case "required":
            return "BASE_TYPE_REQUIRED", "This field is required"
        case "maximum":
            return "NUMBER_TYPE_MAX", f"Value should be less than or equal to {limit}."
        case "minimum":
            return "NUMBER_TYPE_MIN", f"Value should be greater than or equal to {limit}."
        case "enum" | "const":
            return "ENUM_TYPE_COERCE", f"Value {violation.value!r} is not a valid enum value."
        case "type":
            expected = limit[0] if isinstance(limit, list) else limit
            return _TYPE_CODES.get(expected, "BASE_TYPE_INVALID"), f"Value is not {expected}."
        case _:
            return "BASE_TYPE_INVALID", f"Value does not satisfy {violation.rule}."
