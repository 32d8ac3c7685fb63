"""Stripe's API errors: raised by the stand-in's handlers, answered in Stripe's JSON shape."""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """An API error as Stripe reports it: an HTTP status and an `error` object."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.code = code
        self.param = param
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Stripe answers with."""
        error: dict[str, Any] = {"type": self.kind, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return {"error": error}


class ParamError(StripeError):
    """A request whose parameters failed validation, so nothing was executed."""

    def __init__(self, param: str, message: str, *, code: str | None = None) -> None:
        super().__init__(400, message, code=code, param=param)


def no_such(kind: str, object_id: str, param: str) -> ParamError:
    """A parameter naming an object that does not exist."""
    return ParamError(param, f"No such {kind}: '{object_id}'", code="resource_missing")


def not_found(kind: str, object_id: str) -> StripeError:
    """A URL naming an object that does not exist."""
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param="id")
