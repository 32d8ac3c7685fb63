"""`backit run` as a real process: it starts, and stops cleanly on SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from adapters.storage import upgrade
from tests.bots.conftest import ROOT, write_config


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_run_stops_gracefully_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    config = write_config(tmp_path, **{"interval_seconds = 30": "interval_seconds = 1"})
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    # The checkout under test comes first, even where another copy of backit is installed.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bots",
        "--config",
        str(config),
        "run",
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    log: list[str] = []
    async with asyncio.timeout(20):
        while "running: deadline scheduler" not in "".join(log):
            line = await process.stderr.readline()
            assert line, "".join(log)
            log.append(line.decode())
        process.send_signal(stop_signal)
        log.append((await process.stderr.read()).decode())
        code = await process.wait()

    output = "".join(log)
    assert code == 0, output
    assert "INFO bots.process: stopped" in output
    assert "Traceback" not in output
