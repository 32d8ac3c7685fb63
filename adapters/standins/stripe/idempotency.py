"""Idempotency keys on POSTs: the first response is replayed; other parameters are refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.standins.stripe.errors import StripeError

KEY_LIFETIME = 24 * 60 * 60
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class SavedResponse:
    """The first answer given under a key, with what was asked."""

    endpoint: str
    params: dict[str, Any]
    status: int
    body: bytes
    request_id: str
    saved_at: int


class IdempotencyKeys:
    """Saved responses by (API key, idempotency key), forgotten after 24 hours as on Stripe."""

    def __init__(self) -> None:
        self._saved: dict[tuple[str, str], SavedResponse] = {}

    def replay(
        self, api_key: str, key: str, endpoint: str, params: dict[str, Any], now: int
    ) -> SavedResponse | None:
        """The saved response to replay, None for a new key, or an error for a misused one."""
        if len(key) > MAX_KEY_LENGTH:
            raise StripeError(
                400, f"Idempotency keys must be at most {MAX_KEY_LENGTH} characters long."
            )
        saved = self._saved.get((api_key, key))
        if saved is None or saved.saved_at <= now - KEY_LIFETIME:
            return None
        if saved.endpoint != endpoint:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{saved.endpoint}' vs '{endpoint}'). Try using a key other "
                f"than '{key}' if you meant to execute a different request.",
                kind="idempotency_error",
            )
        if saved.params != params:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                kind="idempotency_error",
            )
        return saved

    def save(self, api_key: str, key: str, response: SavedResponse) -> None:
        """Keep a response for replays, and forget the expired ones."""
        expired = [
            k for k, v in self._saved.items() if v.saved_at <= response.saved_at - KEY_LIFETIME
        ]
        for old in expired:
            del self._saved[old]
        self._saved[(api_key, key)] = response
