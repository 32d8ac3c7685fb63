"""Decoding Stripe's bracketed form keys exactly as the stripe library encodes them."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stripe._encode import _api_encode

from adapters.standins.stripe.errors import ParamError
from adapters.standins.stripe.forms import decode


def encoded(params: dict[str, Any]) -> list[tuple[str, str]]:
    """What the stand-in receives for `params`: the library's own encoding, then URL parsing."""
    body = urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")
    return parse_qsl(body, keep_blank_values=True)


def test_line_items_metadata_and_expand_become_nested_values() -> None:
    params = {
        "line_items": [
            {"price_data": {"currency": "eur", "unit_amount": 2500}, "quantity": 2},
            {"price_data": {"currency": "eur", "unit_amount": 100}, "quantity": 1},
        ],
        "metadata": {"pledge_id": 7},
        "expand": ["payment_intent", "customer"],
        "shipping_address_collection": {"allowed_countries": ["FR", "BE"]},
        "confirm": True,
    }

    assert decode(encoded(params)) == {
        "line_items": [
            {"price_data": {"currency": "eur", "unit_amount": "2500"}, "quantity": "2"},
            {"price_data": {"currency": "eur", "unit_amount": "100"}, "quantity": "1"},
        ],
        "metadata": {"pledge_id": "7"},
        "expand": ["payment_intent", "customer"],
        "shipping_address_collection": {"allowed_countries": ["FR", "BE"]},
        "confirm": "true",
    }


def test_empty_brackets_append_as_curl_users_write_them() -> None:
    assert decode([("expand[]", "setup_intent"), ("expand[]", "customer")]) == {
        "expand": ["setup_intent", "customer"]
    }


def test_numbered_metadata_keys_stay_keys() -> None:
    assert decode([("metadata[0]", "a"), ("metadata[1]", "b")]) == {
        "metadata": {"0": "a", "1": "b"}
    }


@pytest.mark.parametrize(
    "pairs",
    [
        [("metadata", "x"), ("metadata[a]", "b")],
        [("metadata[a]", "b"), ("metadata", "x")],
        [("metadata[a", "b")],
        [("[a]", "b")],
    ],
)
def test_malformed_keys_are_refused_as_invalid_parameters(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(ParamError):
        decode(pairs)


names = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
leaves = st.one_of(texts, st.lists(texts, min_size=1, max_size=3))
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.dictionaries(names, children, min_size=1, max_size=3),
        st.lists(st.dictionaries(names, children, min_size=1, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=8,
)


@given(st.dictionaries(names, values, max_size=4))
def test_whatever_the_library_encodes_decodes_back(params: dict[str, Any]) -> None:
    assert decode(encoded(params)) == params
