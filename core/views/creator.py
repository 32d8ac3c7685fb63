"""A creator's views: their campaigns, one campaign's dashboard, and share-link results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from core.campaigns import Campaign, CampaignStatus, RewardTier
from core.i18n import current_locale, gettext, ngettext
from core.moments import date_time
from core.statements import Statement
from core.usecases.ambassadors import AmbassadorReport, Dashboard
from core.views.cards import late_fields, progress, raised_of_goal
from core.views.formatting import number, percent, time_left
from core.views.intents import (
    Ambassadors,
    ExportBackers,
    FundingChart,
    Manage,
    OpenLatePledges,
    PostUpdate,
    SubmitForReview,
    Updates,
)
from core.views.model import Button, Buttons, Card, Field, ListItem, ListPage
from core.views.payouts import statement_figures

# A dashboard line names an update by its first words: updates have no titles.
UPDATE_LINE = 60


def backers(count: int) -> str:
    """ "1 backer", "2 backers"."""
    return ngettext("{count} backer", "{count} backers", count).format(count=number(count))


def my_campaigns_page(statements: Sequence[Statement], now: datetime) -> ListPage:
    """A creator's campaigns with their figures and money, each opening its dashboard."""
    items = tuple(
        ListItem(
            account.campaign.title,
            "\n".join(
                (
                    " · ".join(
                        (
                            percent(account.campaign.percent),
                            raised_of_goal(account.campaign),
                            backers(account.campaign.backers_count),
                            time_left(account.campaign, now),
                        )
                    ),
                    statement_figures(account),
                )
            ),
            Manage(account.campaign.id),
        )
        for account in statements
    )
    return ListPage(
        title=gettext("Your campaigns"),
        items=items,
        buttons=(),
        empty_text=gettext("You have not created a campaign yet. /newcampaign to start one."),
    )


def _first_words(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= UPDATE_LINE else line[:UPDATE_LINE].rsplit(None, 1)[0] + "…"


def _latest(dashboard: Dashboard) -> str:
    if not dashboard.latest_updates:
        return gettext("No updates yet: post one to keep your backers and followers close.")
    lines = [gettext("Latest updates:")]
    lines += [
        f"• {date_time(update.created_at)} — {_first_words(update.text)}"
        for update in dashboard.latest_updates
    ]
    return "\n".join(lines)


def secret_fields(campaign: Campaign, link: Callable[[RewardTier], str]) -> tuple[Field, ...]:
    """Each secret reward with the `link` that offers it, for its creator to share."""
    return tuple(
        Field(gettext("Secret reward: {title}").format(title=tier.title), link(tier))
        for tier in campaign.tiers
        if tier.secret
    )


def dashboard_card(
    dashboard: Dashboard, now: datetime, secret_link: Callable[[RewardTier], str]
) -> Card:
    """One campaign as its creator manages it: figures, each secret reward's link to share,
    latest updates and their tools."""
    campaign = dashboard.campaign
    # Once it succeeded, its creator may take late pledges, or change the period and prices.
    late = (
        ((Button(gettext("Open late pledges"), OpenLatePledges(campaign.id)),),)
        if campaign.status is CampaignStatus.SUCCESSFUL
        else ()
    )
    return Card(
        title=campaign.title,
        subtitle=gettext("Your campaign · {state}").format(state=time_left(campaign, now)),
        body=_latest(dashboard),
        progress=progress(campaign),
        fields=(
            Field(gettext("Raised"), raised_of_goal(campaign)),
            Field(gettext("Backers"), number(campaign.backers_count)),
            Field(gettext("Ends"), date_time(campaign.ends_at)),
            *late_fields(campaign, now),
            *secret_fields(campaign, secret_link),
        ),
        image_url=None,
        buttons=(
            *_submit(campaign),
            (Button(gettext("Post an update"), PostUpdate(campaign.id)),),
            *late,
            (
                Button(gettext("Ambassadors"), Ambassadors(campaign.id)),
                Button(gettext("All updates"), Updates(campaign.id)),
            ),
            (
                Button(gettext("Progress"), FundingChart(campaign.id)),
                Button(gettext("Export backers"), ExportBackers(campaign.id)),
            ),
        ),
    )


def _submit(campaign: Campaign) -> Buttons:
    """A draft's way to an operator's review; a campaign in review or published has none."""
    if campaign.status is not CampaignStatus.DRAFT:
        return ()
    return ((Button(gettext("Submit for review"), SubmitForReview(campaign.id)),),)


def ambassadors_page(report: AmbassadorReport, share_url: str) -> ListPage:
    """Every share link's results for the creator; a backer's own link and results otherwise."""
    locale = current_locale.get()
    title = report.campaign.title
    if report.full:
        return ListPage(
            title=gettext("Ambassadors of “{title}”").format(title=title),
            items=tuple(
                ListItem(row.name, f"{backers(row.backers)} · {row.amount.format(locale)}")
                for row in report.rows
            ),
            buttons=(),
            empty_text=gettext("Nobody has backed through a share link yet."),
        )
    brought = report.rows[0].backers if report.rows else 0
    result = (
        ngettext(
            "You have brought {count} backer so far. Thank you for spreading the word!",
            "You have brought {count} backers so far. Thank you for spreading the word!",
            brought,
        ).format(count=number(brought))
        if brought
        else gettext("Nobody has backed through your link yet.")
    )
    invite = gettext("Share your link: whoever backs through it counts as brought by you.")
    return ListPage(
        title=gettext("Your share link for “{title}”").format(title=title),
        items=(),
        buttons=(),
        empty_text=f"{invite}\n{share_url}\n\n{result}",
    )
