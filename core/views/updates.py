"""Creator updates as people see them: the preview before sending, and the archive."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import gettext, ngettext
from core.moments import date_time
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.update_archive import ArchivePage
from core.usecases.updating import UpdateReach
from core.views.formatting import number
from core.views.intents import Updates
from core.views.model import Button, ListItem, ListPage

# An archive line shows the start of an update: a page of five must fit one message.
EXCERPT = 500


@dataclass(frozen=True, slots=True)
class UpdatePreview:
    """What the creator sees before sending: a heading, a warning when the update would reach
    nobody, and a label for each audience with how many it would reach."""

    heading: str
    warning: str
    choices: tuple[tuple[UpdateAudience, str], ...]
    cancel: str


def recipients(count: int) -> str:
    """ "1 recipient", "2 recipients", by the reader's plural rules."""
    return ngettext("{count} recipient", "{count} recipients", count).format(count=number(count))


def _warning(reach: UpdateReach) -> str:
    if reach.everyone == 0:
        return gettext(
            "Nobody follows or has backed this campaign yet: this update would reach no one "
            "for now. It stays in the campaign's updates for those who come later."
        )
    if reach.backers == 0:
        return gettext(
            "Nobody has backed this campaign yet: sent to backers only, it would reach no one."
        )
    return ""


def update_preview(title: str, reach: UpdateReach) -> UpdatePreview:
    """The preview's wording for an update to the campaign called `title`."""
    labels = {
        UpdateAudience.EVERYONE: gettext("Send to everyone following ({recipients})"),
        UpdateAudience.BACKERS: gettext("Send to backers only ({recipients})"),
    }
    return UpdatePreview(
        heading=gettext("Preview of your update to “{title}”:").format(title=title),
        warning=_warning(reach),
        choices=tuple(
            (audience, label.format(recipients=recipients(reach.of(audience))))
            for audience, label in labels.items()
        ),
        cancel=gettext("Cancel"),
    )


def update_discarded() -> str:
    """What an update's author is told when they drop it."""
    return gettext("Update discarded.")


def update_sent(queued: int) -> str:
    """The confirmation once an update is posted."""
    if queued == 0:
        return gettext(
            "Your update is posted. Nobody receives it for now: it is in the campaign's updates."
        )
    return ngettext(
        "Your update is on its way to {count} recipient.",
        "Your update is on its way to {count} recipients.",
        queued,
    ).format(count=number(queued))


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(None, 1)[0] + "…"


def _heading(update: CreatorUpdate) -> str:
    when = date_time(update.created_at)
    if update.public:
        return when
    return gettext("{date} · backers only").format(date=when)


def archive_page(page: ArchivePage) -> ListPage:
    """A page of updates, newest first, with buttons to the newer and older ones."""
    campaign_id = page.campaign.id
    paging: list[Button] = []
    if page.has_previous:
        newer = max(page.offset - page.limit, 0)
        paging.append(Button(gettext("◀ Previous"), Updates(campaign_id, newer, turn=True)))
    if page.has_next:
        older = page.offset + page.limit
        paging.append(Button(gettext("Next ▶"), Updates(campaign_id, older, turn=True)))
    pages = max((page.total + page.limit - 1) // page.limit, 1)
    return ListPage(
        title=gettext("Updates from “{title}”").format(title=page.campaign.title),
        items=tuple(ListItem(_heading(u), _excerpt(u.text)) for u in page.updates),
        buttons=(tuple(paging),) if paging else (),
        empty_text=(
            gettext("“{title}” has posted no updates yet.")
            if page.insider
            # Backers-only updates may exist: this reader is simply not shown them.
            else gettext("“{title}” has posted no public updates yet.")
        ).format(title=page.campaign.title),
        footer=gettext("Page {page} of {pages}").format(
            page=number(page.offset // page.limit + 1), pages=number(pages)
        )
        if page.total
        else "",
        first_number=page.offset + 1,
    )
