"""Pledge links: tampering and expiry are refused, everything else round-trips."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.pledge_links import ExpiredLink, InvalidLink, PledgeLinkSigner, RetryLink, link_key

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SIGNER = PledgeLinkSigner("s" * 32, timedelta(days=7))
TOKEN = SIGNER.sign(SIGNER.new_link(NOW, 12, 34, 56, None, "refCODE_-1"))


def test_a_signed_link_verifies_to_what_was_signed() -> None:
    link = SIGNER.verify(TOKEN, NOW)
    assert (link.backer_id, link.campaign_id, link.tier_id, link.amount) == (12, 34, 56, None)
    assert link.referral_code == "refCODE_-1"
    assert link.expires_at == NOW + timedelta(days=7)


def test_a_custom_amount_link_carries_its_amount() -> None:
    token = SIGNER.sign(SIGNER.new_link(NOW, 1, 2, None, 2_500))
    assert SIGNER.verify(token, NOW).amount == 2_500


def test_the_token_is_url_safe_and_compact() -> None:
    assert len(TOKEN) < 120
    assert all(c.isalnum() or c in "-_." for c in TOKEN)


def test_every_link_is_distinct_so_each_tap_is_its_own_pledge() -> None:
    again = SIGNER.sign(SIGNER.new_link(NOW, 12, 34, 56, None, "refCODE_-1"))
    assert link_key(again) != link_key(TOKEN)


@given(st.integers(min_value=0, max_value=len(TOKEN) - 1), st.characters())
def test_a_token_with_any_character_changed_is_refused(position: int, replacement: str) -> None:
    tampered = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    if tampered != TOKEN:
        with pytest.raises(InvalidLink):
            SIGNER.verify(tampered, NOW)


def test_no_other_spelling_of_the_same_bytes_is_accepted() -> None:
    alphabet = string.ascii_letters + string.digits + "-_"
    payload, signature = TOKEN.split(".")
    # The last base64 character of each part has spare bits that decoding ignores.
    for other in alphabet.replace(signature[-1], ""):
        with pytest.raises(InvalidLink):
            SIGNER.verify(f"{payload}.{signature[:-1]}{other}", NOW)
    with pytest.raises(InvalidLink):
        SIGNER.verify(f"{payload}.{signature[:5]}!{signature[5:]}", NOW)


@given(st.binary(max_size=200))
def test_arbitrary_input_is_refused_cleanly(garbage: bytes) -> None:
    with pytest.raises(InvalidLink):
        SIGNER.verify(garbage.decode("latin-1"), NOW)


@given(st.timedeltas(min_value=timedelta(days=7), max_value=timedelta(days=3650)))
def test_a_token_at_or_past_its_expiry_is_refused(elapsed: timedelta) -> None:
    with pytest.raises(ExpiredLink):
        SIGNER.verify(TOKEN, NOW + elapsed)


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(InvalidLink):
        PledgeLinkSigner("t" * 32, timedelta(days=7)).verify(TOKEN, NOW)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        PledgeLinkSigner("short", timedelta(days=7))


def test_a_retry_link_round_trips_and_is_not_a_pledge_link() -> None:
    token = SIGNER.sign_retry(RetryLink(77, NOW + timedelta(days=7)))
    assert SIGNER.verify_retry(token, NOW).pledge_id == 77
    with pytest.raises(InvalidLink):
        SIGNER.verify(token, NOW)
    with pytest.raises(InvalidLink):
        SIGNER.verify_retry(TOKEN, NOW)
    with pytest.raises(ExpiredLink):
        SIGNER.verify_retry(token, NOW + timedelta(days=8))


def test_a_cancel_reference_names_its_pledge_and_no_other_kind_of_token_does() -> None:
    reference = SIGNER.sign_cancel(77)
    assert SIGNER.verify_cancel(reference) == 77
    retry = SIGNER.sign_retry(RetryLink(77, NOW + timedelta(days=7)))
    for other in (TOKEN, retry, PledgeLinkSigner("t" * 32, timedelta(days=7)).sign_cancel(77)):
        with pytest.raises(InvalidLink):
            SIGNER.verify_cancel(other)
    with pytest.raises(InvalidLink):
        SIGNER.verify(reference, NOW)


# Each is refused whichever field of a signed token carries it: no database holds them.
NOT_IDS = ["x7", "²", "١٢", " 7", "+7", "-7", "7_0", str(2**63), "9" * 5_000]


@pytest.mark.parametrize("field", NOT_IDS)
def test_a_signed_token_whose_ids_no_database_holds_is_an_invalid_link(field: str) -> None:
    expires = str(int((NOW + timedelta(days=1)).timestamp()))
    pledge_fields = [
        [field, "34", "56", "", "", expires, "n"],
        ["12", field, "56", "", "", expires, "n"],
        ["12", "34", field, "", "", expires, "n"],
        ["12", "34", "56", field, "", expires, "n"],
        ["12", "34", "56", "", "", field, "n"],
    ]
    for fields in pledge_fields:
        with pytest.raises(InvalidLink):
            SIGNER.verify(SIGNER._seal("1", *fields), NOW)
    for retry in ([field, expires], ["77", field]):
        with pytest.raises(InvalidLink):
            SIGNER.verify_retry(SIGNER._seal("r1", *retry), NOW)
    with pytest.raises(InvalidLink):
        SIGNER.verify_cancel(SIGNER._seal("c1", field))


def test_an_expiry_beyond_any_calendar_is_an_invalid_link() -> None:
    with pytest.raises(InvalidLink):
        SIGNER.verify_retry(SIGNER._seal("r1", "77", str(2**63 - 1)), NOW)
