"""Translation for the person being answered: gettext catalogs and a locale per context."""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "backit"
DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "fr")
LOCALE_DIR = Path(__file__).parent / "locales"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def negotiate(language_code: str | None) -> str:
    """Map what a platform reports ("fr-FR", "en_US", None) to a supported locale."""
    if not language_code:
        return DEFAULT_LOCALE
    base = language_code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else DEFAULT_LOCALE


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalog for a locale; English is the source language."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)


def gettext(message: str) -> str:
    """Translate a message into the current context's locale."""
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count."""
    return translations(current_locale.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, when shown."""
    return message


class LazyText(str):
    """A message marked for translation, translated where it is shown (error fields, labels)."""

    def translated(self) -> str:
        """This message in the current locale."""
        return gettext(self)


_ = gettext


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate everything inside the block for one reader."""
    token = current_locale.set(negotiate(locale))
    try:
        yield
    finally:
        current_locale.reset(token)
