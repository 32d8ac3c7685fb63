"""What every stand-in shares: serving its aiohttp application on a local port."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import ClassVar, Self

from aiohttp import web


class ServedStandin(ABC):
    """A stand-in served on `host:port` by `start()`, or as `async with`."""

    # Named in errors: "the Telegram stand-in is not started".
    service: ClassVar[str]

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @abstractmethod
    def app(self) -> web.Application:
        """The aiohttp application, to serve with `start()` or mount elsewhere."""

    @property
    def base_url(self) -> str:
        """Where the running stand-in listens, such as `http://127.0.0.1:43121`."""
        if self._base_url is None:
            raise RuntimeError(f"the {self.service} stand-in is not started")
        return self._base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on `host:port` (port 0: any free port); `base_url` says where."""
        if self._runner is not None:
            raise RuntimeError(f"the {self.service} stand-in is already started")
        # Stand-ins hold long polls and websockets; a second is plenty to let them go. A line
        # per request would bury the process's own log (the sandbox runs three of them).
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self._base_url = f"http://{host}:{runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Stop serving; the application's own shutdown and cleanup hooks release the rest."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
