"""Core's payment gateway, implemented with stripe's async client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiohttp
import stripe

from adapters.stripe.accounts import account_state, account_update
from adapters.stripe.http_client import AnswerReadingClient
from adapters.stripe.outcomes import (
    DEADLINE_CHARGE,
    PURPOSE_KEY,
    Obj,
    async_payment_outcome,
    dispute_outcome,
    expandable_id,
    own_id,
    payment_intent_outcome,
    pledge_id_of,
    refund_outcome,
    required_object,
    session_outcome,
    stripe_id,
)
from adapters.stripe.units import to_stripe
from core.money import Money
from core.payments import (
    ChargeResult,
    CheckoutMode,
    CheckoutNotFound,
    CheckoutRequest,
    CheckoutSession,
    MalformedEvent,
    OutcomeKind,
    PaymentOutcome,
    PaymentUnavailable,
)
from core.payouts import AccountState, AccountUpdate, Destination
from core.pledges import Pledge
from core.ports import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")
# Seconds for one request to Stripe, its whole answer included (stripe-python's default is 80).
# The client tries twice more on a timeout, so a backer hears "unavailable" within about 17 s.
REQUEST_TIMEOUT = 5.0

# The most characters Stripe shows in one of a Checkout Session's custom texts.
CUSTOM_TEXT_MAX = 1200

HANDLED_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
)
# Stripe's refusal of a destination charge to an account that cannot take it (yet).
CANNOT_TAKE_CHARGES = "insufficient_capabilities_for_transfer"
_DESTINATION_PARAMS = frozenset(
    {"transfer_data[destination]", "application_fee_amount", "on_behalf_of"}
)


def _custom_text(message: str) -> str:
    # Stripe refuses the whole session over a longer one; titles are bounded well below it.
    if len(message) <= CUSTOM_TEXT_MAX:
        return message
    return message[: CUSTOM_TEXT_MAX - 1] + "…"


def _destination_params(destination: Destination) -> dict[str, Any]:
    """A destination charge's parameters: to the creator's account, less Backit's fee."""
    params: dict[str, Any] = {
        "transfer_data": {"destination": destination.account_id},
        "application_fee_amount": to_stripe(destination.fee),
    }
    if destination.on_behalf_of:
        params["on_behalf_of"] = destination.account_id
    return params


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _session_id(session_id: str) -> str:
    # An empty id would address the list of sessions instead of one of them.
    if not session_id:
        raise CheckoutNotFound()
    return session_id


class StripeGateway:
    """Checkout Sessions, off-session PaymentIntents, refunds and events, for pledges; and
    creators' Express accounts (core's PayoutGateway)."""

    def __init__(
        self,
        secret_key: str,
        api_base: str | None = None,
        timeout: float = REQUEST_TIMEOUT,
        clock: Clock | None = None,
    ) -> None:
        # When an account was read: Stripe's accounts say when they were made, not changed.
        self._now = clock.now if clock else _utc_now
        self._http = AnswerReadingClient(timeout=aiohttp.ClientTimeout(total=timeout))
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=self._http,
            max_network_retries=2,
        )

    async def close(self) -> None:
        """Close the HTTP session the client opened."""
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            log.warning("stripe unavailable: %s", type(error).__name__)
            raise PaymentUnavailable() from error
        except stripe.AuthenticationError as error:
            log.error("stripe refused the API key")
            raise PaymentUnavailable() from error

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a Checkout Session in payment or setup mode for a pledge."""
        metadata = {"pledge_id": str(request.pledge_id)}
        params: dict[str, Any] = {
            "mode": str(request.mode),
            "client_reference_id": str(request.pledge_id),
            "metadata": metadata,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "expires_at": int(request.expires_at.timestamp()),
        }
        currency = request.amount.currency.lower()
        if request.mode is CheckoutMode.PAYMENT:
            params["line_items"] = [
                {
                    "price_data": {
                        "currency": currency,
                        "unit_amount": to_stripe(request.amount),
                        "product_data": {
                            "name": request.item_name,
                            "description": request.item_description,
                        },
                    },
                    "quantity": 1,
                }
            ]
            params["customer_creation"] = "always"
            params["payment_intent_data"] = {"metadata": metadata}
            if request.destination is not None:
                params["payment_intent_data"].update(_destination_params(request.destination))
        else:
            # A saved card pays its creator at the deadline: that charge names the account.
            params["currency"] = currency
            params["customer_creation"] = "always"
            params["setup_intent_data"] = {"metadata": metadata}
        if request.submit_message is not None:
            params["custom_text"] = {"submit": {"message": _custom_text(request.submit_message)}}
        if request.ship_to is not None:
            params["shipping_address_collection"] = {"allowed_countries": list(request.ship_to)}
        try:
            session = await self._call(
                lambda: self._client.v1.checkout.sessions.create_async(
                    params,  # type: ignore[arg-type]
                    {"idempotency_key": request.idempotency_key},
                )
            )
        except stripe.InvalidRequestError as error:
            # Nothing the backer can fix (an amount or currency this account may not charge):
            # the operator hears of it, the backer gets the unavailable page.
            log.error(
                "stripe refused to open a checkout page for pledge %d: %s (%s)",
                request.pledge_id,
                error.code,
                error.user_message,
            )
            raise PaymentUnavailable() from error
        return CheckoutSession(session.id, session.url or "")

    async def _session(self, session_id: str) -> Obj:
        # Expanded, because a setup session's card is only named on its SetupIntent.
        try:
            session = await self._call(
                lambda: self._client.v1.checkout.sessions.retrieve_async(
                    _session_id(session_id), {"expand": ["setup_intent"]}
                )
            )
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":
                raise CheckoutNotFound() from error
            raise
        return session.to_dict()

    async def checkout_outcome(self, session_id: str) -> PaymentOutcome | None:
        """The current state of a session, as an outcome; None while undecided or unreadable."""
        try:
            return session_outcome(await self._session(session_id))
        except MalformedEvent as malformed:
            log.warning("checkout session %s is unreadable: %s", session_id, malformed.reason)
            return None

    async def open_checkout(self, session_id: str) -> CheckoutSession | None:
        """The session's page while it can still be paid."""
        session = await self._session(session_id)
        if session.get("status") != "open" or not session.get("url"):
            return None
        return CheckoutSession(session["id"], session["url"])

    async def expire_checkout(self, session_id: str) -> None:
        """Expire a session if it is still open."""
        try:
            await self._call(
                lambda: self._client.v1.checkout.sessions.expire_async(_session_id(session_id))
            )
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":
                raise CheckoutNotFound() from error
            # Already complete or expired: the caller reads the session's state next.
            log.info("checkout session %s was no longer open", session_id)

    async def charge_saved_card(
        self, pledge: Pledge, idempotency_key: str, destination: Destination | None = None
    ) -> ChargeResult:
        """Charge the card an all-or-nothing pledge saved, without the backer present; to the
        creator's account less Backit's fee when a destination is given."""
        params: dict[str, Any] = {
            "amount": to_stripe(pledge.amount),
            "currency": pledge.amount.currency.lower(),
            "customer": pledge.customer_id,
            "payment_method": pledge.payment_method_id,
            "off_session": True,
            "confirm": True,
            "metadata": {"pledge_id": str(pledge.id), PURPOSE_KEY: DEADLINE_CHARGE},
        }
        if destination is not None:
            params.update(_destination_params(destination))
        try:
            intent = await self._call(
                lambda: self._client.v1.payment_intents.create_async(
                    params,  # type: ignore[arg-type]
                    {"idempotency_key": idempotency_key},
                )
            )
        except stripe.CardError as error:
            body = error.json_body if isinstance(error.json_body, dict) else {}
            failed = (body.get("error") or {}).get("payment_intent") or {}
            return ChargeResult(False, failed.get("id"), error.code or "card_declined")
        except stripe.InvalidRequestError as error:
            if destination is None or not (
                error.code == CANNOT_TAKE_CHARGES or error.param in _DESTINATION_PARAMS
            ):
                raise
            # Not the backer's card: the creator's account cannot take the charge (yet), which
            # only the creator or the operator can fix; the operator hears of it.
            log.error(
                "stripe refused pledge %d's charge to account %s: %s (%s)",
                pledge.id,
                destination.account_id,
                error.code,
                error.user_message,
            )
            raise PaymentUnavailable() from error
        return ChargeResult(intent.status == "succeeded", intent.id)

    async def refund(
        self, pledge: Pledge, idempotency_key: str, amount: Money | None = None
    ) -> None:
        """Refund what is left of a pledge's payment, or only `amount` of it."""
        if pledge.payment_intent_id is None:
            raise PaymentUnavailable()
        params: dict[str, Any] = {"payment_intent": pledge.payment_intent_id}
        if pledge.payout_account is not None:
            # The money comes back from the creator's account, and Backit's fee in proportion.
            params["reverse_transfer"] = True
            params["refund_application_fee"] = True
        if amount is not None:
            params["amount"] = to_stripe(amount)
        await self._call(
            lambda: self._client.v1.refunds.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        )

    async def outcome_of_event(self, event: object) -> PaymentOutcome | None:
        """What a webhook event means for a pledge; None for events Backit does not use.

        Raises MalformedEvent for an event of a type Backit uses that it cannot read, and
        PaymentUnavailable when reading it needs Stripe and Stripe does not answer.
        """
        if not isinstance(event, Mapping):
            raise MalformedEvent("the event is not a JSON object")
        event_id, kind = stripe_id(event.get("id")), event.get("type")
        if not isinstance(kind, str):
            raise MalformedEvent("the event's type is not text", event_id)
        if kind not in HANDLED_EVENTS:
            return None
        if event_id is None:
            raise MalformedEvent("the event has no usable id", event_type=kind)
        try:
            data = required_object(event.get("data"), "data")
            obj = required_object(data.get("object"), "data.object")
            outcome = await self._outcome(kind, obj, event_id)
        except MalformedEvent as error:
            raise MalformedEvent(error.reason, event_id, kind, error.pledge_id) from None
        return None if outcome is None else replace(outcome, event_type=kind)

    async def _outcome(self, kind: str, obj: Obj, event_id: str) -> PaymentOutcome | None:
        if kind == "checkout.session.completed":
            if obj.get("mode") == "setup" and pledge_id_of(obj) is not None:
                obj = await self._event_session(obj)
            return await self._with_transfer(
                session_outcome(obj, event_id), obj.get("payment_intent")
            )
        if kind == "checkout.session.expired":
            return session_outcome(obj, event_id)
        if kind in (
            "checkout.session.async_payment_succeeded",
            "checkout.session.async_payment_failed",
        ):
            return await self._with_transfer(
                async_payment_outcome(obj, kind.endswith("succeeded"), event_id),
                obj.get("payment_intent"),
            )
        if kind == "payment_intent.succeeded":
            return await self._with_transfer(
                payment_intent_outcome(obj, OutcomeKind.PAID, event_id), obj
            )
        if kind == "payment_intent.payment_failed":
            return payment_intent_outcome(obj, OutcomeKind.FAILED, event_id)
        if kind in ("charge.dispute.created", "charge.dispute.closed"):
            return await self._dispute_outcome(obj, kind.endswith("closed"), event_id)
        assert kind == "charge.refunded", kind
        return await self._refund_outcome(obj, event_id)

    async def _with_transfer(
        self, outcome: PaymentOutcome | None, intent: object
    ) -> PaymentOutcome | None:
        """A payment's outcome with the transfer that paid its creator, when the event carries
        the PaymentIntent and that names a destination. A session's event names its intent
        by id only: its transfer is found later (core asks `transfer_of`), with no call here."""
        if outcome is None or outcome.kind is not OutcomeKind.PAID:
            return outcome
        if not isinstance(intent, Mapping) or intent.get("transfer_data") is None:
            return outcome
        transfer_id = await self.transfer_of(own_id(intent))
        return replace(outcome, refs=replace(outcome.refs, transfer_id=transfer_id))

    async def _event_session(self, session: Obj) -> Obj:
        """The session an event names, as Stripe has it now (its card named)."""
        session_id = own_id(session)
        try:
            return await self._session(session_id)
        except (CheckoutNotFound, stripe.InvalidRequestError):
            raise MalformedEvent(f"Stripe knows no checkout session {session_id}") from None

    async def _intent(self, intent_id: str, expand: tuple[str, ...] = ()) -> Obj:
        """A PaymentIntent an event names, as Stripe has it now."""
        try:
            intent = await self._call(
                lambda: self._client.v1.payment_intents.retrieve_async(
                    intent_id, {"expand": list(expand)} if expand else None
                )
            )
        except stripe.InvalidRequestError:
            raise MalformedEvent(f"Stripe knows no payment intent {intent_id}") from None
        return intent.to_dict()

    async def _refund_outcome(self, charge: Obj, event_id: str) -> PaymentOutcome | None:
        pledge_id = pledge_id_of(charge)
        intent_id = expandable_id(charge.get("payment_intent"))
        if pledge_id is None and intent_id is not None:
            # A charge does not always carry its PaymentIntent's metadata: ask for it.
            pledge_id = pledge_id_of(await self._intent(intent_id))
        return refund_outcome(charge, pledge_id, event_id) if pledge_id is not None else None

    async def _dispute_outcome(
        self, dispute: Obj, closed: bool, event_id: str
    ) -> PaymentOutcome | None:
        # A dispute names the PaymentIntent, whose metadata names the pledge.
        intent_id = expandable_id(dispute.get("payment_intent"))
        if intent_id is None:
            return None
        pledge_id = pledge_id_of(await self._intent(intent_id))
        if pledge_id is None:
            return None
        return dispute_outcome(dispute, closed, pledge_id, event_id)

    async def account_update_of_event(self, event: object) -> AccountUpdate | None:
        """What a Connect webhook event says of a creator's account; None for events Backit
        does not use. Raises MalformedEvent for an `account.updated` it cannot read."""
        if not isinstance(event, Mapping):
            raise MalformedEvent("the event is not a JSON object")
        event_id, kind = stripe_id(event.get("id")), event.get("type")
        if kind != "account.updated":
            return None
        if event_id is None:
            raise MalformedEvent("the event has no usable id", event_type=kind)
        try:
            return account_update(event, event_id)
        except MalformedEvent as error:
            raise MalformedEvent(error.reason, event_id, kind) from None

    async def create_account(self, country: str, idempotency_key: str) -> AccountState:
        """Open an Express account taking card payments and receiving transfers."""
        params: dict[str, Any] = {
            "type": "express",
            "country": country,
            "capabilities": {
                "card_payments": {"requested": True},
                "transfers": {"requested": True},
            },
        }
        account = await self._account_call(
            lambda: self._client.v1.accounts.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        )
        return self._state(account.to_dict())

    async def account_state(self, account_id: str) -> AccountState:
        """What Stripe says about an account now."""
        account = await self._account_call(
            lambda: self._client.v1.accounts.retrieve_async(account_id)
        )
        return self._state(account.to_dict())

    def _state(self, account: Obj) -> AccountState:
        try:
            return account_state(account, self._now())
        except MalformedEvent as malformed:
            log.error("stripe answered an unreadable account: %s", malformed.reason)
            raise PaymentUnavailable() from malformed

    async def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        """A new single-use link to Stripe's hosted onboarding of an account."""
        link = await self._account_call(
            lambda: self._client.v1.account_links.create_async(
                {
                    "account": account_id,
                    "type": "account_onboarding",
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                }
            )
        )
        return link.url

    async def dashboard_link(self, account_id: str) -> str:
        """A single-use link into the account's Express dashboard."""
        link = await self._account_call(
            lambda: self._client.v1.accounts.login_links.create_async(account_id)
        )
        return link.url

    async def transfer_of(self, payment_intent_id: str) -> str | None:
        """The transfer a destination charge made, read from its latest charge."""
        try:
            intent = await self._intent(payment_intent_id, ("latest_charge",))
        except MalformedEvent as malformed:
            log.error("cannot find the transfer of %s: %s", payment_intent_id, malformed.reason)
            raise PaymentUnavailable() from malformed
        charge = intent.get("latest_charge")
        return expandable_id(charge.get("transfer")) if isinstance(charge, Mapping) else None

    async def _account_call(self, call: Callable[[], Awaitable[T]]) -> T:
        # Backit names only accounts it opened: Stripe refusing one is the operator's to see.
        try:
            return await self._call(call)
        except (stripe.InvalidRequestError, stripe.PermissionError) as error:
            log.error("stripe refused an account request: %s (%s)", error.code, error.user_message)
            raise PaymentUnavailable() from error

    async def outcomes_since(self, since: datetime) -> AsyncIterator[PaymentOutcome]:
        """Every outcome in Stripe's events since a moment, oldest first."""
        params: dict[str, Any] = {
            "created": {"gte": int(since.timestamp())},
            "types": list(HANDLED_EVENTS),
            "limit": 100,
        }
        page = await self._call(
            lambda: self._client.v1.events.list_async(params)  # type: ignore[arg-type]
        )
        events = [event.to_dict() async for event in page.auto_paging_iter()]
        # Stripe lists newest first; replaying in order of occurrence is the natural story.
        for event in sorted(events, key=lambda e: (e["created"], e["id"])):
            try:
                outcome = await self.outcome_of_event(event)
            except MalformedEvent as malformed:
                # Its webhook was recorded as an anomaly, if it ever arrived; nothing to replay.
                log.warning("skipped unreadable event %s: %s", event["id"], malformed.reason)
                continue
            if outcome is not None:
                yield outcome
