"""Stripe's bracketed form keys (`line_items[0][quantity]`, `expand[]`) as nested values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from adapters.standins.stripe.errors import ParamError

_SUBKEY = re.compile(r"\[([^\[\]]*)\]")


def decode(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Nested dicts and lists from form pairs; numbered keys make lists, except in metadata."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        _put(root, _path(key), value, key)
    return {name: _with_lists(name, child) for name, child in root.items()}


def _path(key: str) -> list[str]:
    head, bracket, _ = key.partition("[")
    if not bracket:
        return [key]
    rest = key[len(head) :]
    subkeys = _SUBKEY.findall(rest)
    if not head or "".join(f"[{subkey}]" for subkey in subkeys) != rest:
        raise ParamError(key, f"Invalid parameter name: {key}")
    return [head, *subkeys]


def _put(node: dict[str, Any], path: list[str], value: str, key: str) -> None:
    for part in path[:-1]:
        child = node.setdefault(part or str(len(node)), {})
        if not isinstance(child, dict):
            raise ParamError(key, f"Invalid hash: {key} mixes a value and nested keys")
        node = child
    last = path[-1] or str(len(node))
    if isinstance(node.get(last), dict):
        raise ParamError(key, f"Invalid hash: {key} mixes a value and nested keys")
    node[last] = value


def _with_lists(name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    children = {key: _with_lists(key, child) for key, child in value.items()}
    # Metadata keys are the caller's own words, even when they happen to be numbers.
    if name != "metadata" and children and all(key.isdigit() for key in children):
        return [children[key] for key in sorted(children, key=int)]
    return children
