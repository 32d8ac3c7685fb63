"""A faithful, stateful local Stripe for tests and the no-account sandbox."""

from adapters.standins.stripe.checkout_completion import CheckoutOutcome, Closed, Paid, Refused
from adapters.standins.stripe.standin import StripeStandin
from adapters.standins.stripe.webhooks import Delivery

__all__ = ["CheckoutOutcome", "Closed", "Delivery", "Paid", "Refused", "StripeStandin"]
