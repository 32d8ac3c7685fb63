"""One splitter and one measure for both chat platforms: no character is ever cut in half."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat_text import cut, split, utf16_length
from adapters.discord.limits import inert

# What reads as one character each, however many code points (and UTF-16 units) it takes.
FAMILY = "👨\u200d👩\u200d👧\u200d👦"
FLAG = "🇫🇷"
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
ACCENTED = "e\u0301"
THUMB = "👍🏽"
KEYCAP = "1\ufe0f\u20e3"
HEART = "❤\ufe0f"
CLEF = "𝄞"
CLUSTERS = [FAMILY, FLAG, SCOTLAND, ACCENTED, THUMB, KEYCAP, HEART, CLEF, "é", "a", "\r\n"]


def discord_length(piece: str) -> int:
    """How Discord's notices measure a piece: once made inert."""
    return utf16_length(inert(piece))


def test_emoji_count_two_utf16_units_and_letters_one() -> None:
    assert [utf16_length(text) for text in ("a", "é", CLEF, FLAG, FAMILY)] == [1, 1, 2, 4, 11]


@pytest.mark.parametrize("unit", [FAMILY, FLAG, SCOTLAND, ACCENTED, THUMB, KEYCAP, HEART, CLEF])
@pytest.mark.parametrize("limit", [16, 17, 18, 19, 101, 4095, 4096])
def test_a_limit_inside_a_character_steps_back_to_where_it_ends(unit: str, limit: int) -> None:
    text = unit * (2 * limit // utf16_length(unit) + 3)

    pieces = split(text, limit)

    assert "".join(pieces) == text
    assert len(pieces) > 1
    assert all(piece and set(piece.split(unit)) == {""} for piece in pieces), unit
    assert all(utf16_length(piece) <= limit for piece in pieces)


def test_a_break_that_would_strand_an_accent_is_not_taken() -> None:
    # The space before the accent is one character with it: break after the "b"s instead.
    text = "a" * 30 + " \u0301" + "b" * 20

    pieces = split(text, 40)

    assert pieces == ["a" * 30 + " \u0301" + "b" * 8, "b" * 12]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("a" * 25 + "\n\n" + "b" * 5 + "\n" + "c c" + "d" * 20, "a" * 25 + "\n\n"),
        ("a" * 25 + "\n" + "b" * 5 + " " + "c" * 30, "a" * 25 + "\n"),
        ("a" * 25 + " " + "b" * 40, "a" * 25 + " "),
    ],
)
def test_breaks_between_paragraphs_then_lines_then_words(text: str, first: str) -> None:
    assert split(text, 40)[0] == first


def test_the_first_piece_may_have_less_room() -> None:
    pieces = split("a" * 100, 40, first=10)

    assert [len(piece) for piece in pieces] == [10, 40, 40, 10]


def test_cut_never_ends_inside_a_character() -> None:
    assert cut("Lamp " + FAMILY * 3, 12) == "Lamp…"
    assert cut(ACCENTED * 10, 6) == ACCENTED * 2 + "…"
    assert cut("Lamp", 4) == "Lamp"


def boundaries(atoms: list[str]) -> set[int]:
    """Where one atom ends and the next begins, as indices into their concatenation."""
    ends, at = {0}, 0
    for atom in atoms:
        at += len(atom)
        ends.add(at)
    return ends


@settings(max_examples=300, deadline=None)
@given(
    # Line breaks one at a time: a paragraph break is two characters, which may be split.
    atoms=st.lists(st.sampled_from([*CLUSTERS, " ", "\n", "*", "_", "@", "`"]), max_size=300),
    limit=st.integers(16, 120),
    discord=st.booleans(),
)
def test_any_text_splits_whole_within_the_limit_between_characters(
    atoms: list[str], limit: int, discord: bool
) -> None:
    text = "".join(atoms)
    measure = discord_length if discord else utf16_length

    pieces = split(text, limit, measure)

    assert "".join(pieces) == text
    assert all(piece and measure(piece) <= limit for piece in pieces)
    ends, at = boundaries(atoms), 0
    for piece in pieces:
        at += len(piece)
        assert at in ends, (piece, text[at : at + 3])


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), limit=st.integers(2, 200))
def test_any_unicode_at_all_splits_whole_within_the_limit(text: str, limit: int) -> None:
    pieces = split(text, limit)

    assert "".join(pieces) == text
    assert all(piece and utf16_length(piece) <= limit for piece in pieces)
