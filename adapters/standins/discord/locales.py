"""The locales Discord knows, for clients and for command localizations."""

from __future__ import annotations

LOCALES = frozenset(
    {
        "ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr",
        "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro",
        "ru", "sv-SE", "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
    }
)  # fmt: skip


def check_locale(locale: str) -> str:
    """The locale, if Discord knows it; ValueError otherwise."""
    if locale not in LOCALES:
        raise ValueError(f"Discord has no locale {locale!r}; it knows {sorted(LOCALES)}")
    return locale
