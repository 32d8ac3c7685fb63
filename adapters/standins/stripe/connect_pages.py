"""Connect's hosted pages: an account link's onboarding form and the Express dashboard a
login link opens. Plain HTML, no script needed."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from importlib.resources import files
from string import Template

from aiohttp import web

from adapters.standins.stripe import connect
from adapters.standins.stripe.money import display
from adapters.standins.stripe.state import StripeObject, StripeState

_HERE = files(__package__)
_STYLE = (_HERE / "checkout.css").read_text(encoding="utf-8")
_ONBOARDING = Template((_HERE / "onboarding.html").read_text(encoding="utf-8"))
_DASHBOARD = Template((_HERE / "dashboard.html").read_text(encoding="utf-8"))
_NOTICE = Template((_HERE / "notice.html").read_text(encoding="utf-8"))


class ConnectPages:
    """Shows an account link's onboarding and an account's dashboard."""

    def __init__(self, state: StripeState) -> None:
        self.state = state

    def routes(self) -> list[web.RouteDef]:
        """The pages' routes."""
        return [
            web.get("/connect/onboarding/{token}", self.show_onboarding),
            web.post("/connect/onboarding/{token}", self.complete_onboarding),
            web.get("/connect/express/{token}", self.show_dashboard),
        ]

    async def show_onboarding(self, request: web.Request) -> web.Response:
        """The onboarding form, once: a link opened before or expired goes to its refresh URL."""
        token = request.match_info["token"]
        link = self.state.onboarding_links.get(token)
        if link is None:
            return self._missing()
        if link.opened or self.state.now() >= link.expires_at:
            raise web.HTTPFound(link.refresh_url)
        link.opened = True
        account = self.state.objects[link.account_id]
        due = account["requirements"]["currently_due"]
        page = _ONBOARDING.substitute(
            title=escape(f"{self.state.merchant_name} · Onboarding"),
            style=_STYLE,
            token=escape(token),
            platform=escape(self.state.merchant_name),
            account_id=escape(account["id"]),
            country=escape(account["country"]),
            requirements="".join(f"<li><code>{escape(item)}</code></li>" for item in due)
            or "<li>Nothing: the account is complete.</li>",
        )
        return _html(page)

    async def complete_onboarding(self, request: web.Request) -> web.Response:
        """Submit the form: the account is complete, and the creator goes back to the platform."""
        link = self.state.onboarding_links.get(request.match_info["token"])
        if link is None:
            return self._missing()
        if not link.opened or link.completed:
            raise web.HTTPSeeOther(link.refresh_url)
        link.completed = True
        connect.complete_onboarding(self.state, link.account_id)
        raise web.HTTPSeeOther(link.return_url)

    async def show_dashboard(self, request: web.Request) -> web.Response:
        """An account's balance and the transfers it received."""
        account_id = self.state.dashboard_links.get(request.match_info["token"])
        if account_id is None:
            return self._missing()
        account = self.state.objects[account_id]
        held = connect.balance(self.state, account_id) or {account["default_currency"]: 0}
        page = _DASHBOARD.substitute(
            title=escape(f"Express dashboard · {account_id}"),
            style=_STYLE,
            account_id=escape(account_id),
            platform=escape(self.state.merchant_name),
            payouts="enabled" if account["payouts_enabled"] else "paused",
            balance="".join(
                f'<li><span>{escape(currency.upper())}</span><span class="item-amount">'
                f"{escape(display(amount, currency))}</span></li>"
                for currency, amount in sorted(held.items())
            ),
            transfers="".join(
                f'<li><span class="item"><span class="item-name">{escape(t["id"])}</span>'
                f'<span class="item-description">{_day(t["created"])}'
                f"{_reversed(t)}</span></span>"
                f'<span class="item-amount">{escape(display(t["amount"], t["currency"]))}</span>'
                "</li>"
                for t in connect.transfers_to(self.state, account_id)
            )
            or "<li>No transfers yet.</li>",
        )
        return _html(page)

    def _missing(self) -> web.Response:
        page = _NOTICE.substitute(
            heading="Page not found",
            style=_STYLE,
            merchant=escape(self.state.merchant_name),
            message="This link does not exist. Ask the platform for a new one.",
            back_link="",
        )
        return _html(page, status=404)


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%d %b %Y")


def _reversed(transfer: StripeObject) -> str:
    if not transfer["amount_reversed"]:
        return ""
    amount = display(transfer["amount_reversed"], transfer["currency"])
    return f" · {escape(amount)} reversed"


def _html(page: str, *, status: int = 200) -> web.Response:
    return web.Response(text=page, status=status, content_type="text/html")
