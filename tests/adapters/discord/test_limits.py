"""User text cut and escaped to fit Discord's limits."""

from __future__ import annotations

from adapters.discord.limits import cut, fit, inert, length


def test_cut_keeps_what_fits_and_ends_what_does_not_with_an_ellipsis() -> None:
    assert cut("A lamp", 6) == "A lamp"
    assert cut("A lamp for long nights", 10) == "A lamp fo…"
    # Counted as UTF-16 code units, never fewer than Discord counts: an emoji takes two.
    assert length(cut("😀" * 10, 5)) <= 5


def test_inert_text_neither_formats_nor_pings() -> None:
    assert inert("**Free** @everyone <@123456789012345678>") == (
        "\\*\\*Free\\*\\* @\u200beveryone <@\u200b123456789012345678>"
    )


def test_fit_cuts_before_escaping_so_no_escape_is_split() -> None:
    shown = fit("*" * 20, 9)

    assert shown == "\\*\\*\\*\\*…"
    assert fit("plain", 9) == "plain"
    assert fit("anything", 0) == ""
