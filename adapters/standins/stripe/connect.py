"""Connect: Express accounts and their onboarding, destination charges' transfers and
application fees, and what refunds take back of them."""

from __future__ import annotations

import secrets

from adapters.standins.snapshots import snapshot
from adapters.standins.stripe import connect_objects
from adapters.standins.stripe.countries import country_name
from adapters.standins.stripe.errors import ParamError, StripeError, no_such
from adapters.standins.stripe.params import Params
from adapters.standins.stripe.state import (
    OnboardingLink,
    Origin,
    StripeObject,
    StripeState,
    TransferTerms,
)
from core.payouts import ACCOUNT_COUNTRIES

ACCOUNT_PARAMS = ("type", "country", "email", "business_type", "capabilities", "metadata")
CAPABILITIES = ("card_payments", "transfers")
BUSINESS_TYPES = ("company", "government_entity", "individual", "non_profit")
# Account links last minutes on Stripe; long enough to open one, never to keep one.
LINK_LIFETIME = 5 * 60
# What a restricted account is asked for again, unless the test names something else.
VERIFICATION_DOCUMENT = "individual.verification.document"


def find_account(state: StripeState, account_id: str) -> StripeObject:
    """An account the platform may see, or Stripe's refusal (a 403, as for someone else's)."""
    account = state.find("account", account_id)
    if account is None:
        raise StripeError(
            403,
            f"The provided key does not have access to account '{account_id}' (or that account "
            "does not exist). Application access may have been revoked.",
            code="account_invalid",
        )
    return account


def create_account(state: StripeState, params: Params) -> StripeObject:
    """`POST /v1/accounts`: a new Express account, waiting for its onboarding (Stripe sends
    no event for it: the platform has the answer)."""
    params.only(*ACCOUNT_PARAMS)
    kind = params.text("type")
    if kind is None:
        raise params.missing("type")
    if kind != "express":
        raise ParamError("type", f"Invalid type: {kind}. The stand-in models Express accounts.")
    country = (params.text("country") or "US").upper()
    if country not in ACCOUNT_COUNTRIES:
        raise ParamError("country", _country_refusal(country))
    return state.add(
        connect_objects.account(
            state.now(),
            country=country,
            email=params.text("email", max_length=800),
            business_type=params.choice("business_type", BUSINESS_TYPES),
            capabilities=_requested_capabilities(params),
            metadata=params.metadata(),
        )
    )


def _country_refusal(country: str) -> str:
    if country_name(country) == country:
        return (
            f"Country '{country}' is unknown. Try using a 2-character alphanumeric country "
            "code instead, such as 'US', 'EG', or 'GB'."
        )
    return f"Connect Express accounts are not supported in {country_name(country)}."


def _requested_capabilities(params: Params) -> list[str]:
    capabilities = params.nested("capabilities")
    if capabilities is None:
        raise ParamError(
            "capabilities",
            "You must request at least one capability for an Express account: "
            "capabilities[transfers][requested]=true, for instance.",
            code="parameter_missing",
        )
    capabilities.only(*CAPABILITIES)
    requested = []
    for name in CAPABILITIES:
        capability = capabilities.nested(name)
        if capability is None:
            continue
        capability.only("requested")
        if capability.boolean("requested"):
            requested.append(name)
    if "card_payments" in requested and "transfers" not in requested:
        raise ParamError(
            "capabilities",
            "Accounts requesting `card_payments` must also request `transfers`.",
        )
    return requested


def update_account(
    state: StripeState, account: StripeObject, params: Params, origin: Origin
) -> StripeObject:
    """`POST /v1/accounts/{id}`: what a platform may change of an Express account."""
    params.only("email", "metadata", "business_type")
    before = snapshot(account)
    if params.has("metadata"):
        # Stripe merges metadata; an empty value unsets its key.
        merged = {**account["metadata"], **(params.nested("metadata") or Params({})).values}
        account["metadata"] = Params({"metadata": merged}).metadata()
    if params.has("email"):
        account["email"] = params.text("email", max_length=800)
    if params.has("business_type"):
        account["business_type"] = params.choice("business_type", BUSINESS_TYPES)
    _emit_update(state, account, before, origin)
    return account


def _emit_update(
    state: StripeState, account: StripeObject, before: StripeObject, origin: Origin
) -> None:
    previous = {key: value for key, value in before.items() if account[key] != value}
    if previous:
        state.emit("account.updated", account, origin, account=account["id"], previous=previous)


def create_account_link(state: StripeState, params: Params, public_url: str) -> StripeObject:
    """`POST /v1/account_links`: a single-use link to an account's hosted onboarding."""
    params.only("account", "type", "refresh_url", "return_url", "collect")
    account_id = params.required_text("account")
    if state.find("account", account_id) is None:
        raise no_such("account", account_id, "account")
    kind = params.required_text("type")
    if kind == "account_update":
        raise ParamError(
            "type", "You cannot create `account_update` type Account Links for Express accounts."
        )
    if kind != "account_onboarding":
        raise ParamError("type", f"Invalid type: must be one of account_onboarding, not {kind}")
    refresh_url, return_url = params.url("refresh_url"), params.url("return_url")
    if refresh_url is None:
        raise params.missing("refresh_url")
    if return_url is None:
        raise params.missing("return_url")
    params.choice("collect", ("currently_due", "eventually_due"))
    token = secrets.token_urlsafe(16)
    now = state.now()
    state.onboarding_links[token] = OnboardingLink(
        account_id, refresh_url, return_url, expires_at=now + LINK_LIFETIME
    )
    url = f"{public_url}/connect/onboarding/{token}"
    return connect_objects.account_link(now, expires_at=now + LINK_LIFETIME, url=url)


def create_login_link(
    state: StripeState, account: StripeObject, params: Params, public_url: str
) -> StripeObject:
    """`POST /v1/accounts/{id}/login_links`: into the dashboard of an onboarded Express account."""
    params.only()
    if not account["details_submitted"]:
        raise StripeError(
            400,
            "Cannot create a login link for an account that has not completed onboarding.",
            param="account",
        )
    token = secrets.token_urlsafe(16)
    state.dashboard_links[token] = account["id"]
    return connect_objects.login_link(state.now(), url=f"{public_url}/connect/express/{token}")


def complete_onboarding(state: StripeState, account_id: str) -> StripeObject:
    """The creator submitted everything: the account takes charges and is paid out."""
    account = find_account(state, account_id)
    before = snapshot(account)
    _onboard(account, state.now())
    _emit_update(state, account, before, Origin())
    return account


def _onboard(account: StripeObject, now: int) -> None:
    account.update(
        details_submitted=True,
        charges_enabled=True,
        payouts_enabled=True,
        capabilities=dict.fromkeys(account["capabilities"], "active"),
        requirements=connect_objects.requirements([], None),
        tos_acceptance={"date": now, "ip": "127.0.0.1", "user_agent": None},
    )


def adopt_account(
    state: StripeState, account_id: str, country: str, *, onboarded: bool
) -> StripeObject:
    """An Express account the platform opened before this stand-in's memory began, back under
    its id as Backit opens them (both capabilities requested), onboarded or still waiting;
    Stripe has had it all along, so no event says so."""
    if country not in ACCOUNT_COUNTRIES:
        raise ValueError(_country_refusal(country))
    if account_id in state.objects:
        raise ValueError(f"{account_id} exists already")
    account = connect_objects.account(
        state.now(),
        country=country,
        email=None,
        business_type=None,
        capabilities=list(CAPABILITIES),
        metadata={},
        account_id=account_id,
    )
    if onboarded:
        _onboard(account, state.now())
    return state.add(account)


def restrict_account(state: StripeState, account_id: str, requirement: str) -> StripeObject:
    """Stripe needs more of the creator: the account can no longer take charges."""
    account = find_account(state, account_id)
    before = snapshot(account)
    account.update(
        charges_enabled=False,
        capabilities=dict.fromkeys(account["capabilities"], "inactive"),
        requirements=connect_objects.requirements([requirement], "requirements.past_due"),
    )
    _emit_update(state, account, before, Origin())
    return account


def transfer_terms(state: StripeState, params: Params, amount: int) -> TransferTerms | None:
    """A destination charge's terms from a PaymentIntent's parameters (or Checkout's
    `payment_intent_data`), checked as Stripe checks them; None for a platform charge."""
    transfer_data = params.nested("transfer_data")
    fee = params.integer("application_fee_amount", minimum=0)
    on_behalf_of = params.text("on_behalf_of")
    if transfer_data is None and on_behalf_of is None:
        if fee is not None:
            raise ParamError(
                params.name("application_fee_amount"),
                "Can only apply an application_fee_amount when the PaymentIntent is attempting "
                "a direct payment (using an OAuth key or Stripe-Account header) or destination "
                "payment (using `transfer_data[destination]`).",
            )
        return None
    if transfer_data is None:
        raise ParamError(
            params.name("on_behalf_of"),
            "The stand-in models `on_behalf_of` on destination charges only: pass "
            "`transfer_data[destination]` too.",
        )
    transfer_data.only("destination", "amount")
    if transfer_data.has("amount"):
        raise ParamError(
            transfer_data.name("amount"),
            "The stand-in models destination charges with an application fee: pass "
            "`application_fee_amount` rather than `transfer_data[amount]`.",
        )
    destination_id = transfer_data.required_text("destination")
    destination = state.find("account", destination_id)
    if destination is None:
        raise no_such("destination", destination_id, transfer_data.name("destination"))
    if on_behalf_of is not None and on_behalf_of != destination_id:
        raise ParamError(
            params.name("on_behalf_of"),
            "The `on_behalf_of` parameter must be the same as `transfer_data[destination]`.",
        )
    if fee is not None and fee > amount:
        raise ParamError(
            params.name("application_fee_amount"),
            "The application fee amount cannot be greater than the amount.",
        )
    if destination["capabilities"].get("transfers") != "active":
        raise StripeError(
            400,
            "Your destination account needs to have at least one of the following capabilities "
            "enabled: transfers, crypto_transfers, legacy_payments",
            code="insufficient_capabilities_for_transfer",
            param=transfer_data.name("destination"),
        )
    return TransferTerms(destination_id, fee, on_behalf_of)


def pay_out(state: StripeState, intent: StripeObject, paid: StripeObject, origin: Origin) -> None:
    """A destination charge just succeeded: move its money, less the fee, to the account."""
    if intent["transfer_data"] is None:
        return
    destination = intent["transfer_data"]["destination"]
    fee_amount = intent["application_fee_amount"] or 0
    now = state.now()
    if intent["application_fee_amount"] is not None:
        fee = state.add(
            connect_objects.application_fee(
                now,
                paid,
                amount=fee_amount,
                account_id=destination,
                application=state.application_id,
            )
        )
        paid["application_fee"] = fee["id"]
        state.emit("application_fee.created", fee, origin)
    transferred = state.add(
        connect_objects.transfer(
            now, paid, amount=paid["amount"] - fee_amount, destination=destination
        )
    )
    paid["transfer"] = transferred["id"]
    state.emit("transfer.created", transferred, origin)


def take_back(
    state: StripeState,
    paid: StripeObject,
    refund: StripeObject,
    *,
    reverse_transfer: bool,
    refund_application_fee: bool,
    origin: Origin,
) -> None:
    """After a refund: reverse the transfer and refund the fee in proportion to what the
    charge has refunded in all, so that successive partial refunds add up exactly."""
    share = (paid["amount_refunded"], paid["amount"])
    if reverse_transfer:
        transferred = state.objects[paid["transfer"]]
        amount = _owed(transferred["amount"], *share) - transferred["amount_reversed"]
        if amount > 0:
            reversal = state.add(
                connect_objects.transfer_reversal(
                    state.now(), transferred, amount=amount, refund_id=refund["id"]
                )
            )
            transferred["amount_reversed"] += amount
            transferred["reversed"] = transferred["amount_reversed"] == transferred["amount"]
            _prepend(transferred["reversals"], reversal)
            refund["transfer_reversal"] = reversal["id"]
            state.emit("transfer.reversed", transferred, origin)
    if refund_application_fee:
        fee = state.objects[paid["application_fee"]]
        amount = _owed(fee["amount"], *share) - fee["amount_refunded"]
        if amount > 0:
            given_back = state.add(connect_objects.fee_refund(state.now(), fee, amount=amount))
            fee["amount_refunded"] += amount
            fee["refunded"] = fee["amount_refunded"] == fee["amount"]
            _prepend(fee["refunds"], given_back)
            state.emit("application_fee.refunded", fee, origin)


def check_take_back(paid: StripeObject, *, reverse_transfer: bool, refund_fee: bool) -> None:
    """Refuse, before anything is refunded, to take back what the charge never sent."""
    if reverse_transfer and paid["transfer"] is None:
        raise ParamError(
            "reverse_transfer",
            f"Charge {paid['id']} has no transfer to reverse: only a destination charge's "
            "transfer can be reversed.",
        )
    if refund_fee and paid["application_fee"] is None:
        raise ParamError(
            "refund_application_fee",
            f"Charge {paid['id']} has no application fee to refund.",
        )


def _owed(whole: int, refunded: int, amount: int) -> int:
    """What of `whole` goes back once `refunded` of `amount` is: rounded down, as Stripe does."""
    return whole * refunded // amount


def _prepend(listing: StripeObject, item: StripeObject) -> None:
    listing["data"].insert(0, snapshot(item))
    listing["total_count"] += 1


def transfers_to(state: StripeState, account_id: str) -> list[StripeObject]:
    """Every transfer to an account, newest first."""
    return [t for t in state.newest_first("transfer") if t["destination"] == account_id]


def balance(state: StripeState, account_id: str) -> dict[str, int]:
    """What an account holds by currency: what was transferred to it less what was reversed."""
    held: dict[str, int] = {}
    for transferred in transfers_to(state, account_id):
        kept = transferred["amount"] - transferred["amount_reversed"]
        held[transferred["currency"]] = held.get(transferred["currency"], 0) + kept
    return held
