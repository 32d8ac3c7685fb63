"""Customers, saved payment methods charged off-session, and refunds."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.standins.snapshots import snapshot
from adapters.standins.stripe import connect, disputes, objects
from adapters.standins.stripe.cards import TEST_PAYMENT_METHODS, charge_decline
from adapters.standins.stripe.errors import ParamError, StripeError, no_such
from adapters.standins.stripe.money import display, is_currency, minimum_charge
from adapters.standins.stripe.params import Params
from adapters.standins.stripe.state import Origin, StripeObject, StripeState

PAYMENT_INTENT_PARAMS = (
    "amount",
    "currency",
    "customer",
    "payment_method",
    "off_session",
    "confirm",
    "metadata",
    "description",
    "statement_descriptor_suffix",
    "transfer_data",
    "application_fee_amount",
    "on_behalf_of",
)


def create_customer(state: StripeState, params: Params, origin: Origin) -> StripeObject:
    """A new customer."""
    params.only("email", "name", "phone", "description", "metadata")
    customer = state.add(
        objects.customer(
            state.now(),
            email=params.text("email", max_length=512),
            name=params.text("name", max_length=256),
            phone=params.text("phone", max_length=20),
            description=params.text("description", max_length=350),
            metadata=params.metadata(),
        )
    )
    state.emit("customer.created", customer, origin)
    return customer


def attach(state: StripeState, method: StripeObject, customer_id: str, origin: Origin) -> None:
    """Attach a payment method to a customer, so it can be charged again and again."""
    if method["id"] in state.spent_payment_methods:
        raise StripeError(
            400,
            "This PaymentMethod was previously used without being attached to a Customer or "
            "was detached from a Customer, and may not be used again.",
            param="payment_method",
        )
    if method["customer"] not in (None, customer_id):
        raise StripeError(
            400,
            f"The payment method you provided has already been attached to a customer "
            f"({method['customer']}).",
            param="payment_method",
        )
    method["customer"] = customer_id
    state.emit("payment_method.attached", method, origin)


def test_payment_method(state: StripeState, method_id: str) -> StripeObject | None:
    """A new card payment method for one of Stripe's test ids ("pm_card_visa"), or None."""
    card = TEST_PAYMENT_METHODS.get(method_id)
    if card is None:
        return None
    year = datetime.fromtimestamp(state.now(), UTC).year
    method = objects.card_payment_method(
        state.now(), card, exp_month=12, exp_year=year + 3, email=None, name=None
    )
    state.cards[state.add(method)["id"]] = card
    return method


def attach_payment_method(
    state: StripeState, method: StripeObject, params: Params, origin: Origin
) -> StripeObject:
    """`POST /v1/payment_methods/{id}/attach`."""
    params.only("customer")
    customer_id = params.required_text("customer")
    if state.find("customer", customer_id) is None:
        raise no_such("customer", customer_id, "customer")
    attach(state, method, customer_id, origin)
    return method


def create_payment_intent(state: StripeState, params: Params, origin: Origin) -> StripeObject:
    """A payment intent confirmed at once on a saved payment method: succeeded, or a card error."""
    params.only(*PAYMENT_INTENT_PARAMS)
    amount = params.required_integer("amount", minimum=1)
    currency = params.required_text("currency").lower()
    if not is_currency(currency):
        raise ParamError("currency", f"Invalid currency: {currency}.")
    if amount < minimum_charge(currency):
        raise ParamError(
            "amount",
            f"Amount must be at least {display(minimum_charge(currency), currency)} {currency}",
            code="amount_too_small",
        )
    customer_id = params.text("customer")
    if customer_id and state.find("customer", customer_id) is None:
        raise no_such("customer", customer_id, "customer")
    method_id = params.required_text("payment_method")
    method = state.find("payment_method", method_id)
    if method is None:
        raise no_such("PaymentMethod", method_id, "payment_method")
    if params.boolean("confirm") is not True:
        raise ParamError(
            "confirm",
            "The stand-in models payment intents confirmed at creation: send confirm=true.",
        )
    # Checked but not acted on: a saved card is charged the same way on or off session here.
    params.boolean("off_session")
    transfer = connect.transfer_terms(state, params, amount)
    _check_usable(state, method, customer_id)
    intent = state.add(
        objects.payment_intent(
            state.now(),
            amount=amount,
            currency=currency,
            customer_id=customer_id,
            payment_method=method,
            metadata=params.metadata(),
            description=params.text("description", max_length=1000),
            statement_descriptor_suffix=params.text("statement_descriptor_suffix", max_length=22),
            transfer=transfer,
        )
    )
    state.emit("payment_intent.created", intent, origin)
    if method["customer"] is None:
        state.spent_payment_methods.add(method["id"])
    _confirm(state, intent, method, origin)
    return intent


def _check_usable(state: StripeState, method: StripeObject, customer_id: str | None) -> None:
    if method["id"] in state.spent_payment_methods:
        raise StripeError(
            400,
            "The provided PaymentMethod was previously used with a PaymentIntent without "
            "Customer attachment, shared with a connected account without Customer attachment, "
            "or was detached from a Customer. It may not be used again. To use a PaymentMethod "
            "multiple times, you must attach it to a Customer first.",
            param="payment_method",
        )
    owner = method["customer"]
    if owner is not None and customer_id is None:
        raise StripeError(
            400,
            f"The PaymentMethod provided ({method['id']}) is attached to a Customer: pass that "
            "Customer's id in the `customer` parameter.",
            param="customer",
        )
    if owner is not None and owner != customer_id:
        raise StripeError(
            400,
            f"The provided PaymentMethod ({method['id']}) belongs to another Customer.",
            param="payment_method",
        )


def _confirm(
    state: StripeState, intent: StripeObject, method: StripeObject, origin: Origin
) -> None:
    card = state.cards.get(method["id"])
    decline = charge_decline(card) if card else None
    status = "failed" if decline else "succeeded"
    paid = state.add(
        objects.charge(
            state.now(),
            intent,
            method,
            status=status,
            descriptor=state.statement_descriptor,
            decline=decline,
        )
    )
    intent["latest_charge"] = paid["id"]
    if decline is None:
        intent.update(status="succeeded", amount_received=intent["amount"])
        connect.pay_out(state, intent, paid, origin)
        state.emit("charge.succeeded", paid, origin)
        state.emit("payment_intent.succeeded", intent, origin)
        disputes.dispute_if_card_says(state, paid)
        return
    intent.update(
        status="requires_payment_method",
        last_payment_error=objects.payment_error(decline, paid["id"], snapshot(method)),
    )
    state.emit("charge.failed", paid, origin)
    state.emit("payment_intent.payment_failed", intent, origin)
    raise StripeError(
        402,
        decline.message,
        kind="card_error",
        code=decline.code,
        extra={
            "charge": paid["id"],
            "decline_code": decline.decline_code,
            "payment_intent": snapshot(intent),
            "payment_method": snapshot(method),
        },
    )


def create_refund(state: StripeState, params: Params, origin: Origin) -> StripeObject:
    """A refund of what is left of a charge, or of part of it."""
    params.only(
        "payment_intent",
        "charge",
        "amount",
        "reason",
        "metadata",
        "reverse_transfer",
        "refund_application_fee",
    )
    amount = params.integer("amount", minimum=1)
    reason = params.choice("reason", ("duplicate", "fraudulent", "requested_by_customer"))
    metadata = params.metadata()
    reverse_transfer = params.boolean("reverse_transfer") or False
    refund_fee = params.boolean("refund_application_fee") or False
    paid = _refundable_charge(state, params)
    connect.check_take_back(paid, reverse_transfer=reverse_transfer, refund_fee=refund_fee)
    disputes.check_refundable(state, paid)
    left = paid["amount"] - paid["amount_refunded"]
    if left == 0:
        raise StripeError(
            400, f"Charge {paid['id']} has already been refunded.", code="charge_already_refunded"
        )
    amount = left if amount is None else amount
    if amount > left:
        raise StripeError(
            400,
            f"Refund amount ({display(amount, paid['currency'])}) is greater than unrefunded "
            f"amount on charge ({display(left, paid['currency'])})",
            param="amount",
        )
    refund = state.add(
        objects.refund(state.now(), paid, amount=amount, reason=reason, metadata=metadata)
    )
    paid["amount_refunded"] += amount
    paid["refunded"] = paid["amount_refunded"] == paid["amount"]
    connect.take_back(
        state,
        paid,
        refund,
        reverse_transfer=reverse_transfer,
        refund_application_fee=refund_fee,
        origin=origin,
    )
    paid["refunds"]["data"].insert(0, snapshot(refund))
    paid["refunds"]["total_count"] += 1
    state.emit("refund.created", refund, origin)
    state.emit("charge.refunded", paid, origin)
    return refund


def _refundable_charge(state: StripeState, params: Params) -> StripeObject:
    intent_id, charge_id = params.text("payment_intent"), params.text("charge")
    if intent_id is None and charge_id is None:
        raise ParamError(
            "payment_intent",
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
        )
    if charge_id is None:
        intent = state.find("payment_intent", intent_id or "")
        if intent is None:
            raise no_such("payment_intent", intent_id or "", "payment_intent")
        charge_id = intent["latest_charge"] if intent["status"] == "succeeded" else None
        if charge_id is None:
            raise StripeError(
                400,
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                param="payment_intent",
            )
    paid = state.find("charge", charge_id)
    if paid is None:
        raise no_such("charge", charge_id, "charge")
    if intent_id is not None and paid["payment_intent"] != intent_id:
        raise ParamError("charge", f"Charge {charge_id} does not belong to {intent_id}.")
    if paid["status"] != "succeeded":
        raise StripeError(400, f"Charge {charge_id} did not succeed: there is nothing to refund.")
    return paid
