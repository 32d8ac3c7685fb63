"""Every message core shows exists in English and French, and the compiled catalog is current."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.errors import CampaignNotLive, InvalidField
from core.i18n import LOCALE_DIR, N_, LazyText, negotiate, use_locale

PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "backit.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def messages_in_code() -> set[str]:
    """Every message id marked for translation in core."""
    core_dir = Path(LOCALE_DIR).parent
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(core_dir, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_in_core_has_a_french_translation() -> None:
    with PO_FILE.open("rb") as po:
        catalog = read_po(po)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = messages_in_code() - translated
    assert not missing, f"run `make i18n` and translate: {sorted(missing)}"


def test_the_compiled_catalog_matches_the_translations() -> None:
    with PO_FILE.open("rb") as po:
        catalog = read_po(po)
    compiled = gettext.translation("backit", LOCALE_DIR, languages=["fr"])
    stale = [m.id for m in catalog if m.id and compiled.gettext(str(m.id)) != m.string]
    assert not stale, f"run `make i18n` to recompile: {stale}"


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
        assert error.user_message() == "« Lamp » n’accepte pas de contributions en ce moment."
        assert field.user_message() == "Objectif : il doit être supérieur à zéro"
    with use_locale("en-US"):
        assert error.user_message() == "“Lamp” is not taking pledges right now."
