"""Languages: the list to choose from, and the answer in the chosen one."""

from __future__ import annotations

from core.i18n import SUPPORTED_LOCALES, gettext, use_locale
from core.views.intents import Language
from core.views.model import Button, Reply

# Each language under its own name, never translated.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
assert set(LANGUAGE_NAMES) == set(SUPPORTED_LOCALES), "every supported language has a name"


def language_picker() -> Reply:
    """A button for each language."""
    rows = tuple((Button(name, Language(code)),) for code, name in LANGUAGE_NAMES.items())
    return Reply(gettext("Choose your language:"), rows)


def unknown_language() -> Reply:
    """A language code Backit does not speak, with the ones it does."""
    choices = ", ".join(f"/language {code} ({name})" for code, name in LANGUAGE_NAMES.items())
    return Reply(
        gettext("I do not know that language. Choose one of: {choices}").format(choices=choices)
    )


def language_chosen(locale: str) -> Reply:
    """The confirmation, written in the language chosen."""
    with use_locale(locale):
        return Reply(gettext("Done: I will speak English with you."))
