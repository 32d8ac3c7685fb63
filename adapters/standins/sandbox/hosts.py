"""Only this machine's own page may use the sandbox: requests must name it by a loopback Host.

A page of another site cannot read or drive the sandbox through the browser, as its Origin
differs; but a site whose name it points at 127.0.0.1 (DNS rebinding) is, to the browser, the
same origin as itself, and sends its own name as Host and Origin alike. Checking the Host
refuses it.
"""

from __future__ import annotations

from ipaddress import ip_address

from aiohttp import web

from adapters.standins.sandbox.inputs import Handler

_LOOPBACK_NAMES = frozenset({"localhost"})
# Browsers send no port in Host for the scheme's default one.
_DEFAULT_PORT = 80


def is_loopback(host: str) -> bool:
    """Whether a host name or address (IPv6 with or without brackets) is this machine."""
    name = host.removeprefix("[").removesuffix("]").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ip_address(name).is_loopback
    except ValueError:
        return False


def _served_port(request: web.Request) -> int | None:
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    return int(sockname[1]) if isinstance(sockname, tuple) and len(sockname) >= 2 else None


def addressed_here(request: web.Request) -> bool:
    """Whether the request's Host is a loopback name or address with the port it came in on."""
    host = request.headers.get("Host", "")
    name, colon, port = host.rpartition(":")
    # "[::1]" alone has a colon inside its brackets, not before a port.
    if not colon or "]" in port:
        name, port = host, str(_DEFAULT_PORT)
    return is_loopback(name) and port.isdigit() and int(port) == _served_port(request)


def local_only(handler: Handler) -> Handler:
    """Refuse with 403 a request that does not name this machine as its Host."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        if not addressed_here(request):
            raise web.HTTPForbidden(text="the sandbox answers its own page, on this machine")
        return await handler(request)

    return guarded


def local_routes(routes: web.RouteTableDef) -> web.RouteTableDef:
    """The same routes, each refusing requests that do not name this machine as their Host."""
    guarded = web.RouteTableDef()
    for route in routes:
        assert isinstance(route, web.RouteDef), "the sandbox serves no static directories"
        guarded.route(route.method, route.path, **route.kwargs)(local_only(route.handler))
    return guarded
