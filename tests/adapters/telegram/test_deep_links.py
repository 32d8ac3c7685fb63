"""Start payloads: what the bot puts in deep links, it reads back; anything else is ignored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.telegram.deep_links import (
    ContinuePledge,
    OpenCampaign,
    RevealReward,
    RunCommand,
    StartPayload,
    decode,
    encode,
)


@pytest.mark.parametrize(
    "payload",
    [
        OpenCampaign("lamp"),
        OpenCampaign("a-b-9", "Ab_9-xY_"),
        ContinuePledge(12, 34),
        ContinuePledge(12, None, "_-_-_-_-"),
        RevealReward("Ab3dE6gH9k"),
        RunCommand("mypledges"),
        RunCommand("language"),
    ],
)
def test_payloads_round_trip(payload: StartPayload) -> None:
    assert decode(encode(payload)) == payload


def test_the_longest_slug_with_a_referral_fits_telegrams_limit() -> None:
    assert len(encode(OpenCampaign("x" * 40, "Ab_9-xY_"))) <= 64


@pytest.mark.parametrize(
    "text",
    [
        "",
        "c_",
        "c_Bad_Slug",
        "p_1",
        "p_x_1",
        "p_" + "9" * 20 + "_1",
        "p_1_" + "9" * 20,
        "q_lamp",
        "c_lamp_" + "r" * 20,
        "c lamp",
    ],
)
def test_anything_else_is_not_a_payload(text: str) -> None:
    assert decode(text) is None


@given(st.text(max_size=80))
def test_decoding_never_fails_on_any_text(text: str) -> None:
    decode(text)
