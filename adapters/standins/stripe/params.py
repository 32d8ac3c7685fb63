"""A request's decoded parameters, read with the validation errors Stripe gives."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from adapters.standins.stripe.errors import ParamError

_INTEGER = re.compile(r"-?\d+")
METADATA_KEYS = 50
METADATA_KEY_LENGTH = 40
METADATA_VALUE_LENGTH = 500


class Params:
    """Decoded parameters (or one nested hash of them), named as Stripe names them in errors."""

    def __init__(self, values: dict[str, Any], prefix: str = "") -> None:
        self.values = values
        self.prefix = prefix

    def name(self, key: str) -> str:
        """The full bracketed name of a key, as errors report it."""
        return f"{self.prefix}[{key}]" if self.prefix else key

    def only(self, *allowed: str) -> None:
        """Reject any key outside `allowed` (and `expand`), as Stripe rejects unknown ones."""
        for key in self.values:
            if key not in allowed and not (key == "expand" and not self.prefix):
                raise ParamError(
                    self.name(key),
                    f"Received unknown parameter: {self.name(key)}",
                    code="parameter_unknown",
                )

    def has(self, key: str) -> bool:
        """Whether the request carries `key`."""
        return key in self.values

    def text(self, key: str, *, max_length: int | None = None) -> str | None:
        """A string, if given."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ParamError(self.name(key), f"Invalid string: {self.name(key)} is not a string")
        if max_length is not None and len(value) > max_length:
            raise ParamError(
                self.name(key),
                f"{self.name(key)} must be at most {max_length} characters long",
                code="string_too_long",
            )
        return value

    def required_text(self, key: str, *, max_length: int | None = None) -> str:
        """A string that must be given and not empty."""
        value = self.text(key, max_length=max_length)
        if not value:
            raise self.missing(key)
        return value

    def choice(self, key: str, options: Sequence[str]) -> str | None:
        """One of `options`, if given."""
        value = self.text(key)
        if value is not None and value not in options:
            raise ParamError(
                self.name(key),
                f"Invalid {self.name(key)}: must be one of {', '.join(options)}",
            )
        return value

    def url(self, key: str) -> str | None:
        """An absolute http(s) URL, if given."""
        value = self.text(key, max_length=5000)
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ParamError(self.name(key), "Not a valid URL", code="url_invalid")
        return value

    def integer(self, key: str, *, minimum: int | None = None) -> int | None:
        """An integer, if given, no smaller than `minimum`."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not _INTEGER.fullmatch(value):
            raise ParamError(
                self.name(key), f"Invalid integer: {value}", code="parameter_invalid_integer"
            )
        number = int(value)
        if minimum is not None and number < minimum:
            raise ParamError(
                self.name(key), f"This value must be greater than or equal to {minimum}."
            )
        return number

    def required_integer(self, key: str, *, minimum: int | None = None) -> int:
        """An integer that must be given."""
        value = self.integer(key, minimum=minimum)
        if value is None:
            raise self.missing(key)
        return value

    def boolean(self, key: str) -> bool | None:
        """`true` or `false`, if given."""
        value = self.values.get(key)
        if value is None:
            return None
        if value not in ("true", "false"):
            raise ParamError(self.name(key), f"Invalid boolean: {value}")
        return bool(value == "true")

    def nested(self, key: str) -> Params | None:
        """A hash of parameters, if given."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ParamError(self.name(key), f"Invalid hash: {self.name(key)} must be a hash")
        return Params(value, self.name(key))

    def required_nested(self, key: str) -> Params:
        """A hash of parameters that must be given."""
        value = self.nested(key)
        if value is None:
            raise self.missing(key)
        return value

    def hashes(self, key: str) -> list[Params]:
        """An array of hashes, or an empty list."""
        value = self.values.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ParamError(self.name(key), f"Invalid array: {self.name(key)} must be an array")
        return [Params(item, f"{self.name(key)}[{index}]") for index, item in enumerate(value)]

    def strings(self, key: str) -> list[str] | None:
        """An array of strings, if given."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ParamError(self.name(key), f"Invalid array: {self.name(key)} must be an array")
        return list(value)

    def metadata(self, key: str = "metadata") -> dict[str, str]:
        """Metadata within Stripe's limits; empty values are dropped, as Stripe unsets them."""
        hash_ = self.nested(key)
        if hash_ is None:
            return {}
        if len(hash_.values) > METADATA_KEYS:
            raise ParamError(
                hash_.prefix,
                f"Invalid {hash_.prefix}: can have up to {METADATA_KEYS} keys, "
                f"but {len(hash_.values)} were given",
            )
        metadata: dict[str, str] = {}
        for name in hash_.values:
            if len(name) > METADATA_KEY_LENGTH:
                raise ParamError(
                    hash_.name(name),
                    f"Metadata keys must be at most {METADATA_KEY_LENGTH} characters long",
                )
            value = hash_.text(name)
            if value and len(value) > METADATA_VALUE_LENGTH:
                raise ParamError(
                    hash_.name(name),
                    f"Metadata values must be at most {METADATA_VALUE_LENGTH} characters long",
                )
            if value:
                metadata[name] = value
        return metadata

    def expand(self) -> list[str]:
        """The paths the caller wants expanded."""
        return self.strings("expand") or []

    def missing(self, key: str) -> ParamError:
        """The error for a required parameter that is absent."""
        return ParamError(
            self.name(key), f"Missing required param: {self.name(key)}.", code="parameter_missing"
        )
