"""Intents survive the trip through button data, and bad data is a stale button."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.views.intents import MAX_ENCODED, Action, Intent, StaleButton


@given(st.sampled_from(Action), st.lists(st.integers(min_value=0, max_value=2**53), max_size=3))
def test_encodes_and_decodes_within_the_telegram_limit(action: Action, ids: list[int]) -> None:
    intent = Intent(action, tuple(str(i) for i in ids))
    data = intent.encode()
    assert len(data.encode()) <= MAX_ENCODED
    assert Intent.decode(data) == intent


@pytest.mark.parametrize("data", ["", "zz:1", "p:1:<script>", "s:" + "9" * 80, "s:1 2"])
def test_malformed_data_is_a_stale_button(data: str) -> None:
    with pytest.raises(StaleButton):
        Intent.decode(data)


def test_an_argument_that_should_be_an_id_must_be_one() -> None:
    with pytest.raises(StaleButton):
        Intent(Action.SHOW, ("abc",)).int_arg(0)
    with pytest.raises(StaleButton):
        Intent(Action.SHOW, ()).int_arg(0)
    assert Intent(Action.SHOW, ("42",)).int_arg(0) == 42


def test_an_id_a_database_cannot_hold_is_a_stale_button() -> None:
    with pytest.raises(StaleButton):
        Intent.decode("s:" + "9" * 19).int_arg(0)
