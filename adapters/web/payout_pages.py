"""Signed addresses of the pages Stripe's onboarding sends a creator back to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.identity import Identity
from core.pledge_links import ExpiredLink, InvalidLink, PledgeLinkSigner
from core.ports import Clock

PAYOUT_PAGE_TAG = "p1"
# Long enough for a creator who leaves onboarding halfway and comes back within the week.
PAYOUT_PAGE_LIFETIME = timedelta(days=7)
# The provider's account ids are letters, digits and underscores.
_ACCOUNT_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


@dataclass(frozen=True, slots=True)
class PayoutPageLink:
    """What a payout page's address names: whose account, until when."""

    account_id: str
    identity: Identity
    expires_at: datetime


class PayoutPageSigner(PledgeLinkSigner):
    """Signs and verifies payout pages' tokens, as pledge links are signed, under a tag of
    their own (a pledge token is never a payout page's, nor the other way round)."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret, PAYOUT_PAGE_LIFETIME)

    def sign_payout_page(self, account_id: str, identity: Identity, now: datetime) -> str:
        """The URL-safe token of an account's pages, for the identity it was asked by."""
        expires = int((now + self.lifetime).timestamp())
        return self._seal(PAYOUT_PAGE_TAG, account_id, str(identity), str(expires))

    def verify_payout_page(self, token: str, now: datetime) -> PayoutPageLink:
        """The account and identity a token names, if it is authentic and not expired."""
        account_id, identity, expires = self._open(token, PAYOUT_PAGE_TAG, 3)
        try:
            link = PayoutPageLink(
                account_id, Identity.parse(identity), datetime.fromtimestamp(int(expires), UTC)
            )
        except (ValueError, OverflowError, OSError):
            raise InvalidLink() from None
        if _ACCOUNT_ID.fullmatch(account_id) is None:
            raise InvalidLink()
        if now >= link.expires_at:
            raise ExpiredLink()
        return link


class PayoutPages:
    """The return and refresh pages of Stripe's onboarding, on Backit's web server
    (core.usecases.payouts.OnboardingUrls)."""

    def __init__(self, public_url: str, signer: PayoutPageSigner, clock: Clock) -> None:
        self._public_url = public_url.rstrip("/")
        self._signer = signer
        self._clock = clock

    def refresh_url(self, account_id: str, identity: Identity) -> str:
        """The page that makes a new onboarding link when one was used or expired."""
        return f"{self._public_url}/payouts/refresh/{self._token(account_id, identity)}"

    def return_url(self, account_id: str, identity: Identity) -> str:
        """The page saying where the creator stands once onboarding lets them go."""
        return f"{self._public_url}/payouts/return/{self._token(account_id, identity)}"

    def verify(self, token: str) -> PayoutPageLink:
        """What a page's token names; InvalidLink or ExpiredLink otherwise."""
        return self._signer.verify_payout_page(token, self._clock.now())

    def _token(self, account_id: str, identity: Identity) -> str:
        return self._signer.sign_payout_page(account_id, identity, self._clock.now())
