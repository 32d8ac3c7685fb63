"""Creators' payout accounts for the chat bots: a provider onboarded by hand, Backit's terms."""

from __future__ import annotations

from adapters.chat_services import Payouts
from core.identity import Identity
from core.payouts import FeePolicy, PayoutTerms
from core.ports import Clock
from tests.fakes import FakePayoutGateway, FixedClock

# 5 % and €0.30 of each pledge.
TERMS = PayoutTerms(connect=True, fees=FeePolicy(500, {"EUR": 30}))


class PayoutPages:
    """Backit's onboarding pages, at addresses naming the account and the creator."""

    def refresh_url(self, account_id: str, identity: Identity) -> str:
        """Where a spent onboarding link leads."""
        return f"https://backit.test/payouts/{account_id}/refresh?for={identity}"

    def return_url(self, account_id: str, identity: Identity) -> str:
        """Where onboarding ends."""
        return f"https://backit.test/payouts/{account_id}/done?for={identity}"


def connect_payouts(clock: Clock) -> Payouts:
    """Creators paid into their own accounts at the fake provider, on Backit's test terms."""
    assert isinstance(clock, FixedClock), "the bots' tests run on a fixed clock"
    return Payouts(FakePayoutGateway(clock), TERMS, PayoutPages())


def provider(payouts: Payouts | None) -> FakePayoutGateway:
    """The fake provider behind the bot's payouts."""
    assert payouts is not None
    assert isinstance(payouts.gateway, FakePayoutGateway)
    return payouts.gateway
