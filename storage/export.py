"""`newsagg export`'s reads: every article with its story, dates and source, one row at a
time, so that exporting a store of 50k texts never holds them all in memory."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from storage.rows import named
from storage.store import Store

# The columns of an export, in order (the CSV header; the keys of each JSON object).
COLUMNS = ("id", "story_id", "url", "source_id", "source_name", "region", "country",
           "language", "title", "published_at", "published_from", "modified_at",
           "first_seen_at", "last_seen_at", "author", "text")

SELECT = ("SELECT a.id, a.cluster_id AS story_id, a.url, a.source_id,"
          " COALESCE(s.name, a.source_id) AS source_name, s.region, s.country,"
          " a.language, a.title, a.published_at, a.published_from, a.modified_at,"
          " a.first_seen_at, a.last_seen_at, a.author, a.text"
          " FROM articles a LEFT JOIN sources s ON s.id = a.source_id")


def known_sources(store: Store) -> set[str]:
    """Every source id the store knows: in its copy of the sources file or on an article
    (a source since removed from the file still has its articles)."""
    return {row["id"] for row in named(
        store.db.conn, "SELECT id FROM sources UNION SELECT DISTINCT source_id FROM articles")}


def articles(store: Store, since: str | None = None,
             source_ids: Sequence[str] = ()) -> Generator[dict[str, Any], None, None]:
    """The articles first seen at or after ``since`` (a UTC stamp as stored), of these
    sources (all when empty), oldest id first, as dicts keyed by COLUMNS.

    The cursor is read row by row: only the row being written is in memory. Close the
    generator before the store when it is not read to the end."""
    where, params = [], []
    if since is not None:
        where.append("a.first_seen_at >= ?")
        params.append(since)
    if source_ids:
        where.append(f"a.source_id IN ({','.join('?' * len(source_ids))})")
        params.extend(source_ids)
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.id"
    cursor = named(store.db.conn, sql, params)
    try:
        for row in cursor:
            yield {name: row[name] for name in COLUMNS}
    finally:
        cursor.close()
