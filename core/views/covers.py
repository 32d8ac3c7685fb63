"""What creators are told about their campaigns' covers, on every platform."""

from __future__ import annotations

from core.i18n import gettext


def cover_question(title: str) -> str:
    """Asking for the picture of a campaign's cover."""
    return gettext(
        "Send the picture for the cover of “{title}”: a photo, or a JPEG, PNG or WebP file. "
        "/cancel to stop."
    ).format(title=title)


def draft_cover_question() -> str:
    """Asking, while a campaign is drafted, for a cover it may do without."""
    return gettext(
        "Send a picture for the campaign's cover, shown on its card: a photo, or a JPEG, PNG "
        "or WebP file. Or press “Skip” to keep the category's colours."
    )


def picture_expected() -> str:
    """Something other than a picture came where one was asked for."""
    return gettext("Please send a picture, or /cancel.")


def cover_kept() -> str:
    """A drafted campaign's cover was received, for when the draft is created."""
    return gettext("Cover received: it is shown once the draft is created.")


def cover_set(title: str) -> str:
    """A campaign's cover was set."""
    return gettext("“{title}” has its new cover.").format(title=title)


def drafted_without_cover(reason: str) -> str:
    """A picture given with Discord's /newcampaign could not be its cover; the draft goes on
    (its translations name Discord's command in their language)."""
    return gettext("{reason} The draft goes on without a cover: add one later with /cover.").format(
        reason=reason
    )
