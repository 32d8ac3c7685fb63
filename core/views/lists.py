"""List pages: browsing campaigns, the campaigns someone follows, their pledges."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from core.campaigns import Campaign
from core.categories import CATEGORIES, category_name
from core.i18n import N_, current_locale, gettext
from core.pledges import Pledge, PledgeStatus
from core.ports import Sort
from core.usecases.browsing import BrowsePage
from core.views.cards import ending, raised_of_goal
from core.views.formatting import (
    number,
    percent,
    pledge_status,
    reward_and_amount,
    time_left,
)
from core.views.intents import Browse, CancelPledge, Categories, Show
from core.views.model import Button, Buttons, ListItem, ListPage

# What a backer may still take back while the campaign runs (the last-day rule is checked
# when they confirm).
CANCELLABLE = frozenset({PledgeStatus.PENDING, PledgeStatus.AUTHORIZED, PledgeStatus.PAID})

# Marks a campaign the chat linked. A symbol of the common text fonts, not an emoji: it reads
# the same where no emoji font is installed (a server's headless browser, an old desktop).
LINKED_MARK = "⚑"

SORT_NAMES = {
    Sort.TRENDING: N_("Trending"),
    Sort.NEWEST: N_("New"),
    Sort.COMING_SOON: N_("Coming soon"),
    Sort.ENDING_SOON: N_("Ending soon"),
    Sort.NEARLY_FUNDED: N_("Nearly funded"),
    Sort.MOST_BACKED: N_("Most backed"),
    Sort.STAFF_PICKS: N_("Staff picks"),
}


def discover_button() -> Button:
    """The way on from an empty list: the first page of trending campaigns."""
    return Button(gettext("Discover campaigns"), Browse())


def _onward(items: Sequence[ListItem]) -> Buttons:
    """No buttons under a list with lines; the way to discover campaigns under an empty one."""
    return () if items else ((discover_button(),),)


def campaign_item(campaign: Campaign, now: datetime, linked: bool = False) -> ListItem:
    """One campaign as a list line that opens its card; an ended one says how it ended, and
    one linked to the chat is marked."""
    ended = ending(campaign, now)
    figures = (raised_of_goal(campaign), time_left(campaign, now)) if ended is None else (ended,)
    parts = [percent(campaign.percent), *figures]
    if linked:
        parts.insert(0, " ".join((LINKED_MARK, gettext("Linked here"))))
    return ListItem(campaign.title, " · ".join(parts), Show(campaign.id))


def _browse_intent(page: BrowsePage, sort: Sort, offset: int) -> Browse:
    return Browse(sort, page.query.category, offset)


def browse_page(page: BrowsePage, now: datetime, linked: Collection[int] = ()) -> ListPage:
    """A page of campaigns with sort buttons and paging; those `linked` to the chat marked."""
    query = page.query
    sorts = [
        Button(
            ("• " if sort is query.sort else "") + gettext(name),
            _browse_intent(page, sort, 0),
        )
        for sort, name in SORT_NAMES.items()
    ]
    paging: list[Button] = []
    if page.has_previous:
        paging.append(
            Button(
                gettext("◀ Previous"),
                _browse_intent(page, query.sort, max(query.offset - query.limit, 0)),
            )
        )
    if page.has_next:
        paging.append(
            Button(gettext("Next ▶"), _browse_intent(page, query.sort, query.offset + query.limit))
        )
    chosen = category_name(query.category) if query.category else gettext("All categories")
    picker = Button(
        gettext("Category: {name} ▾").format(name=chosen),
        Categories(query.sort),
    )
    pages = max((page.total + query.limit - 1) // query.limit, 1)
    title = gettext(SORT_NAMES[query.sort])
    return ListPage(
        title=f"{title} · {category_name(query.category)}" if query.category else title,
        items=tuple(campaign_item(c, now, c.id in linked) for c in page.campaigns),
        buttons=(
            # The short labels first: four fit a phone's row.
            tuple(sorts[:4]),
            tuple(sorts[4:]),
            (picker,),
            *((tuple(paging),) if paging else ()),
        ),
        empty_text=gettext("No campaign matches yet."),
        footer=gettext("Page {page} of {pages}").format(
            page=number(query.offset // query.limit + 1), pages=number(pages)
        ),
        first_number=query.offset + 1,
    )


def category_picker(sort: Sort) -> ListPage:
    """Every category as a button, keeping the chosen sort."""
    choices = [Button(category_name(key), Browse(sort, key)) for key in CATEGORIES]
    everything = Button(gettext("All categories"), Browse(sort))
    return ListPage(
        title=gettext("Choose a category"),
        items=(),
        buttons=(
            *(tuple(choices[i : i + 2]) for i in range(0, len(choices), 2)),
            (everything,),
        ),
        empty_text=gettext("Campaigns are filed under these categories."),
    )


def search_page(page: BrowsePage, now: datetime, linked: Collection[int] = ()) -> ListPage:
    """Campaigns matching a person's words; those `linked` to the chat marked."""
    items = tuple(campaign_item(c, now, c.id in linked) for c in page.campaigns)
    return ListPage(
        title=gettext("Results for “{words}”").format(words=page.query.text or ""),
        items=items,
        buttons=_onward(items),
        empty_text=gettext("No campaign matches yet."),
    )


def following_page(campaigns: Sequence[Campaign], now: datetime) -> ListPage:
    """The campaigns a person follows."""
    items = tuple(campaign_item(campaign, now) for campaign in campaigns)
    return ListPage(
        title=gettext("Campaigns you follow"),
        items=items,
        buttons=_onward(items),
        empty_text=gettext("You do not follow any campaign yet. Tap Follow on a card."),
    )


def pledges_page(pledges: Sequence[tuple[Pledge, Campaign]], now: datetime) -> ListPage:
    """A person's pledges with their status, and a cancel button where the rules allow one."""
    locale = current_locale.get()
    items = []
    cancel_rows = []
    for pledge, campaign in pledges:
        tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
        parts = [
            reward_and_amount(pledge.with_top_ups, tier.title if tier is not None else None),
            pledge_status(pledge.status),
        ]
        if pledge.backer_number is not None:
            parts.append(gettext("backer #{number}").format(number=number(pledge.backer_number)))
        items.append(ListItem(campaign.title, " · ".join(parts), Show(campaign.id)))
        if pledge.status in CANCELLABLE and campaign.is_open(now):
            label = gettext("Cancel: {title} ({amount})").format(
                title=campaign.title, amount=pledge.with_top_ups.format(locale)
            )
            cancel_rows.append((Button(label, CancelPledge(pledge.id)),))
    return ListPage(
        title=gettext("Your pledges"),
        items=tuple(items),
        buttons=tuple(cancel_rows) or _onward(items),
        empty_text=gettext("You have not backed any campaign yet."),
    )
