"""Shared set-up for the composition root's tests: a clean environment and real SQLite files."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bots.cli import main
from bots.config import Secrets

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CONFIG = ROOT / "bots" / "default_config.toml"
SECRET_VARIABLES = {field.metadata["env"] for field in Secrets.__dataclass_fields__.values()}


@dataclass(frozen=True)
class Run:
    """What one `backit` invocation did."""

    code: int
    out: str
    err: str


def clear_environment(patch: pytest.MonkeyPatch) -> None:
    """Remove every setting override and secret the developer's shell may carry."""
    for name in list(os.environ):
        overrides = name.startswith("BACKIT_") and "__" in name
        if overrides or name == "BACKIT_CONFIG" or name in SECRET_VARIABLES:
            patch.delenv(name)


def write_config(directory: Path, **changes: str) -> Path:
    """The shipped config with a SQLite file in `directory`; `changes` replace whole lines."""
    text = SHIPPED_CONFIG.read_text(encoding="utf-8")
    database = directory / "backit.db"
    text = text.replace(
        'url = "sqlite+aiosqlite:///data/backit.db"', f'url = "sqlite+aiosqlite:///{database}"'
    )
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No override or secret from outside, and a working directory of the test's own."""
    clear_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)


# Commands log at INFO by default; the CLI's tests read stderr exactly, so they log less.
QUIET = {'level = "INFO"': 'level = "WARNING"'}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config file whose database is a fresh SQLite file in tmp_path."""
    return write_config(tmp_path, **QUIET)


@pytest.fixture(scope="session")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database seeded once with the demo catalog, shared by the tests that only read it."""
    path = write_config(tmp_path_factory.mktemp("demo"), **QUIET)
    with pytest.MonkeyPatch.context() as patch:
        clear_environment(patch)
        assert main(["--config", str(path), "db", "upgrade"]) == 0
        assert main(["--config", str(path), "seed"]) == 0
    return path


class Backit:
    """Calls bots.cli.main with one config file and captures what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str], config: Path) -> None:
        self.capsys = capsys
        self.config = config

    def __call__(self, *argv: str) -> Run:
        """Run one command and return its exit code and output."""
        self.capsys.readouterr()
        code = main(["--config", str(self.config), *argv])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    async def in_thread(self, *argv: str) -> Run:
        """Run one command in a worker thread, so that servers on the test's loop keep serving."""
        self.capsys.readouterr()
        code = await asyncio.to_thread(main, ["--config", str(self.config), *argv])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def json(self, *argv: str) -> Any:
        """Run a command with --json and decode what it printed."""
        run = self(*argv, "--json")
        assert run.code == 0, run.err
        return json.loads(run.out)


@pytest.fixture
def backit(capsys: pytest.CaptureFixture[str], config: Path) -> Backit:
    """`backit` on a fresh, empty SQLite file."""
    return Backit(capsys, config)


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str], demo_config: Path) -> Backit:
    """`backit` on the database seeded with the demo catalog."""
    return Backit(capsys, demo_config)
