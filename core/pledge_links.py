"""Pledge links: compact, signed, expiring tokens that turn one tap into a checkout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.errors import DomainError
from core.i18n import N_

VERSION = "1"
SIGNATURE_BYTES = 16
MIN_SECRET_BYTES = 32


class InvalidLink(DomainError):
    """The link was altered, truncated or signed with another key."""

    template = N_("This pledge link is not valid. Please tap the reward again in the chat.")


class ExpiredLink(DomainError):
    """The link is past its expiry."""

    template = N_("This pledge link has expired. Please tap the reward again in the chat.")


@dataclass(frozen=True, slots=True)
class PledgeLink:
    """What a pledge link promises: who pledges what, to which campaign, until when."""

    backer_id: int
    campaign_id: int
    tier_id: int | None
    # A custom amount in the campaign's minor units; None means the tier's price.
    amount: int | None
    referral_code: str | None
    expires_at: datetime
    # Makes every link distinct, so each tap starts its own pledge.
    nonce: str

    @property
    def fields(self) -> tuple[str, ...]:
        """The payload, in signing order."""
        return (
            VERSION,
            str(self.backer_id),
            str(self.campaign_id),
            str(self.tier_id or ""),
            str(self.amount or ""),
            self.referral_code or "",
            str(int(self.expires_at.timestamp())),
            self.nonce,
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PledgeLinkSigner:
    """Signs and verifies pledge links with a secret key (HMAC-SHA256)."""

    def __init__(self, secret: str, lifetime: timedelta) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the link secret must be at least {MIN_SECRET_BYTES} bytes")
        self._key = secret.encode()
        self.lifetime = lifetime

    def new_link(
        self,
        now: datetime,
        backer_id: int,
        campaign_id: int,
        tier_id: int | None,
        amount: int | None = None,
        referral_code: str | None = None,
    ) -> PledgeLink:
        """A fresh link for one backer's pledge, valid for the signer's lifetime."""
        return PledgeLink(
            backer_id,
            campaign_id,
            tier_id,
            amount,
            referral_code,
            (now + self.lifetime).replace(microsecond=0),
            _b64(secrets.token_bytes(6)),
        )

    def _signature(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:SIGNATURE_BYTES]

    def sign(self, link: PledgeLink) -> str:
        """The URL-safe token for a link."""
        payload = ".".join(link.fields).encode()
        return f"{_b64(payload)}.{_b64(self._signature(payload))}"

    def verify(self, token: str, now: datetime) -> PledgeLink:
        """The link a token carries, if it is authentic and not expired."""
        try:
            encoded_payload, encoded_signature = token.split(".")
            payload = _unb64(encoded_payload)
            signature = _unb64(encoded_signature)
        except ValueError:
            raise InvalidLink() from None
        # Decoding forgives stray characters and padding bits; only the canonical form is ours.
        if (_b64(payload), _b64(signature)) != (encoded_payload, encoded_signature):
            raise InvalidLink()
        if not hmac.compare_digest(signature, self._signature(payload)):
            raise InvalidLink()
        link = _parse(payload)
        if now >= link.expires_at:
            raise ExpiredLink()
        return link


def _parse(payload: bytes) -> PledgeLink:
    # Only reached for payloads we signed, so a failure here means a format change.
    version, backer, campaign, tier, amount, referral, expires, nonce = payload.decode().split(".")
    if version != VERSION:
        raise InvalidLink()
    return PledgeLink(
        int(backer),
        int(campaign),
        int(tier) if tier else None,
        int(amount) if amount else None,
        referral or None,
        datetime.fromtimestamp(int(expires), UTC),
        nonce,
    )


def link_key(token: str) -> str:
    """A stable key for a token, stored with the pledge it started (its signature part)."""
    return token.rsplit(".", 1)[-1]
