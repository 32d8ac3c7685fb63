"""Disputes: the test card that is disputed after it pays, and a dispute's end, won or lost."""

from __future__ import annotations

from adapters.standins.stripe import connect_objects
from adapters.standins.stripe.cards import CardBehaviour
from adapters.standins.stripe.errors import StripeError
from adapters.standins.stripe.state import Origin, StripeObject, StripeState


def dispute_if_card_says(state: StripeState, paid: StripeObject) -> None:
    """Open a dispute on a charge that succeeded on the card that is always disputed."""
    card = state.cards.get(paid["payment_method"])
    if card is None or card.behaviour is not CardBehaviour.DISPUTED:
        return
    if paid["status"] != "succeeded":
        return
    dispute = state.add(connect_objects.dispute(state.now(), paid))
    paid["disputed"] = True
    state.emit("charge.dispute.created", dispute, Origin())
    state.emit("charge.dispute.funds_withdrawn", dispute, Origin())


def close_dispute(state: StripeState, dispute_id: str, *, won: bool) -> StripeObject:
    """The card network decided: the merchant keeps the money, or the cardholder has it back."""
    dispute = state.find("dispute", dispute_id)
    if dispute is None:
        raise ValueError(f"there is no dispute {dispute_id}")
    if dispute["status"] in ("won", "lost"):
        raise ValueError(f"dispute {dispute_id} is already {dispute['status']}")
    dispute["status"] = "won" if won else "lost"
    state.emit("charge.dispute.closed", dispute, Origin())
    if won:
        state.emit("charge.dispute.funds_reinstated", dispute, Origin())
    return dispute


def check_refundable(state: StripeState, paid: StripeObject) -> None:
    """Refuse to refund a charged-back charge: the dispute decides where its money goes."""
    if not paid["disputed"]:
        return
    disputes = [d for d in state.newest_first("dispute") if d["charge"] == paid["id"]]
    if disputes and disputes[0]["status"] != "won":
        raise StripeError(
            400,
            f"Charge {paid['id']} has been charged back; cannot issue a refund.",
            code="charge_disputed",
        )
