"""Intents survive the trip through button data, and bad data is a stale button."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.categories import CATEGORIES
from core.i18n import SUPPORTED_LOCALES
from core.ids import MAX_ID
from core.ports import Sort
from core.views.intents import (
    KINDS,
    MAX_ENCODED,
    Ambassadors,
    Browse,
    CancelPledge,
    Categories,
    ChangeAmount,
    ChangePledge,
    ChangeTo,
    ConfirmCancel,
    ExportBackers,
    Follow,
    FundingChart,
    Intent,
    KeepPledge,
    Language,
    Manage,
    Pick,
    Pledge,
    PledgeCustom,
    PostUpdate,
    Show,
    StaleButton,
    Unfollow,
    Updates,
    decode,
)

ids = st.integers(min_value=0, max_value=MAX_ID)
intents = st.one_of(
    st.builds(Show, ids),
    st.builds(Pledge, ids, ids),
    st.builds(PledgeCustom, ids),
    st.builds(Follow, ids),
    st.builds(Unfollow, ids),
    st.builds(FundingChart, ids),
    st.builds(
        Browse, st.sampled_from(Sort), st.sampled_from([None, *CATEGORIES]), st.integers(0, 10**6)
    ),
    st.builds(Categories, st.sampled_from(Sort)),
    st.builds(CancelPledge, ids),
    st.builds(ConfirmCancel, ids),
    st.builds(KeepPledge, ids),
    st.builds(Language, st.sampled_from(SUPPORTED_LOCALES)),
    st.builds(Updates, ids, st.integers(0, 10**6), st.booleans()),
    st.builds(Manage, ids),
    st.builds(PostUpdate, ids),
    st.builds(Ambassadors, ids),
    st.builds(ExportBackers, ids),
    st.builds(Pick, st.sampled_from(["campaign", "link", "unlink", "update", "updates"]), ids),
    st.builds(ChangePledge, ids),
    st.builds(ChangeTo, ids, ids),
    st.builds(ChangeAmount, ids),
)


@given(intents)
def test_every_kind_encodes_and_decodes_within_the_telegram_limit(intent: Intent) -> None:
    data = intent.encode()
    assert len(data.encode()) <= MAX_ENCODED
    assert decode(data) == intent


def test_kinds_have_distinct_codes() -> None:
    # Keyed by code, KINDS would lose a kind that shares its code with another.
    kinds = {kind.__name__ for kind in Intent.__subclasses__()}
    assert {kind.__name__ for kind in KINDS.values()} == kinds
    assert len(KINDS) == len(kinds)
    assert all(KINDS[kind.code] is kind for kind in KINDS.values())


@pytest.mark.parametrize(
    ("data", "intent"),
    [
        # The forms buttons already sent carry: still read the same.
        ("s:42", Show(42)),
        ("p:1:2", Pledge(1, 2)),
        ("b:backed:design:10", Browse(Sort.MOST_BACKED, "design", 10)),
        ("b:trending::0", Browse()),
        ("k:ending", Categories(Sort.ENDING_SOON)),
        ("l:fr", Language("fr")),
    ],
)
def test_reads_the_compact_form_buttons_carry(data: str, intent: Intent) -> None:
    assert decode(data) == intent
    assert intent.encode() == data


@pytest.mark.parametrize(
    "data",
    [
        "",
        "zz:1",
        "p:1:<script>",
        "s:" + "9" * 80,
        "s:1 2",
        "s:abc",
        "s",
        "s:1:2",
        "p:1",
        "b:trending:0",
        "b:sideways::0",
        "b:trending:nowhere:0",
        "b:trending::-1",
        "k:",
        "l:de",
        "x:+7",
        "s:" + "9" * 19,
    ],
)
def test_malformed_data_is_a_stale_button(data: str) -> None:
    with pytest.raises(StaleButton):
        decode(data)


@given(st.text(max_size=80))
def test_any_text_decodes_or_is_a_stale_button(data: str) -> None:
    try:
        intent = decode(data)
    except StaleButton:
        return
    assert intent.encode() == data
