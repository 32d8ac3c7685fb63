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
from core.ids import parse_id

PLEDGE_TAG = "1"
RETRY_TAG = "r1"
CANCEL_TAG = "c1"
TOP_UP_TAG = "u1"
SIGNATURE_BYTES = 16
MIN_SECRET_BYTES = 32
# How long after the deadline a backer whose card was declined may pay with another one.
RETRY_WINDOW = timedelta(days=7)


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


@dataclass(frozen=True, slots=True)
class RetryLink:
    """A link to pay, with another card, a pledge whose charge was declined."""

    pledge_id: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TopUpLink:
    """A link to pay the difference that raises a paid pledge to a reward or an amount."""

    pledge_id: int
    tier_id: int | None
    # The pledge's new amount in the campaign's minor units; None means the reward's price.
    amount: int | None
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _unix(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def _number(text: str) -> int:
    # Only our own signer makes tokens, but a field that no database or clock can hold is
    # still refused here rather than failing wherever it is used.
    value = parse_id(text)
    if value is None:
        raise InvalidLink()
    return value


def _optional_number(text: str) -> int | None:
    return _number(text) if text else None


def _moment(unix: str) -> datetime:
    try:
        return datetime.fromtimestamp(_number(unix), UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidLink() from None


class PledgeLinkSigner:
    """Signs and verifies pledge and retry links with a secret key (HMAC-SHA256)."""

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

    def sign(self, link: PledgeLink) -> str:
        """The URL-safe token for a pledge link."""
        return self._seal(
            PLEDGE_TAG,
            str(link.backer_id),
            str(link.campaign_id),
            str(link.tier_id or ""),
            str(link.amount or ""),
            link.referral_code or "",
            _unix(link.expires_at),
            link.nonce,
        )

    def sign_retry(self, link: RetryLink) -> str:
        """The URL-safe token for a retry link."""
        return self._seal(RETRY_TAG, str(link.pledge_id), _unix(link.expires_at))

    def new_top_up(
        self, now: datetime, pledge_id: int, tier_id: int | None, amount: int | None
    ) -> TopUpLink:
        """A fresh top-up link for one pledge, valid for the signer's lifetime."""
        return TopUpLink(pledge_id, tier_id, amount, (now + self.lifetime).replace(microsecond=0))

    def sign_top_up(self, link: TopUpLink) -> str:
        """The URL-safe token for a top-up link."""
        return self._seal(
            TOP_UP_TAG,
            str(link.pledge_id),
            str(link.tier_id or ""),
            str(link.amount or ""),
            _unix(link.expires_at),
        )

    def verify_top_up(self, token: str, now: datetime) -> TopUpLink:
        """The top-up link a token carries, if it is authentic and not expired."""
        pledge, tier, amount, expires = self._open(token, TOP_UP_TAG, 4)
        link = TopUpLink(
            _number(pledge), _optional_number(tier), _optional_number(amount), _moment(expires)
        )
        if now >= link.expires_at:
            raise ExpiredLink()
        return link

    def sign_cancel(self, pledge_id: int) -> str:
        """The URL-safe token naming a pledge on the way back from its checkout page."""
        # No expiry: it can only close its own pledge's page, which closes by itself anyway.
        return self._seal(CANCEL_TAG, str(pledge_id))

    def verify(self, token: str, now: datetime) -> PledgeLink:
        """The pledge link a token carries, if it is authentic and not expired."""
        fields = self._open(token, PLEDGE_TAG, 7)
        backer, campaign, tier, amount, referral, expires, nonce = fields
        link = PledgeLink(
            _number(backer),
            _number(campaign),
            _optional_number(tier),
            _optional_number(amount),
            referral or None,
            _moment(expires),
            nonce,
        )
        if now >= link.expires_at:
            raise ExpiredLink()
        return link

    def verify_retry(self, token: str, now: datetime) -> RetryLink:
        """The retry link a token carries, if it is authentic and not expired."""
        pledge, expires = self._open(token, RETRY_TAG, 2)
        link = RetryLink(_number(pledge), _moment(expires))
        if now >= link.expires_at:
            raise ExpiredLink()
        return link

    def verify_cancel(self, token: str) -> int:
        """The pledge a cancel token names, if it is authentic."""
        (pledge,) = self._open(token, CANCEL_TAG, 1)
        return _number(pledge)

    def _signature(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:SIGNATURE_BYTES]

    def _seal(self, *fields: str) -> str:
        payload = ".".join(fields).encode()
        return f"{_b64(payload)}.{_b64(self._signature(payload))}"

    def _open(self, token: str, tag: str, count: int) -> list[str]:
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
        # Authentic from here on: a pledge token offered as a retry token is merely the wrong kind.
        found_tag, *fields = payload.decode().split(".")
        if found_tag != tag or len(fields) != count:
            raise InvalidLink()
        return fields


def link_key(token: str) -> str:
    """A stable key for a token, stored with the pledge it started (its signature part)."""
    return token.rsplit(".", 1)[-1]
