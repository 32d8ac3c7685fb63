"""stripe-python's aiohttp client, with its answers read where a failure is a network one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import stripe


class AnswerReadingClient(stripe.AIOHTTPClient):
    """Reads each answer inside its response, so one cut off or stalled halfway releases its
    connection and is a network failure that stripe retries and then reports as
    APIConnectionError. (stripe-python 16 reads the body after its network guard: such a
    failure escaped as a bare TimeoutError and left the connection open.)"""

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        """One request and its whole answer: body, status and headers."""
        args, kwargs = self._get_request_args_kwargs(method, url, headers, post_data)
        try:
            async with self._session.request(*args, **kwargs) as response:
                return await response.read(), response.status, response.headers
        except (TimeoutError, aiohttp.ClientError) as error:
            self._handle_request_error(error)
