"""Every message core shows exists in English and French, and the compiled catalog is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.errors import CampaignNotLive, InvalidField
from core.i18n import LOCALE_DIR, N_, LazyText, negotiate, use_locale

PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "backit.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


ROOT = Path(LOCALE_DIR).parent.parent
# Everywhere people read text from: the domain, and the surfaces that add words of their own.
TRANSLATED_DIRS = ("core", "adapters/web", "adapters/telegram", "adapters/discord")


def messages_in_code() -> set[str]:
    """Every message id marked for translation where people read text from."""
    found: set[str] = set()
    for folder in TRANSLATED_DIRS:
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_shown_to_people_has_a_french_translation() -> None:
    with PO_FILE.open("rb") as po:
        catalog = read_po(po)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and m.string and all(m.string) and not m.fuzzy
    }
    missing = messages_in_code() - translated
    assert not missing, f"run `make i18n` and translate: {sorted(missing)}"


def test_the_compiled_catalog_matches_the_translations() -> None:
    with PO_FILE.open("rb") as po:
        catalog = read_po(po)
    compiled = gettext.translation("backit", LOCALE_DIR, languages=["fr"])

    def compiled_forms(ids: tuple[str, ...] | list[str] | str) -> list[str]:
        if isinstance(ids, str):
            return [compiled.gettext(ids)]
        return [compiled.ngettext(ids[0], ids[1], n) for n in (1, 2)]

    def catalog_forms(strings: tuple[str, ...] | list[str] | str | None) -> list[str]:
        return [strings or ""] if isinstance(strings, str | None) else list(strings)

    stale = [m.id for m in catalog if m.id and compiled_forms(m.id) != catalog_forms(m.string)]
    assert not stale, f"run `make i18n` to recompile: {stale}"


# What French typography leaves alone: placeholders, addresses and times such as 23:59.
NOT_PROSE = re.compile(r"\{[^{}]*\}|[a-z][a-z0-9+.-]*://\S*|\d:\d")
# A high punctuation mark, or a guillemet, without a non-breaking space on its inner side.
LOOSE_PUNCTUATION = re.compile(r"(?<!\u00a0)[:?!;»]|«(?!\u00a0)")


def test_french_punctuation_is_held_by_non_breaking_spaces() -> None:
    with PO_FILE.open("rb") as po:
        catalog = read_po(po)
    loose = [
        text
        for m in catalog
        if m.id
        for text in ([m.string] if isinstance(m.string, str) else m.string or [])
        if LOOSE_PUNCTUATION.search(NOT_PROSE.sub("x", text))
    ]
    assert not loose, f"put U+00A0 before : ? ! ; and inside « »: {loose}"


def test_platform_language_codes_map_to_supported_locales() -> None:
    assert [negotiate(code) for code in ("fr-FR", "fr_CA", "FR", "en-GB", "de", "", None)] == [
        "fr",
        "fr",
        "fr",
        "en",
        "en",
        "en",
        "en",
    ]


def test_domain_errors_speak_the_readers_language() -> None:
    error = CampaignNotLive(title="Lamp")
    field = InvalidField(
        field=LazyText(N_("Goal")), reason=LazyText(N_("it must be more than zero"))
    )
    with use_locale("fr"):
        assert (
            error.user_message()
            == "«\u00a0Lamp\u00a0» n’accepte pas de contributions en ce moment."
        )
        assert field.user_message() == "Objectif\u00a0: il doit être supérieur à zéro"
    with use_locale("en-US"):
        assert error.user_message() == "“Lamp” is not taking pledges right now."
