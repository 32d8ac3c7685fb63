"""The hosted checkout page at each session's `url`: a plain HTML form, no script needed."""

from __future__ import annotations

from html import escape
from importlib.resources import files
from string import Template

from aiohttp import web

from adapters.standins.stripe.cards import TEST_CARDS
from adapters.standins.stripe.checkout_completion import (
    SHIPPING_FIELDS,
    Closed,
    Paid,
    Payer,
    Refused,
    closed_message,
    is_open,
    pay_by_card,
    preset_email,
)
from adapters.standins.stripe.checkout_sessions import expire_due_sessions
from adapters.standins.stripe.countries import country_name
from adapters.standins.stripe.money import display
from adapters.standins.stripe.state import StripeObject, StripeState

# Beside this module, so the package data of pyproject.toml ships them.
_HERE = files(__package__)
_STYLE = (_HERE / "checkout.css").read_text(encoding="utf-8")
_FORM = Template((_HERE / "checkout.html").read_text(encoding="utf-8"))
_SHIPPING = Template((_HERE / "shipping.html").read_text(encoding="utf-8"))
_NOTICE = Template((_HERE / "notice.html").read_text(encoding="utf-8"))


class CheckoutPage:
    """Shows a session's payment form and takes its submission."""

    def __init__(self, state: StripeState) -> None:
        self.state = state

    def routes(self) -> list[web.RouteDef]:
        """The page's routes."""
        return [
            web.get("/checkout/{session_id}", self.show),
            web.post("/checkout/{session_id}", self.submit),
        ]

    async def show(self, request: web.Request) -> web.Response:
        """The payment form, or why the session can no longer be paid."""
        expire_due_sessions(self.state)
        session = self.state.find("checkout.session", request.match_info["session_id"])
        if session is None or not is_open(session):
            return self._notice(session, closed_message(session))
        return _html(self.form(session, Payer(), error=None))

    async def submit(self, request: web.Request) -> web.Response:
        """Pay: 303 to the success URL, or the form again with what went wrong."""
        expire_due_sessions(self.state)
        session_id = request.match_info["session_id"]
        form = await request.post()
        typed = {key: value for key, value in form.items() if isinstance(value, str)}
        payer = Payer(
            email=typed.get("email", ""),
            name=typed.get("name", ""),
            card_number=typed.get("card_number", ""),
            expiry=typed.get("expiry", ""),
            cvc=typed.get("cvc", ""),
            shipping={
                key: typed.get("shipping_name" if key == "name" else key, "")
                for key in SHIPPING_FIELDS
            },
        )
        match pay_by_card(self.state, session_id, payer):
            case Paid(redirect_url):
                return web.Response(status=303, headers={"Location": redirect_url})
            case Refused(message):
                session = self.state.objects[session_id]
                return _html(self.form(session, payer, error=message))
            case Closed(message):
                return self._notice(self.state.find("checkout.session", session_id), message)

    def form(self, session: StripeObject, payer: Payer, *, error: str | None) -> str:
        """The payment form, filled with what the payer typed."""
        merchant = self.state.merchant_name
        paying = session["mode"] == "payment"
        amount = display(session["amount_total"], session["currency"]) if paying else ""
        preset = preset_email(self.state, session)
        return _FORM.substitute(
            title=escape(f"{merchant} · Checkout"),
            style=_STYLE,
            back_link=_back_link(session),
            merchant=escape(merchant),
            headline=escape(f"Pay {merchant}" if paying else "Save your card for later payments"),
            amount=escape(amount or "You won't be charged now"),
            items=self._items(session),
            session_id=escape(session["id"]),
            error=f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
            email=escape(preset or payer.email),
            email_lock="readonly" if preset else "",
            shipping=_custom_text(session, "shipping_address") + _shipping_fields(session, payer),
            card_number=escape(payer.card_number),
            expiry=escape(payer.expiry),
            name=escape(payer.name),
            submit=escape(f"Pay {amount}" if paying else "Save card"),
            submit_text=_custom_text(session, "submit") + _custom_text(session, "after_submit"),
            test_cards=_test_cards(),
        )

    def _items(self, session: StripeObject) -> str:
        return "".join(
            f'<li><span class="item"><span class="item-name">{escape(item.name)} × '
            f"{item.quantity}</span>{_description(item.description)}</span>"
            f'<span class="item-amount">{escape(display(item.amount, item.currency))}</span></li>'
            for item in self.state.checkout_terms[session["id"]].line_items
        )

    def _notice(self, session: StripeObject | None, message: str) -> web.Response:
        headings = {"complete": "Checkout complete", "expired": "Checkout session expired"}
        heading = headings.get(session["status"], "Checkout") if session else "Page not found"
        page = _NOTICE.substitute(
            heading=escape(heading),
            style=_STYLE,
            merchant=escape(self.state.merchant_name),
            message=escape(message),
            back_link=_back_link(session) if session else "",
        )
        return _html(page, status=200 if session else 404)


def _html(page: str, *, status: int = 200) -> web.Response:
    return web.Response(text=page, status=status, content_type="text/html")


def _back_link(session: StripeObject) -> str:
    if not session["cancel_url"]:
        return ""
    return f'<a class="back" href="{escape(session["cancel_url"])}">← Back</a>'


def _description(description: str | None) -> str:
    if description is None:
        return ""
    return f'<span class="item-description">{escape(description)}</span>'


def _custom_text(session: StripeObject, section: str) -> str:
    """One of the session's custom texts, where Stripe's page shows it; nothing if unset."""
    text = session["custom_text"][section]
    if text is None:
        return ""
    return f'<p class="custom-text" data-section="{section}">{escape(text["message"])}</p>'


def _shipping_fields(session: StripeObject, payer: Payer) -> str:
    collection = session["shipping_address_collection"]
    if collection is None:
        return ""
    chosen = payer.shipping.get("country", "")
    countries = sorted(collection["allowed_countries"], key=country_name)
    options = "".join(
        f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>'
        f"{escape(country_name(code))}</option>"
        for code in countries
    )
    typed = {key: escape(payer.shipping.get(key, "")) for key in SHIPPING_FIELDS}
    return _SHIPPING.substitute(typed, countries=options)


def _test_cards() -> str:
    return "".join(
        f"<tr><td><code>{' '.join(card.number[i : i + 4] for i in range(0, 16, 4))}</code></td>"
        f"<td>{escape(card.description)}</td></tr>"
        for card in TEST_CARDS.values()
    )
