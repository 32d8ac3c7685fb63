"""Stripe's list endpoints: `{object: "list"}` pages cut by limit, cursors and creation time."""

from __future__ import annotations

import operator

from adapters.standins.stripe.errors import ParamError, no_such
from adapters.standins.stripe.params import Params
from adapters.standins.stripe.state import StripeObject

LIST_PARAMS = ("limit", "starting_after", "ending_before", "created")
DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def page(newest_first: list[StripeObject], params: Params, url: str) -> StripeObject:
    """One page of `newest_first`, as `GET {url}` with these parameters answers."""
    limit = params.integer("limit", minimum=1) or DEFAULT_LIMIT
    if limit > MAX_LIMIT:
        raise ParamError("limit", f"This value must be less than or equal to {MAX_LIMIT}.")
    items = [item for item in newest_first if _created_matches(item["created"], params)]
    after, before = params.text("starting_after"), params.text("ending_before")
    if after and before:
        raise ParamError(
            "starting_after",
            "You may only specify one of these parameters: starting_after, ending_before.",
        )
    if after:
        start = _position(items, after, "starting_after") + 1
        window, has_more = items[start : start + limit], len(items) > start + limit
    elif before:
        end = _position(items, before, "ending_before")
        window, has_more = items[max(0, end - limit) : end], end > limit
    else:
        window, has_more = items[:limit], len(items) > limit
    return {"object": "list", "data": window, "has_more": has_more, "url": url}


def _position(items: list[StripeObject], cursor: str, param: str) -> int:
    for index, item in enumerate(items):
        if item["id"] == cursor:
            return index
    raise no_such("object", cursor, param)


def _created_matches(created: int, params: Params) -> bool:
    if isinstance(params.values.get("created"), str):
        return created == params.integer("created")
    bounds = params.nested("created")
    if bounds is None:
        return True
    bounds.only("gt", "gte", "lt", "lte")
    comparisons = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
    for name, compare in comparisons.items():
        bound = bounds.integer(name)
        if bound is not None and not compare(created, bound):
            return False
    return True
