"""`expand[]`: ids in a response replaced by the objects they name, up to four levels deep."""

from __future__ import annotations

from collections.abc import Callable

from adapters.standins.snapshots import snapshot
from adapters.standins.stripe.errors import ParamError
from adapters.standins.stripe.state import StripeObject

EXPANDABLE = frozenset(
    {
        "customer",
        "payment_intent",
        "setup_intent",
        "payment_method",
        "latest_charge",
        "charge",
        "transfer",
        "application_fee",
    }
)
MAX_DEPTH = 4


def expand(
    obj: StripeObject, paths: list[str], find: Callable[[str], StripeObject | None]
) -> StripeObject:
    """A copy of `obj` with each dotted path in `paths` expanded."""
    result = snapshot(obj)
    for path in paths:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH:
            raise ParamError(
                "expand",
                f"You cannot expand more than {MAX_DEPTH} levels of a property. Property: {path}",
            )
        _expand(result, parts, path, find)
    return result


def _expand(
    node: StripeObject,
    parts: list[str],
    path: str,
    find: Callable[[str], StripeObject | None],
) -> None:
    head, rest = parts[0], parts[1:]
    if node.get("object") == "list" and head == "data" and rest:
        for item in node["data"]:
            _expand(item, rest, path, find)
        return
    value = node.get(head)
    if isinstance(value, str) and head in EXPANDABLE:
        target = find(value)
        if target is not None:
            node[head] = value = snapshot(target)
    if value is None and head in node:
        return
    if not isinstance(value, dict) or head not in EXPANDABLE:
        raise ParamError("expand", f"This property cannot be expanded ({path}).")
    if rest:
        _expand(value, rest, path, find)
