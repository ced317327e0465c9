"""Rows read by column name, so that a column a later migration adds never shifts another.

sqlite-utils' ``Database.query`` also yields rows by name, but wraps every statement in a
savepoint of its own; the store's reads run inside its ``BEGIN IMMEDIATE`` writes and on
the crawl's hot path, so they take a plain cursor with ``sqlite3.Row`` instead. The
connection's own row factory stays as it is (sqlite-utils reads its rows as tuples).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

Params = Sequence[Any] | Mapping[str, Any]


def named(conn: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """Run ``sql``; the cursor's rows are ``sqlite3.Row``, read as ``row["column"]``."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


def one(conn: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Row | None:
    """The first row of ``sql``, or None; the statement is finished before this returns."""
    cursor = named(conn, sql, params)
    try:
        row: sqlite3.Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def dicts(conn: sqlite3.Connection, sql: str, params: Params = ()) -> list[dict[str, Any]]:
    """Every row of ``sql`` as a dict by column name (for callers that add keys)."""
    return [dict(row) for row in named(conn, sql, params)]
