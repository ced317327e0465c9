"""Which URLs a crawl need not fetch again: read by the crawl from its own store, and by
`newsagg sources try` from the user's database opened read-only (no migration, no
write, no copy of a file that may hold gigabytes)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from aggregator.clock import utc_now
from aggregator.errors import StoreError
from storage.rows import named

NOT_ARTICLE_RECHECK_DAYS = 7      # a page that held no article is fetched again after this


def known_urls(conn: sqlite3.Connection, source_ids: Iterable[str] | None = None
               ) -> dict[str, str | None]:
    """Every URL an article was fetched at, with its article's last change mark, and
    the pages found not to be articles in the last NOT_ARTICLE_RECHECK_DAYS days.
    A URL only claimed by a canonical is not known: it may hold another article."""
    ids = list(source_ids) if source_ids is not None else []
    of_sources = f"IN ({','.join('?' * len(ids))})" if source_ids is not None else None
    recheck = (utc_now() - timedelta(days=NOT_ARTICLE_RECHECK_DAYS)
               ).isoformat(timespec="seconds")
    known = {row["url"]: row["change_mark"] for row in named(
        conn, "SELECT url, change_mark FROM not_articles WHERE last_seen_at >= ?"
        + (f" AND source_id {of_sources}" if of_sources else ""), [recheck, *ids])}
    known.update((row["url"], row["change_mark"]) for row in named(
        conn, "SELECT u.url, a.change_mark FROM article_urls u JOIN articles a"
        " ON a.id = u.article_id WHERE u.fetched = 1"
        + (f" AND u.source_id {of_sources}" if of_sources else ""), ids))
    return known


def read_known_urls(path: str | Path, source_ids: Iterable[str] | None = None
                    ) -> dict[str, str | None]:
    """known_urls of the database at ``path``, opened read-only; StoreError naming it
    when it cannot be read (not a database, or a schema older than this newsagg's)."""
    file = Path(path).resolve()
    # A WAL database that nobody has open has no -wal file: read it as immutable, or
    # SQLite leaves a -wal and a -shm beside it. One that is open (a crawl writes) has
    # both already, and is read through them, its latest writes included.
    wal = file.with_name(file.name + "-wal").exists()
    mode = "mode=ro" if wal else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{file.as_uri()}?{mode}", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot be opened read-only: {exc}") from None
    try:
        return known_urls(conn, source_ids)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot be read ({exc}); open it once with "
                         "`newsagg status` to bring its schema up to date") from None
    finally:
        conn.close()
