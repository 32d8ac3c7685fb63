"""Connect's objects as the API returns them: accounts, their links, transfers, application
fees, their reversals and refunds, and disputes, with every field Stripe's fixtures carry."""

from __future__ import annotations

from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import get_territory_currencies

from adapters.standins.stripe.ids import new_id
from adapters.standins.stripe.objects import address
from adapters.standins.stripe.state import StripeObject

# What Stripe asks of a new Express account before it can take charges and be paid out.
ONBOARDING_REQUIREMENTS = (
    "business_profile.mcc",
    "business_profile.url",
    "business_type",
    "external_account",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.first_name",
    "individual.last_name",
    "tos_acceptance.date",
    "tos_acceptance.ip",
)
# Days a disputed charge's merchant has to answer with evidence.
EVIDENCE_DAYS = 7


def _list(url: str) -> StripeObject:
    return {"object": "list", "data": [], "has_more": False, "total_count": 0, "url": url}


def default_currency(country: str) -> str:
    """The currency an account of a country is paid out in."""
    try:
        currencies = get_territory_currencies(country)
    except UnknownLocaleError:
        currencies = []
    return (currencies[0] if currencies else "usd").lower()


def requirements(currently_due: list[str], disabled_reason: str | None) -> StripeObject:
    """An account's `requirements`: what is due now and why it is disabled, if it is."""
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(currently_due),
        "disabled_reason": disabled_reason,
        "errors": [],
        "eventually_due": list(currently_due),
        "past_due": list(currently_due) if disabled_reason else [],
        "pending_verification": [],
    }


def account(
    now: int,
    *,
    country: str,
    email: str | None,
    business_type: str | None,
    capabilities: list[str],
    metadata: dict[str, str],
    account_id: str | None = None,
) -> StripeObject:
    """A new Express account (under a new id unless given): nothing submitted, so it can
    neither take charges nor be paid."""
    account_id = account_id or new_id("acct")
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": {"amount": None, "currency": None, "fiscal_year_end": None},
            "estimated_worker_count": None,
            "mcc": None,
            "minority_owned_business_designation": None,
            "name": None,
            "product_description": None,
            "support_address": address(),
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        },
        "business_type": business_type,
        "capabilities": dict.fromkeys(capabilities, "inactive"),
        "charges_enabled": False,
        "controller": {
            "fees": {"payer": "application_express"},
            "is_controller": True,
            "losses": {"payments": "application"},
            "requirement_collection": "stripe",
            "stripe_dashboard": {"type": "express"},
            "type": "application",
        },
        "country": country,
        "created": now,
        "default_currency": default_currency(country),
        "details_submitted": False,
        "email": email,
        "external_accounts": _list(f"/v1/accounts/{account_id}/external_accounts"),
        "future_requirements": requirements([], None),
        "metadata": metadata,
        "payouts_enabled": False,
        "requirements": requirements(list(ONBOARDING_REQUIREMENTS), "requirements.past_due"),
        "settings": _settings(),
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "express",
    }


def _settings() -> StripeObject:
    return {
        "bacs_debit_payments": {"display_name": None, "service_user_number": None},
        "branding": {"icon": None, "logo": None, "primary_color": None, "secondary_color": None},
        "card_issuing": {"tos_acceptance": {"date": None, "ip": None}},
        "card_payments": {
            "decline_on": {"avs_failure": False, "cvc_failure": False},
            "statement_descriptor_prefix": None,
            "statement_descriptor_prefix_kana": None,
            "statement_descriptor_prefix_kanji": None,
        },
        "dashboard": {"display_name": None, "timezone": "Etc/UTC"},
        "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": "offer"},
        "payments": {
            "statement_descriptor": None,
            "statement_descriptor_kana": None,
            "statement_descriptor_kanji": None,
            "statement_descriptor_prefix_kana": None,
            "statement_descriptor_prefix_kanji": None,
        },
        "payouts": {
            "debit_negative_balances": True,
            "schedule": {"delay_days": 2, "interval": "daily"},
            "statement_descriptor": None,
        },
        "sepa_debit_payments": {},
    }


def account_link(now: int, *, expires_at: int, url: str) -> StripeObject:
    """A link to the hosted onboarding of an account."""
    return {"object": "account_link", "created": now, "expires_at": expires_at, "url": url}


def login_link(now: int, *, url: str) -> StripeObject:
    """A link into an Express account's dashboard."""
    return {"object": "login_link", "created": now, "url": url}


def transfer(now: int, paid: StripeObject, *, amount: int, destination: str) -> StripeObject:
    """The transfer of a destination charge's money, less the platform's fee, to the account."""
    transfer_id = new_id("tr")
    return {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": new_id("txn"),
        "created": now,
        "currency": paid["currency"],
        "description": None,
        "destination": destination,
        "destination_payment": new_id("py"),
        "livemode": False,
        "metadata": {},
        "reversals": _list(f"/v1/transfers/{transfer_id}/reversals"),
        "reversed": False,
        "source_transaction": paid["id"],
        "source_type": "card",
        "transfer_group": paid["transfer_group"],
    }


def application_fee(
    now: int, paid: StripeObject, *, amount: int, account_id: str, application: str
) -> StripeObject:
    """What the platform collects of a destination charge."""
    fee_id = new_id("fee")
    return {
        "id": fee_id,
        "object": "application_fee",
        "account": account_id,
        "amount": amount,
        "amount_refunded": 0,
        "application": application,
        "balance_transaction": new_id("txn"),
        "charge": paid["id"],
        "created": now,
        "currency": paid["currency"],
        "fee_source": {"charge": paid["id"], "type": "charge"},
        "livemode": False,
        "originating_transaction": None,
        "refunded": False,
        "refunds": _list(f"/v1/application_fees/{fee_id}/refunds"),
    }


def transfer_reversal(
    now: int, transferred: StripeObject, *, amount: int, refund_id: str
) -> StripeObject:
    """Part of a transfer taken back from the account, for a refund."""
    return {
        "id": new_id("trr"),
        "object": "transfer_reversal",
        "amount": amount,
        "balance_transaction": new_id("txn"),
        "created": now,
        "currency": transferred["currency"],
        "destination_payment_refund": new_id("pyr"),
        "metadata": {},
        "source_refund": refund_id,
        "transfer": transferred["id"],
    }


def fee_refund(now: int, fee: StripeObject, *, amount: int) -> StripeObject:
    """Part of an application fee given back, for a refund."""
    return {
        "id": new_id("fr"),
        "object": "fee_refund",
        "amount": amount,
        "balance_transaction": new_id("txn"),
        "created": now,
        "currency": fee["currency"],
        "fee": fee["id"],
        "metadata": {},
    }


def dispute(now: int, paid: StripeObject) -> StripeObject:
    """A cardholder's dispute of a whole charge as fraudulent, waiting for evidence."""
    card: dict[str, Any] = paid["payment_method_details"].get("card") or {}
    return {
        "id": new_id("dp"),
        "object": "dispute",
        "amount": paid["amount"],
        "balance_transactions": [],
        "charge": paid["id"],
        "created": now,
        "currency": paid["currency"],
        "enhanced_eligibility_types": [],
        "evidence": _evidence(),
        "evidence_details": {
            "due_by": now + EVIDENCE_DAYS * 24 * 60 * 60,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "intended_submission_method": None,
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "network_reason_code": "10.4",
        "payment_intent": paid["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": card.get("brand", "visa"),
                "case_type": "chargeback",
                "network": card.get("network", "visa"),
                "network_reason_code": "10.4",
            },
            "type": "card",
        },
        "reason": "fraudulent",
        "status": "needs_response",
    }


def _evidence() -> StripeObject:
    fields = (
        "access_activity_log",
        "billing_address",
        "cancellation_policy",
        "cancellation_policy_disclosure",
        "cancellation_rebuttal",
        "customer_communication",
        "customer_email_address",
        "customer_name",
        "customer_purchase_ip",
        "customer_signature",
        "duplicate_charge_documentation",
        "duplicate_charge_explanation",
        "duplicate_charge_id",
        "product_description",
        "receipt",
        "refund_policy",
        "refund_policy_disclosure",
        "refund_refusal_explanation",
        "service_date",
        "service_documentation",
        "shipping_address",
        "shipping_carrier",
        "shipping_date",
        "shipping_documentation",
        "shipping_tracking_number",
        "uncategorized_file",
        "uncategorized_text",
    )
    return {**dict.fromkeys(fields), "enhanced_evidence": {}}
