"""Headers that keep browsers from framing, sniffing or running anything on the server's pages."""

from __future__ import annotations

from aiohttp import web

# Backit's pages are HTML and an inline style sheet: no script, picture, font or form to allow.
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def security_headers(policy: str = PAGE_POLICY) -> dict[str, str]:
    """Every response's protections, with the Content-Security-Policy of the page it carries."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        # frame-ancestors' older spelling, for browsers that predate it.
        "X-Frame-Options": "DENY",
        # A pledge link's path is a personal token: never tell Stripe or a chat where one came
        # from. (Not "no-referrer": browsers would then send the sandbox page's own posts with
        # `Origin: null`, which it refuses as another site's.)
        "Referrer-Policy": "same-origin",
    }


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Give a response every protection its handler did not set itself (on_response_prepare)."""
    for name, value in security_headers().items():
        response.headers.setdefault(name, value)
