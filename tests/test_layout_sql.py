"""Storage owns all SQL: nothing in aggregator/ or spiders/ holds a statement or talks to a
connection. A query written outside storage/ is a query the schema's owner cannot see
when a migration changes a table, so this scans the sources rather than trusting a review."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = sorted(p for top in ("aggregator", "spiders") for p in (ROOT / top).rglob("*.py"))

# Keywords followed by what makes them a statement, in either case (a hint printed for
# people is SQL too); prose in messages ("select the articles") does not read so.
SQL = re.compile(
    r"\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP)\s+(?:TABLE|VIEW|INDEX|TRIGGER|UNIQUE)\b"
    r"|\bALTER\s+TABLE\b|\bPRAGMA\s+\w+|\bWITH\s+\w+\s+AS\s*\(|\bBEGIN\s+IMMEDIATE\b",
    re.IGNORECASE)
CONNECTION_CALLS = {"execute", "executemany", "executescript", "query", "cursor"}
DRIVERS = {"sqlite3", "sqlite_utils"}


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes: prose about the store may name a table."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def offences(source: str) -> list[str]:
    """What in one module's source belongs in storage/: SQL text, a connection, a driver."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skip and (match := SQL.search(node.value)):
            found.append(f"{where}: SQL text {match.group(0)[:40]!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append(f"{where}: a connection (.conn)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in CONNECTION_CALLS:
            found.append(f"{where}: a statement run (.{node.func.attr}())")
        elif isinstance(node, ast.Import):
            found += [f"{where}: imports {a.name}" for a in node.names
                      if a.name.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DRIVERS:
            found.append(f"{where}: imports from {node.module}")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_outside_storage(path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", [
    'rows = db.query("SELECT id FROM articles")',
    'conn = store.db.conn',
    'sql = f"UPDATE articles SET title = ? WHERE id = {n}"',
    'sql = ("INSERT OR IGNORE INTO story_bands (bucket, article_id)"\n " VALUES (?, ?)")',
    'import sqlite3',
    'from sqlite_utils import Database',
])
def test_the_scan_sees_sql_and_connections(source):
    assert offences(source)


@pytest.mark.parametrize("source", [
    '"""Select the articles of one window, from the store."""',
    'message = "update the sources file, then set enabled = true"',
    'query = urlsplit(url).query',
    'crawler.signals.connect(ext.opened, signal=signals.spider_opened)',
])
def test_the_scan_leaves_prose_and_urls_alone(source):
    assert offences(source) == []
