"""A database Backit cannot use stops every command at once, with one line saying why and exit
code 2, before anything is created or served."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy.engine import make_url

from tests.bots.conftest import Backit
from tests.storage_fixtures import POSTGRES_URL_ENV, _admin

# Every command that reads or writes the database.
COMMANDS = [
    ("campaigns", "list"),
    ("campaigns", "show", "lamp"),
    ("seed",),
    ("outbox", "status"),
    ("payments", "resolve", "1"),
]
PASSWORD = "s3cret-pw"
CHATTR = "/usr/bin/chattr"


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """The file or folder cannot be changed, even by root (tests run as root, which file
    permissions do not stop): as on a read-only mount."""
    subprocess.run([CHATTR, "+i", str(path)], check=True)  # noqa: S603 - arguments written here
    try:
        yield
    finally:
        subprocess.run([CHATTR, "-i", str(path)], check=True)  # noqa: S603


def refused(backit: Backit, *argv: str) -> str:
    """Run a command that must stop on the database; its one line of error."""
    run = backit(*argv)
    assert (run.code, run.out) == (2, ""), run
    assert run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err
    return run.err


@pytest.mark.parametrize("argv", COMMANDS)
def test_a_database_in_a_missing_folder_is_named_and_nothing_is_created(
    backit: Backit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    folder = tmp_path / "typo"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{folder}/backit.db")

    assert refused(backit, *argv) == (
        f"error: database {folder}/backit.db: the folder {folder} does not exist\n"
    )
    assert not folder.exists()


def test_a_database_without_tables_says_to_run_db_upgrade_which_then_fixes_it(
    backit: Backit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")

    assert refused(backit, "campaigns", "list") == (
        f"error: database {path} has no Backit tables: run `backit db upgrade` first\n"
    )
    assert backit("db", "upgrade").code == 0
    assert backit("campaigns", "list").out == "no campaigns\n"


def test_a_database_in_a_read_only_folder_is_refused(
    backit: Backit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "backit.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert backit("db", "upgrade").code == 0

    with immutable(folder):
        error = refused(backit, "campaigns", "list")

    # SQLite keeps its write-ahead log beside the file: a folder it cannot write in is no use.
    assert error == f"error: database {path}: unable to open database file\n"


async def test_a_database_that_refuses_writes_is_refused(
    backend: str,
    migrated_database_url: str,
    backit: Backit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", migrated_database_url)
    url = make_url(migrated_database_url)
    if backend == "sqlite":
        assert url.database is not None
        with immutable(Path(url.database)):
            run = await backit.in_thread("campaigns", "list")
        reason = "attempt to write a readonly database"
    else:
        # A server that only reads, as a standby does, or a database set so by its owner.
        # Set and unset from the server's own database: this one refuses changes meanwhile.
        server = os.environ[POSTGRES_URL_ENV]
        read_only = f'ALTER DATABASE "{url.database}" SET default_transaction_read_only'
        await _admin(server, f"{read_only} = on")
        try:
            run = await backit.in_thread("campaigns", "list")
        finally:
            await _admin(server, f"{read_only} = off")
        reason = "cannot execute UPDATE in a read-only transaction"
    shown = url.database if backend == "sqlite" else url.render_as_string(hide_password=True)
    assert (run.code, run.out, run.err) == (2, "", f"error: database {shown}: {reason}\n")


def test_a_postgresql_server_that_refuses_connections_is_named_without_the_password(
    backit: Backit, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1 on this machine: nothing listens there.
    monkeypatch.setenv("DATABASE_URL", f"postgresql+asyncpg://backit:{PASSWORD}@127.0.0.1:1/shop")

    error = refused(backit, "campaigns", "list")

    assert error.startswith("error: database postgresql+asyncpg://backit:***@127.0.0.1:1/shop: ")
    assert "Connect call failed" in error
    assert PASSWORD not in error


async def test_a_missing_database_is_named_without_its_password(
    backend: str, backit: Backit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend == "sqlite":
        path = tmp_path / "nothing-here.db"
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
        expected = f"error: database {path} does not exist: create it with `backit db upgrade`\n"
    else:
        name = f"backit_missing_{uuid4().hex}"
        url = make_url(os.environ[POSTGRES_URL_ENV]).set(database=name, password=PASSWORD)
        monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
        shown = url.render_as_string(hide_password=True)
        expected = f'error: database {shown}: database "{name}" does not exist\n'

    run = await backit.in_thread("campaigns", "list")

    assert (run.code, run.out, run.err) == (2, "", expected)
    assert PASSWORD not in run.err
