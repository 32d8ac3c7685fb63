"""The dependency rule: core imports no chat, HTTP, payment or database library."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "adapters",
    "bots",
    "telegram",
    "discord",
    "aiohttp",
    "httpx",
    "requests",
    "stripe",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "sqlite3",
}


def imported_roots(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_depends_on_nothing_outside_the_domain() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN)
        for path in (ROOT / "core").rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_the_rule_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "leak.py"
    module.write_text("import sqlalchemy.orm\nfrom telegram import Bot\nfrom . import sibling\n")
    assert imported_roots(module) & FORBIDDEN == {"sqlalchemy", "telegram"}
