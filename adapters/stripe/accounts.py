"""Reading Stripe's Express accounts as core's account states, fields checked for their type."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.stripe.outcomes import Obj, optional_object, own_id, required_object, stripe_id
from core.payments import MalformedEvent
from core.payouts import AccountState, AccountUpdate


def account_state(account: Obj, as_of: datetime) -> AccountState:
    """What an account object says, as of a moment the caller knows (Stripe's accounts carry
    no time of their last change)."""
    country = account.get("country")
    if not isinstance(country, str):
        raise MalformedEvent("the account has no country")
    requirements = optional_object(account.get("requirements"), "requirements")
    due = requirements.get("currently_due") or []
    if not isinstance(due, list) or not all(isinstance(item, str) for item in due):
        raise MalformedEvent("the account's currently_due is not a list of names")
    return AccountState(
        account_id=own_id(account),
        country=country.upper(),
        charges_enabled=_flag(account, "charges_enabled"),
        payouts_enabled=_flag(account, "payouts_enabled"),
        details_submitted=_flag(account, "details_submitted"),
        currently_due=tuple(due),
        as_of=as_of,
    )


def _flag(account: Obj, key: str) -> bool:
    value = account.get(key)
    if not isinstance(value, bool):
        raise MalformedEvent(f"the account's {key} is not true or false")
    return value


def account_update(event: Obj, event_id: str) -> AccountUpdate:
    """An `account.updated` event of the Connect endpoint: the account's state when it was sent."""
    created = event.get("created")
    if not isinstance(created, int) or isinstance(created, bool):
        raise MalformedEvent("the event has no time of creation")
    data = required_object(event.get("data"), "data")
    account = required_object(data.get("object"), "data.object")
    state = account_state(account, datetime.fromtimestamp(created, UTC))
    named = event.get("account")
    if named is not None and stripe_id(named) != state.account_id:
        raise MalformedEvent("the event names another account than the one it carries")
    return AccountUpdate(event_id, state)
