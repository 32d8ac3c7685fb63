"""A campaign's public page, where share links land: the campaign, its rewards, and where to
back it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlencode

from aiohttp import web

from adapters.images.card_images import picture_now, picture_path
from adapters.rendered_once import RenderedOnce
from adapters.web.pages import document, html_response
from adapters.web.security_headers import PAGE_POLICY, security_headers
from core.campaigns import Campaign, CampaignStatus, RewardTier
from core.i18n import SUPPORTED_LOCALES, current_locale, gettext, use_locale
from core.moments import date_time
from core.views.cards import campaign_card, has_ended
from core.views.rewards import reward_facts

# The page shows the campaign's card picture, which this server draws.
_PICTURED = f"{PAGE_POLICY}; img-src 'self'"
# Placed before the pages' own style sheet, so a rule that overrides one of its is more specific.
_STYLE = """
body main{max-width:40rem;overflow-wrap:anywhere}
.cover{display:block;width:100%;height:auto;aspect-ratio:16/9;border-radius:8px;margin:0 0 1rem;
background:#e4e7ec}
.lang{text-align:center;font-size:.85rem;margin:1.5rem 0 0}
.lang a,.lang strong{margin:0 .4rem}.lang a{color:#2f6fed}
progress{width:100%;height:.8rem;accent-color:#2f6fed}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.6rem;margin:1rem 0;
padding:0}
.stats div{background:#f4f5f7;border-radius:8px;padding:.5rem .7rem}
.stats dt{font-size:.8rem;color:#667085}.stats dd{margin:0;font-weight:600}
.stats div:last-child{grid-column:1/-1}
.actions a.button{display:block;text-align:center;margin:.5rem 0;font-weight:600}
a.button.discord{background:#5865f2}
.hint{font-size:.85rem}
.rewards{list-style:none;padding:0;margin:0}
.rewards li{border:1px solid #e4e7ec;border-radius:8px;padding:.8rem;margin:.6rem 0}
.rewards .head{display:flex;justify-content:space-between;gap:1rem;align-items:baseline}
.rewards .price{font-weight:600;white-space:nowrap}
.rewards p{margin:.4rem 0 0}.rewards .gone{opacity:.6}
.closed{background:#fff4e5;border-radius:8px;padding:.7rem}
.lead{font-size:1.1rem}
@media (max-width:480px){html body{padding:.6rem .5rem}body main{padding:1.2rem 1rem}}
"""


@dataclass(frozen=True, slots=True)
class WaysToBack:
    """Where the page's buttons lead; None for a platform Backit does not run on here."""

    telegram_url: str | None
    discord_url: str | None


def campaign_page(
    campaign: Campaign,
    now: datetime,
    ways: WaysToBack,
    referral_code: str | None,
    public_url: str,
    waiting: int,
) -> web.Response:
    """The campaign with its picture, figures and rewards, and a button per chat to back it,
    as of the current minute in the current language (coming soon, with how many are
    `waiting`); link previews show its card picture from `public_url`."""
    minute = now.replace(second=0, microsecond=0)
    shown = _shown(campaign, current_locale.get(), minute, public_url.rstrip("/"), waiting)
    # The buttons and the language links credit the sharer: the rest is everyone's.
    body = shown.figures + _actions(campaign, minute, ways) + shown.story
    body += _languages(campaign, referral_code)
    response = html_response(document(shown.title, body, head=shown.head))
    response.headers.update(security_headers(_PICTURED))
    return response


@dataclass(frozen=True, slots=True)
class _Shown:
    """The parts of a campaign's page that are the same whoever shared it."""

    title: str
    head: str
    # The blurb and the figures, then the buttons: on a phone they come before the long story.
    figures: str
    story: str


def _parts(campaign: Campaign, locale: str, now: datetime, public_url: str, waiting: int) -> _Shown:
    with use_locale(locale):
        card = campaign_card(campaign, now, following=False, waiting=waiting)
        picture = picture_path(campaign.slug, picture_now(campaign, now))
        stats = "".join(
            f"<div><dt>{escape(field.name)}</dt><dd>{escape(field.value)}</dd></div>"
            for field in card.fields
        )
        figures = (
            f'<p class="muted">{escape(card.subtitle)}</p>'
            + f'<img class="cover" src="{escape(picture)}" width="1200" height="675" alt="">'
            + f'<p class="lead">{escape(campaign.blurb)}</p>'
            + f'<progress max="100" value="{min(card.progress.percent, 100)}" '
            + f'aria-label="{escape(card.progress.label)}"></progress>'
            + f'<dl class="stats">{stats}</dl>'
        )
        paragraphs = (part for part in campaign.description.split("\n\n") if part)
        story = "".join(f"<p>{escape(part)}</p>" for part in paragraphs)
        head = f"{_preview_tags(campaign, public_url + picture)}<style>{_STYLE}</style>"
        return _Shown(card.title, head, figures, story + _rewards(campaign, now))


# A campaign shared everywhere at once is the same object from the cache until it changes:
# what its page shows everyone is made once per language and minute.
_shown = RenderedOnce(_parts)


def _languages(campaign: Campaign, referral_code: str | None) -> str:
    """A link to the page in each other language, keeping the referral."""
    links = []
    for locale in SUPPORTED_LOCALES:
        name = escape(_LANGUAGE_NAMES.get(locale, locale))
        if locale == current_locale.get():
            links.append(f"<strong>{name}</strong>")
            continue
        query = {"lang": locale, **({"ref": referral_code} if referral_code else {})}
        href = f"/c/{campaign.slug}?{urlencode(query)}"
        links.append(f'<a href="{escape(href)}" hreflang="{locale}" lang="{locale}">{name}</a>')
    return f'<nav class="lang">{"".join(links)}</nav>'


# Each language named in itself, as language pickers do.
_LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def _actions(campaign: Campaign, now: datetime, ways: WaysToBack) -> str:
    """The buttons to back it, or why it cannot be backed now."""
    if campaign.status is CampaignStatus.COMING_SOON or (
        campaign.status is CampaignStatus.LIVE and now < campaign.starts_at
    ):
        note = gettext("Pledges open on {date}.").format(date=date_time(campaign.starts_at))
        return f'<p class="closed">{escape(note)}</p>'
    if not campaign.accepts_pledges(now):
        note = gettext("This campaign has ended: it takes no more pledges.")
        return f'<p class="closed">{escape(note)}</p>'
    buttons = []
    if ways.telegram_url:
        label = escape(gettext("Back it on Telegram"))
        buttons.append(f'<a class="button" href="{escape(ways.telegram_url)}">{label}</a>')
    if ways.discord_url:
        label = escape(gettext("Back it on Discord"))
        # Discord shows each person the command's name in their own language.
        hint = gettext("In the server, type /{command} {slug} to see its rewards.").format(
            command=gettext("campaign"), slug=campaign.slug
        )
        buttons.append(
            f'<a class="button discord" href="{escape(ways.discord_url)}">{label}</a>'
            f'<p class="muted hint">{escape(hint)}</p>'
        )
    return f'<div class="actions">{"".join(buttons)}</div>' if buttons else ""


def _rewards(campaign: Campaign, now: datetime) -> str:
    """Each listed reward with its price, what it is and what is left of it."""
    tiers = campaign.shown_tiers()
    if not tiers:
        return ""
    late = campaign.late_open(now)
    ended = has_ended(campaign, now) and not late
    items = "".join(_reward(tier, now, ended=ended, late=late) for tier in tiers)
    return f'<h2>{escape(gettext("Rewards"))}</h2><ul class="rewards">{items}</ul>'


def _reward(tier: RewardTier, now: datetime, *, ended: bool, late: bool) -> str:
    """A reward as the card words it: what it is, when and where it comes, its uptake; at its
    late price while late pledges are taken (set apart when it is not offered late)."""
    price = (tier.price(late=late) or tier.amount).format(current_locale.get())
    parts = [
        f'<div class="head"><strong>{escape(tier.title)}</strong>'
        f'<span class="price">{escape(price)}</span></div>'
    ]
    if tier.description:
        parts.append(f"<p>{escape(tier.description)}</p>")
    parts.extend(
        f'<p class="muted">{escape(fact)}</p>' for fact in reward_facts(tier, now, ended=ended)
    )
    offered = tier.offered(now) and tier.price(late=late) is not None
    gone = ' class="gone"' if not offered else ""
    return f"<li{gone}>{''.join(parts)}</li>"


def _preview_tags(campaign: Campaign, picture_url: str) -> str:
    """What chat apps show when the link is pasted: the card picture, large."""
    return (
        f'<meta property="og:title" content="{escape(campaign.title)}">'
        f'<meta property="og:description" content="{escape(campaign.blurb)}">'
        f'<meta property="og:image" content="{escape(picture_url)}">'
        '<meta property="og:image:width" content="1200">'
        '<meta property="og:image:height" content="675">'
        '<meta name="twitter:card" content="summary_large_image">'
    )
