"""The few pages a backer sees in a browser, translated and escaped."""

from __future__ import annotations

from html import escape

from aiohttp import web

from adapters.web.services import ChatReturn
from core.campaigns import Campaign
from core.i18n import current_locale, gettext
from core.identity import Platform
from core.pledges import Pledge, PledgeStatus
from core.views.formatting import pledged

# Names of brands, the same in every language.
_PLATFORM_NAMES = {Platform.TELEGRAM: "Telegram", Platform.DISCORD: "Discord"}

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;
color:#1d2330;margin:0;padding:2rem 1rem}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:12px;padding:2rem;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin-top:0}.muted{color:#667085}.bar{font-size:1.3rem;letter-spacing:1px}
a.button{display:inline-block;background:#2f6fed;color:#fff;text-decoration:none;
padding:.6rem 1rem;border-radius:8px;margin:.3rem .3rem 0 0}
code{background:#f0f2f5;padding:.2rem .4rem;border-radius:4px;word-break:break-all}
"""


def page(title: str, body: str, status: int = 200, *, head: str = "") -> web.Response:
    """A complete HTML page; `title` is escaped here, `body` must already be."""
    return html_response(document(title, body, head=head), status)


def document(title: str, body: str, *, head: str = "") -> str:
    """The HTML of a complete page, in the current language (see `page`)."""
    return (
        f'<!doctype html><html lang="{current_locale.get()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} · Backit</title>{head}<style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def html_response(html: str, status: int = 200) -> web.Response:
    """A page's HTML as a response."""
    return web.Response(text=html, status=status, content_type="text/html")


def _back_to(chat: ChatReturn | None) -> str:
    """The way back to the chat: a link to the backer's bot when its platform is known and it
    runs here, else closing the page."""
    if chat is None:
        # The chat is still open behind this page (Telegram's in-app browser, a tab opened
        # from Discord): closing it is the way back.
        message = gettext("You can close this page and go back to the chat.")
        return f"<p>{escape(message)}</p>"
    label = escape(gettext("Back to {platform}").format(platform=_PLATFORM_NAMES[chat.platform]))
    return f'<p><a class="button" href="{escape(chat.url)}">{label}</a></p>'


def error_page(message: str, status: int) -> web.Response:
    """Why a request could not be done; nothing was written."""
    return page(
        gettext("Something went wrong"), f"<p>{escape(message)}</p>{_back_to(None)}", status
    )


def not_found_page() -> web.Response:
    """No page lives at this address."""
    return error_page(gettext("There is no page at this address."), 404)


def too_often_page(wait_seconds: int) -> web.Response:
    """The client asked for this page too often; it asks again by itself once it may."""
    message = gettext("Too many requests. Please wait a minute, then try again.")
    # A backer left on the page that checks their payment every few seconds gets there too.
    refresh = f'<meta http-equiv="refresh" content="{wait_seconds}">'
    response = page(gettext("Something went wrong"), f"<p>{escape(message)}</p>", 429, head=refresh)
    response.headers["Retry-After"] = str(wait_seconds)
    return response


def preview_page(campaign: Campaign | None, picture_url: str | None = None) -> web.Response:
    """What a chat app shows when someone pastes a pledge link: the campaign's picture at
    `picture_url`, its title and blurb."""
    if campaign is None:
        return page(gettext("Back a campaign on Backit"), "")
    title = gettext("Back “{title}” on Backit").format(title=campaign.title)
    head = (
        f'<meta property="og:title" content="{escape(title)}">'
        f'<meta property="og:description" content="{escape(campaign.blurb)}">'
    )
    if picture_url is not None:
        head += f'<meta property="og:image" content="{escape(picture_url)}">'
    return page(title, f"<p>{escape(campaign.blurb)}</p>", head=head)


def thanks_page(
    pledge: Pledge, campaign: Campaign, share_url: str, chat: ChatReturn | None
) -> web.Response:
    """The backer's confirmation: what they backed, their number, a link to bring friends in,
    and the way back to the chat they pledged from."""
    tier = campaign.tier(pledge.tier_id) if pledge.tier_id is not None else None
    reward = tier.title if tier is not None else None
    amount = pledged(pledge.amount, reward)
    if pledge.status is PledgeStatus.AUTHORIZED and reward is not None:
        lead = gettext(
            "Your card is saved for “{reward}” ({money}). It will be charged only if “{title}” "
            "reaches its goal."
        )
    elif pledge.status is PledgeStatus.AUTHORIZED:
        lead = gettext(
            "Your card is saved for {amount}. It will be charged only if “{title}” reaches "
            "its goal."
        )
    else:
        lead = gettext("Your pledge of {amount} to “{title}” is confirmed.")
    money = pledge.amount.format(current_locale.get())
    text = lead.format(amount=amount, money=money, reward=reward, title=campaign.title)
    body = f"<p>{escape(text)}</p>"
    if pledge.backer_number is not None:
        number = gettext("You are backer #{number}.").format(number=pledge.backer_number)
        body += f"<p><strong>{escape(number)}</strong></p>"
    invite = gettext("Share this link: everyone who backs through it counts as yours.")
    body += f'<p class="muted">{escape(invite)}</p><p><code>{escape(share_url)}</code></p>'
    return page(gettext("Thank you!"), body + _back_to(chat))


def payout_page(title: str, text: str, chat: ChatReturn | None) -> web.Response:
    """Where a creator's payout account stands, on the way back from the provider's
    onboarding, and the way back to the chat."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line)
    return page(title, paragraphs + _back_to(chat))


def confirming_page() -> web.Response:
    """The provider has not confirmed the payment yet; the page checks again by itself."""
    message = gettext("We are confirming your payment. This takes a few seconds.")
    body = f"<p>{escape(message)}</p>"
    return page(gettext("Almost there"), body, head='<meta http-equiv="refresh" content="3">')


def released_page(chat: ChatReturn | None) -> web.Response:
    """The backer left the checkout page without paying."""
    message = gettext("No payment was made, and the reward is available again.")
    body = f"<p>{escape(message)}</p>"
    return page(gettext("Pledge cancelled"), body + _back_to(chat))


def settled_page(pledge: Pledge, campaign: Campaign, chat: ChatReturn | None) -> web.Response:
    """A link followed again after its pledge was already decided."""
    if pledge.status in (PledgeStatus.PAID, PledgeStatus.AUTHORIZED):
        message = gettext("You have already backed “{title}” with this link. Thank you!")
    else:
        message = gettext("This link was already used. Tap the reward again in the chat.")
    return page(
        campaign.title,
        f"<p>{escape(message.format(title=campaign.title))}</p>" + _back_to(chat),
    )
