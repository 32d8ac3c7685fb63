"""Checkout Sessions: created from checked parameters, listed, expired on request or in time."""

from __future__ import annotations

from adapters.standins.stripe import connect
from adapters.standins.stripe.countries import SHIPPING_COUNTRIES
from adapters.standins.stripe.errors import ParamError, StripeError, no_such
from adapters.standins.stripe.ids import new_id
from adapters.standins.stripe.listing import LIST_PARAMS, page
from adapters.standins.stripe.money import display, is_currency, minimum_charge
from adapters.standins.stripe.params import Params
from adapters.standins.stripe.state import (
    CheckoutTerms,
    LineItem,
    Origin,
    StripeObject,
    StripeState,
)

SESSION_PARAMS = (
    "mode",
    "line_items",
    "currency",
    "success_url",
    "cancel_url",
    "expires_at",
    "metadata",
    "client_reference_id",
    "customer",
    "customer_creation",
    "customer_email",
    "shipping_address_collection",
    "payment_intent_data",
    "setup_intent_data",
    "locale",
    "submit_type",
    "payment_method_types",
    "custom_text",
)
# The sections of a session's `custom_text`, and the most characters each may hold.
CUSTOM_TEXT_SECTIONS = ("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
CUSTOM_TEXT_MAX = 1200
MIN_LIFETIME = 30 * 60
MAX_LIFETIME = 24 * 60 * 60
PAYMENT_METHOD_TYPES = ("card", "sepa_debit")


def create_session(state: StripeState, params: Params, public_url: str) -> StripeObject:
    """A new open session, after checking the parameters as Stripe does."""
    params.only(*SESSION_PARAMS)
    mode = _mode(params)
    success_url = params.url("success_url")
    if success_url is None:
        raise params.missing("success_url")
    customer_id, customer_creation = _customer(state, params)
    if mode == "payment":
        terms, currency = _payment_terms(state, params)
        amount: int | None = sum(item.amount for item in terms.line_items)
    else:
        terms, currency, amount = _setup_terms(params), _currency(params, "currency"), None
    now = state.now()
    session_id = new_id("cs_test")
    session = _session(
        session_id,
        now,
        mode=mode,
        currency=currency,
        amount=amount,
        success_url=success_url,
        cancel_url=params.url("cancel_url"),
        expires_at=_expires_at(params, now),
        metadata=params.metadata(),
        client_reference_id=params.text("client_reference_id", max_length=200),
        customer_id=customer_id,
        customer_creation=customer_creation,
        customer_email=_customer_email(params, customer_id),
        allowed_countries=_allowed_countries(params),
        locale=params.text("locale"),
        submit_type=params.choice("submit_type", ("auto", "book", "donate", "pay")),
        payment_method_types=_payment_method_types(params),
        custom_text=_custom_text(params),
        url=f"{public_url}/checkout/{session_id}",
    )
    state.checkout_terms[session_id] = terms
    return state.add(session)


def list_sessions(state: StripeState, params: Params) -> StripeObject:
    """A page of sessions, newest first, filtered like `GET /v1/checkout/sessions`."""
    params.only(*LIST_PARAMS, "status", "customer", "payment_intent")
    wanted = {key: params.text(key) for key in ("status", "customer", "payment_intent")}
    sessions = [
        session
        for session in state.newest_first("checkout.session")
        if all(value is None or session[key] == value for key, value in wanted.items())
    ]
    return page(sessions, params, "/v1/checkout/sessions")


def expire_session(state: StripeState, session: StripeObject, origin: Origin) -> StripeObject:
    """End an open session so it can no longer be paid."""
    if session["status"] != "open":
        raise StripeError(
            400,
            f'Only Checkout Sessions with a status in ["open"] can be expired. '
            f'This Checkout Session has a status of "{session["status"]}".',
            code="checkout_session_not_open",
        )
    session.update(status="expired", url=None)
    state.emit("checkout.session.expired", session, origin)
    return session


def expire_due_sessions(state: StripeState) -> None:
    """Expire every open session whose `expires_at` has passed, as Stripe does on its own."""
    now = state.now()
    for session in state.newest_first("checkout.session")[::-1]:
        if session["status"] == "open" and session["expires_at"] <= now:
            expire_session(state, session, Origin())


def _mode(params: Params) -> str:
    mode = params.text("mode")
    if mode is None:
        raise params.missing("mode")
    if mode not in ("payment", "setup"):
        raise ParamError(
            "mode", f"Invalid mode: {mode}. The stand-in models the payment and setup modes."
        )
    return mode


def _currency(params: Params, key: str) -> str:
    currency = params.text(key)
    if currency is None:
        raise params.missing(key)
    if not is_currency(currency.lower()):
        raise ParamError(params.name(key), f"Invalid currency: {currency}.")
    return currency.lower()


def _payment_terms(state: StripeState, params: Params) -> tuple[CheckoutTerms, str]:
    if params.has("setup_intent_data"):
        raise ParamError("setup_intent_data", "setup_intent_data can only be used in setup mode.")
    items = params.hashes("line_items")
    if not items:
        raise ParamError(
            "line_items",
            "You must specify `line_items` in `payment` mode.",
            code="parameter_missing",
        )
    line_items = [_line_item(item) for item in items]
    currency = line_items[0].currency
    if any(item.currency != currency for item in line_items) or (
        params.has("currency") and _currency(params, "currency") != currency
    ):
        raise ParamError("line_items", "All line items must use the same currency.")
    total = sum(item.amount for item in line_items)
    if total < minimum_charge(currency):
        raise ParamError(
            "line_items",
            "The Checkout Session's total amount due must add up to at least "
            f"{display(minimum_charge(currency), currency)} {currency}",
            code="amount_too_small",
        )
    data = params.nested("payment_intent_data") or Params({}, "payment_intent_data")
    data.only(
        "setup_future_usage",
        "metadata",
        "description",
        "transfer_data",
        "application_fee_amount",
        "on_behalf_of",
    )
    terms = CheckoutTerms(
        line_items=line_items,
        intent_metadata=data.metadata(),
        intent_description=data.text("description"),
        setup_future_usage=data.choice("setup_future_usage", ("off_session", "on_session")),
        transfer=connect.transfer_terms(state, data, total),
    )
    return terms, currency


def _line_item(item: Params) -> LineItem:
    item.only("price_data", "quantity", "price")
    if item.has("price"):
        raise no_such("price", item.text("price") or "", item.name("price"))
    price = item.required_nested("price_data")
    price.only("currency", "unit_amount", "product_data")
    product = price.required_nested("product_data")
    product.only("name", "description", "metadata")
    return LineItem(
        name=product.required_text("name"),
        description=_not_empty(product, "description"),
        unit_amount=price.required_integer("unit_amount", minimum=1),
        quantity=item.required_integer("quantity", minimum=1),
        currency=_currency(price, "currency"),
    )


def _not_empty(params: Params, key: str) -> str | None:
    """A string that, if given, says something: Stripe reads an empty one as unsetting a field."""
    value = params.text(key)
    if value == "":
        raise ParamError(
            params.name(key),
            f"You passed an empty string for '{params.name(key)}'. We assume empty values are an "
            "attempt to unset a parameter; however "
            f"'{params.name(key)}' cannot be unset. You should remove "
            f"'{params.name(key)}' from your request or supply a non-empty value.",
        )
    return value


def _custom_text(params: Params) -> StripeObject:
    """The texts shown beside the page's parts, each `{"message"}` or None when not given."""
    texts: StripeObject = dict.fromkeys(CUSTOM_TEXT_SECTIONS)
    if params.values.get("custom_text") == "":
        return texts
    custom = params.nested("custom_text")
    if custom is None:
        return texts
    custom.only(*CUSTOM_TEXT_SECTIONS)
    if custom.has("terms_of_service_acceptance"):
        # Stripe shows it in place of the terms of service a session asks consent to, which
        # the stand-in's sessions never do (it takes no `consent_collection`).
        raise ParamError(
            custom.name("terms_of_service_acceptance"),
            "You cannot set `custom_text[terms_of_service_acceptance]` unless "
            "`consent_collection[terms_of_service]` is `required`.",
        )
    for section in CUSTOM_TEXT_SECTIONS:
        if custom.values.get(section) == "":
            continue
        text = custom.nested(section)
        if text is not None:
            text.only("message")
            texts[section] = {"message": text.required_text("message", max_length=CUSTOM_TEXT_MAX)}
    return texts


def _setup_terms(params: Params) -> CheckoutTerms:
    for key in ("line_items", "payment_intent_data"):
        if params.has(key):
            raise ParamError(key, f"You can not pass `{key}` in `setup` mode.")
    data = params.nested("setup_intent_data") or Params({}, "setup_intent_data")
    data.only("metadata", "description")
    return CheckoutTerms(
        intent_metadata=data.metadata(), intent_description=data.text("description")
    )


def _expires_at(params: Params, now: int) -> int:
    expires_at = params.integer("expires_at")
    if expires_at is None:
        return now + MAX_LIFETIME
    if expires_at < now + MIN_LIFETIME:
        raise ParamError(
            "expires_at",
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session "
            "creation.",
        )
    if expires_at > now + MAX_LIFETIME:
        raise ParamError(
            "expires_at",
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        )
    return expires_at


def _customer(state: StripeState, params: Params) -> tuple[str | None, str]:
    customer_id = params.text("customer")
    creation = params.choice("customer_creation", ("always", "if_required"))
    if customer_id and creation:
        raise ParamError(
            "customer_creation",
            "You may only specify one of these parameters: customer, customer_creation.",
        )
    if customer_id and state.find("customer", customer_id) is None:
        raise no_such("customer", customer_id, "customer")
    return customer_id, creation or "if_required"


def _customer_email(params: Params, customer_id: str | None) -> str | None:
    email = params.text("customer_email")
    if email and customer_id:
        raise ParamError(
            "customer_email",
            "You may only specify one of these parameters: customer, customer_email.",
        )
    if email is not None and "@" not in email:
        raise ParamError("customer_email", f"Invalid email address: {email}", code="email_invalid")
    return email


def _allowed_countries(params: Params) -> list[str] | None:
    collection = params.nested("shipping_address_collection")
    if collection is None:
        return None
    collection.only("allowed_countries")
    countries = collection.strings("allowed_countries")
    if not countries:
        raise collection.missing("allowed_countries")
    for index, country in enumerate(countries):
        if country not in SHIPPING_COUNTRIES:
            raise ParamError(
                f"shipping_address_collection[allowed_countries][{index}]",
                f"Invalid shipping_address_collection[allowed_countries][{index}]: {country} "
                "is not a country Checkout ships to.",
            )
    return countries


def _payment_method_types(params: Params) -> list[str]:
    kinds = params.strings("payment_method_types") or ["card"]
    for index, kind in enumerate(kinds):
        if kind not in PAYMENT_METHOD_TYPES:
            raise ParamError(
                f"payment_method_types[{index}]",
                f"Invalid payment_method_types[{index}]: the stand-in models "
                f"{' and '.join(PAYMENT_METHOD_TYPES)}.",
            )
    return kinds


def _session(
    session_id: str,
    now: int,
    *,
    mode: str,
    currency: str,
    amount: int | None,
    success_url: str,
    cancel_url: str | None,
    expires_at: int,
    metadata: dict[str, str],
    client_reference_id: str | None,
    customer_id: str | None,
    customer_creation: str,
    customer_email: str | None,
    allowed_countries: list[str] | None,
    locale: str | None,
    submit_type: str | None,
    payment_method_types: list[str],
    custom_text: StripeObject,
    url: str,
) -> StripeObject:
    paying = mode == "payment"
    return {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False} if paying else None,
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": cancel_url,
        "client_reference_id": client_reference_id,
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": now,
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": custom_text,
        "customer": customer_id,
        "customer_account": None,
        "customer_creation": customer_creation,
        "customer_details": None,
        "customer_email": customer_email,
        "discounts": [] if paying else None,
        "expires_at": expires_at,
        "integration_identifier": None,
        "invoice": None,
        "invoice_creation": _invoice_creation() if paying else None,
        "livemode": False,
        "locale": locale,
        "managed_payments": None,
        "metadata": metadata,
        "mode": mode,
        "origin_context": None,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "always",
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": payment_method_types,
        "payment_status": "unpaid" if paying else "no_payment_required",
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": (
            {"allowed_countries": allowed_countries} if allowed_countries else None
        ),
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": submit_type,
        "subscription": None,
        "success_url": success_url,
        "total_details": (
            {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0} if paying else None
        ),
        "ui_mode": "hosted_page",
        "url": url,
        "wallet_options": None,
    }


def _invoice_creation() -> StripeObject:
    return {
        "enabled": False,
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": None,
            "footer": None,
            "issuer": None,
            "metadata": {},
            "rendering_options": None,
        },
    }
