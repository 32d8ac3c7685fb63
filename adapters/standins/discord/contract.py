"""Discord's OpenAPI description as a contract: request and response bodies checked against it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

JsonPath = tuple[str | int, ...]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


@dataclass(frozen=True)
class Violation:
    """One way a body breaks its schema: where, which rule, and the rule's limit."""

    path: JsonPath
    rule: str
    limit: Any
    value: Any

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.path) or "(body)"
        return f"{where}: breaks {self.rule}={self.limit!r} with {_short(self.value)}"


class SchemaChecker:
    """Checks JSON values against the JSON Schema subset Discord's spec uses."""

    def __init__(self, components: dict[str, Any], *, lenient_numbers: bool) -> None:
        self._schemas: dict[str, Any] = components.get("schemas", {})
        # Discord's API reads "123" where an integer is described, and 123 where a snowflake
        # string is (discord.py sends permissions as strings and mention ids as integers).
        self._lenient = lenient_numbers

    def check(self, schema: dict[str, Any], value: Any, path: JsonPath = ()) -> list[Violation]:
        """Every violation of `schema` by `value`; empty when it conforms."""
        if "$ref" in schema:
            return self.check(self._resolve(schema["$ref"]), value, path)
        for union in ("oneOf", "anyOf"):
            if union in schema:
                found = self._union(schema[union], value, path)
                if found:
                    return found
        found = []
        for part in schema.get("allOf", ()):
            found += self.check(part, value, path)
        if "type" in schema and not self._has_type(schema, value):
            return [*found, Violation(path, "type", schema["type"], value)]
        if "const" in schema and value != schema["const"]:
            found.append(Violation(path, "const", schema["const"], value))
        if "enum" in schema and value not in schema["enum"]:
            found.append(Violation(path, "enum", schema["enum"], value))
        if isinstance(value, str):
            found += self._string(schema, value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found += self._number(schema, value, path)
        elif isinstance(value, list):
            found += self._array(schema, value, path)
        elif isinstance(value, dict):
            found += self._object(schema, value, path)
        return found

    def _resolve(self, ref: str) -> dict[str, Any]:
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise ValueError(f"unsupported reference {ref}")
        resolved: dict[str, Any] = self._schemas[ref.removeprefix(prefix)]
        return resolved

    def _union(self, branches: list[dict[str, Any]], value: Any, path: JsonPath) -> list[Violation]:
        # Discord's spec writes overlapping unions (a thread is also a guild channel) as oneOf,
        # so a value conforms when any branch accepts it.
        attempts = [self.check(branch, value, path) for branch in branches]
        if any(not violations for violations in attempts):
            return []
        if all("const" in branch for branch in branches):
            return [Violation(path, "enum", [branch["const"] for branch in branches], value)]

        # The branch that came closest explains the failure best. A branch the value is not even
        # shaped for (null against an object, another option `type`) explains it worst.
        def distance(violations: list[Violation]) -> tuple[int, int]:
            misfits = [
                v
                for v in violations
                if (v.rule == "type" and v.path == path)
                or (v.rule in ("enum", "const") and len(v.path) <= len(path) + 1)
            ]
            return len(misfits), len(violations)

        return min(attempts, key=distance)

    def _has_type(self, schema: dict[str, Any], value: Any) -> bool:
        declared = schema["type"]
        names = declared if isinstance(declared, list) else [declared]
        return any(self._is(name, value, schema) for name in names)

    def _is(self, name: str, value: Any, schema: dict[str, Any]) -> bool:
        if name == "null":
            return value is None
        if name in ("integer", "number"):
            if isinstance(value, bool):
                return False
            if isinstance(value, int) or (name == "number" and isinstance(value, float)):
                return True
            return self._lenient and isinstance(value, str) and _is_integer_text(value)
        if name == "string" and self._lenient and schema.get("format") == "snowflake":
            return isinstance(value, str) or (isinstance(value, int) and value >= 0)
        return isinstance(value, _JSON_TYPES[name]) and not (
            name != "boolean" and isinstance(value, bool)
        )

    def _string(self, schema: dict[str, Any], value: str, path: JsonPath) -> list[Violation]:
        found = []
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append(Violation(path, "maxLength", schema["maxLength"], value))
        if "minLength" in schema and len(value) < schema["minLength"]:
            found.append(Violation(path, "minLength", schema["minLength"], value))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(Violation(path, "pattern", schema["pattern"], value))
        if schema.get("type") in ("integer", "number") or (
            isinstance(schema.get("type"), list) and "string" not in schema["type"]
        ):
            # A number written as text (accepted leniently): its bounds still apply.
            return found + self._number(schema, int(value), path)
        fmt = schema.get("format")
        if fmt == "date-time" and not _is_datetime(value):
            found.append(Violation(path, "format", fmt, value))
        if fmt == "uri" and not urlsplit(value).scheme:
            found.append(Violation(path, "format", fmt, value))
        return found

    def _number(self, schema: dict[str, Any], value: float, path: JsonPath) -> list[Violation]:
        found = []
        if "maximum" in schema and value > schema["maximum"]:
            found.append(Violation(path, "maximum", schema["maximum"], value))
        if "minimum" in schema and value < schema["minimum"]:
            found.append(Violation(path, "minimum", schema["minimum"], value))
        return found

    def _array(self, schema: dict[str, Any], value: list[Any], path: JsonPath) -> list[Violation]:
        found = []
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append(Violation(path, "maxItems", schema["maxItems"], value))
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(Violation(path, "minItems", schema["minItems"], value))
        if schema.get("uniqueItems"):
            seen = [json.dumps(item, sort_keys=True) for item in value]
            if len(set(seen)) != len(seen):
                found.append(Violation(path, "uniqueItems", True, value))
        if "items" in schema:
            for index, item in enumerate(value):
                found += self.check(schema["items"], item, (*path, index))
        return found

    def _object(
        self, schema: dict[str, Any], value: dict[str, Any], path: JsonPath
    ) -> list[Violation]:
        found = [
            Violation((*path, name), "required", True, None)
            for name in schema.get("required", ())
            if name not in value
        ]
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += self.check(properties[name], item, (*path, name))
            elif extra is False:
                found.append(Violation((*path, name), "additionalProperties", False, item))
            elif isinstance(extra, dict):
                found += self.check(extra, item, (*path, name))
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            found.append(Violation(path, "maxProperties", schema["maxProperties"], value))
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            found.append(Violation(path, "minProperties", schema["minProperties"], value))
        return found


class Contract:
    """The request and response schemas of every route in Discord's OpenAPI description."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._paths: dict[str, Any] = spec["paths"]
        components: dict[str, Any] = spec.get("components", {})
        self._responses: dict[str, Any] = components.get("responses", {})
        self.requests = SchemaChecker(components, lenient_numbers=True)
        self.responses = SchemaChecker(components, lenient_numbers=False)

    @classmethod
    def load(cls, path: Path) -> Contract:
        """Read the spec from a file such as `discord-openapi.json`."""
        spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(spec)

    def covers(self, method: str, route: str) -> bool:
        """Whether the spec describes `method` on `route`, such as `/channels/{channel_id}`."""
        return method.lower() in self._paths.get(route, {})

    def request_schema(self, method: str, route: str) -> dict[str, Any] | None:
        """The JSON schema of the route's request body, if it takes one."""
        operation = self._operation(method, route)
        content = operation.get("requestBody", {}).get("content", {})
        schema: dict[str, Any] | None = content.get("application/json", {}).get("schema")
        return schema

    def response_schema(self, method: str, route: str, status: int) -> dict[str, Any] | None:
        """The JSON schema of the route's answer with that status, if the spec gives one."""
        answers: dict[str, Any] = self._operation(method, route).get("responses", {})
        answer = answers.get(str(status)) or answers.get(f"{status // 100}XX")
        if answer is None:
            return None
        if "$ref" in answer:
            answer = self._responses[answer["$ref"].rsplit("/", 1)[-1]]
        schema: dict[str, Any] | None = (
            answer.get("content", {}).get("application/json", {}).get("schema")
        )
        return schema

    def check_request(self, method: str, route: str, body: Any) -> list[Violation]:
        """How a request body breaks the route's request schema."""
        schema = self.request_schema(method, route)
        return [] if schema is None else self.requests.check(schema, body)

    def check_response(self, method: str, route: str, status: int, body: Any) -> list[Violation]:
        """How a response body breaks the route's response schema for that status."""
        schema = self.response_schema(method, route, status)
        if schema is None:
            return [] if body is None else [Violation((), "undocumented status", status, body)]
        found: list[Violation] = []
        if status >= 400 and isinstance(body, dict) and "errors" in body:
            # Discord's error reference and its live API give field errors string codes
            # ("BASE_TYPE_REQUIRED"), which the preview spec types as integers: the tree of
            # field errors is checked for Discord's documented shape instead.
            found = _check_error_tree(body["errors"], ("errors",))
            body = {key: value for key, value in body.items() if key != "errors"}
        return found + self.responses.check(schema, body)

    def _operation(self, method: str, route: str) -> dict[str, Any]:
        operation: dict[str, Any] | None = self._paths.get(route, {}).get(method.lower())
        if operation is None:
            raise KeyError(f"the spec has no {method} {route}")
        return operation


def _check_error_tree(node: Any, path: JsonPath) -> list[Violation]:
    if not isinstance(node, dict) or not node:
        return [Violation(path, "error tree", "a non-empty object", node)]
    if "_errors" not in node:
        found: list[Violation] = []
        for key, child in node.items():
            found += _check_error_tree(child, (*path, key))
        return found
    errors = node["_errors"]
    shaped = (
        len(node) == 1
        and isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("code"), str)
            and isinstance(e.get("message"), str)
            for e in errors
        )
    )
    return (
        [] if shaped else [Violation((*path, "_errors"), "error tree", "[{code, message}]", errors)]
    )


def _is_integer_text(value: str) -> bool:
    return re.fullmatch(r"-?[0-9]+", value) is not None


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else f"{text[:57]}..."
