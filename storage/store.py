"""The deduplicating article store: one row per article, every URL it was seen under.

All writes go through :class:`Store`; each article is saved in its own
``BEGIN IMMEDIATE`` transaction, so a crash mid-crawl loses at most the article
being written and never leaves a half-written one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlite_utils import Database

from aggregator.errors import StoreError
from aggregator.reprints import normalise
from storage.schema import migrations
from storage.stories import StoryIndex

BUSY_TIMEOUT_S = 30.0
NOT_ARTICLE_RECHECK_DAYS = 7      # a page that held no article is fetched again after this

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def content_hash(text: str, normalised: str | None = None) -> str:
    """Hash of the text with case, ё/е, quotes, dashes and whitespace normalised
    (``normalised``: ``normalise(text)``, when the caller has it already)."""
    norm = normalise(text) if normalised is None else normalised
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


@dataclass
class ArticleRecord:
    """What the crawl learned about one article page, ready to store."""

    source_id: str
    url: str                           # canonical URL
    aliases: list[str]                 # every normalised URL it was reached under (url included)
    title: str | None
    text: str
    author: str | None = None
    language: str | None = None
    published_at: str | None = None
    published_from: str | None = None
    modified_at: str | None = None
    change_mark: str | None = None     # feed/sitemap "updated" value that led to this fetch
    seen_at: str = field(default_factory=utc_now)


@dataclass(frozen=True)
class SaveResult:
    outcome: str                   # NEW, UPDATED or UNCHANGED
    article_id: int
    story_id: int | None = None    # the story (cluster) the article belongs to
    reprint_of: int | None = None  # a new article joined the story of this earlier one


class Store:
    """A newsagg SQLite database, created or upgraded on open."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self.db = Database(conn)
            migrations.apply(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot use this database: {exc}") from exc

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------
    def _write(self) -> "_Transaction":
        return _Transaction(self.db.conn)

    # -- sources ------------------------------------------------------------------
    def sync_sources(self, rows: Iterable[dict[str, Any]]) -> None:
        """Copy the sources file into the `sources` table (for queries and Datasette)."""
        now = utc_now()
        with self._write():
            for row in rows:
                row = dict(row, updated_at=now)
                for key in ("feeds", "sitemaps", "listings"):
                    row[key] = json.dumps(row[key], ensure_ascii=False)
                self.db["sources"].upsert(row, pk="id")

    # -- crawl-time lookups -------------------------------------------------------
    def known_urls(self, source_ids: Iterable[str] | None = None) -> dict[str, str | None]:
        """Every stored URL (aliases included) with its article's last change mark, and
        the pages found not to be articles in the last NOT_ARTICLE_RECHECK_DAYS days."""
        ids = list(source_ids) if source_ids is not None else []
        of_sources = f"IN ({','.join('?' * len(ids))})" if source_ids is not None else None
        recheck = (datetime.now(timezone.utc) - timedelta(days=NOT_ARTICLE_RECHECK_DAYS)
                   ).isoformat(timespec="seconds")
        known = dict(self.db.execute(
            "SELECT url, change_mark FROM not_articles WHERE last_seen_at >= ?"
            + (f" AND source_id {of_sources}" if of_sources else ""), [recheck, *ids]))
        known.update(self.db.execute(
            "SELECT u.url, a.change_mark FROM article_urls u JOIN articles a"
            " ON a.id = u.article_id" + (f" WHERE u.source_id {of_sources}" if of_sources else ""),
            ids))
        return known

    def remember_not_article(self, source_id: str, urls: Iterable[str], reason: str,
                             change_mark: str | None = None, seen_at: str | None = None
                             ) -> None:
        """A page that held no article: not fetched again for a while (see known_urls)."""
        seen_at = seen_at or utc_now()
        with self._write():
            for url in dict.fromkeys(urls):
                self.db.conn.execute(
                    "INSERT INTO not_articles (url, source_id, reason, first_seen_at,"
                    " last_seen_at, change_mark) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (url) DO UPDATE SET reason = excluded.reason,"
                    " last_seen_at = excluded.last_seen_at,"
                    " change_mark = COALESCE(excluded.change_mark, change_mark)",
                    (url, source_id, reason, seen_at, seen_at, change_mark))

    # -- saving -------------------------------------------------------------------
    def save_article(self, rec: ArticleRecord) -> SaveResult:
        """Insert a new article or update the one it is a variant or revision of."""
        normalised = normalise(rec.text)
        chash = content_hash(rec.text, normalised)
        urls = list(dict.fromkeys([rec.url, *rec.aliases]))
        conn = self.db.conn
        with self._write():
            article_id = self._find_by_urls(urls)
            if article_id is None:
                row = conn.execute(
                    "SELECT id FROM articles WHERE source_id = ? AND content_hash = ? "
                    "ORDER BY id LIMIT 1", (rec.source_id, chash)).fetchone()
                article_id = row[0] if row else None
            stories = StoryIndex(conn)
            if article_id is None:
                article_id = self._insert(rec, chash)
                outcome = NEW
                placed = stories.place(article_id, rec.source_id, rec.text, normalised)
            else:
                outcome = self._refresh(article_id, rec, chash)
                if outcome == UPDATED:
                    stories.revise(article_id, rec.source_id, rec.text)
                placed = stories.placement_of(article_id)
            for url in urls:
                conn.execute(
                    "INSERT OR IGNORE INTO article_urls (url, article_id, source_id, first_seen_at)"
                    " VALUES (?, ?, ?, ?)", (url, article_id, rec.source_id, rec.seen_at))
                conn.execute("DELETE FROM not_articles WHERE url = ?", (url,))
        return SaveResult(outcome, article_id, placed.story_id, placed.reprint_of)

    def _find_by_urls(self, urls: list[str]) -> int | None:
        marks = ",".join("?" * len(urls))
        row = self.db.conn.execute(
            f"SELECT article_id FROM article_urls WHERE url IN ({marks}) ORDER BY article_id "
            "LIMIT 1", urls).fetchone()
        if row:
            return row[0]
        row = self.db.conn.execute(
            f"SELECT id FROM articles WHERE url IN ({marks}) LIMIT 1", urls).fetchone()
        return row[0] if row else None

    def _insert(self, rec: ArticleRecord, chash: str) -> int:
        cur = self.db.conn.execute(
            "INSERT INTO articles (url, source_id, title, text, author, language, published_at,"
            " published_from, modified_at, first_seen_at, last_seen_at, content_hash,"
            " change_mark) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (rec.url, rec.source_id, rec.title, rec.text, rec.author, rec.language,
             rec.published_at, rec.published_from, rec.modified_at, rec.seen_at, rec.seen_at,
             chash, rec.change_mark))
        return cur.lastrowid

    def _refresh(self, article_id: int, rec: ArticleRecord, chash: str) -> str:
        old = self.db.conn.execute(
            "SELECT content_hash, title, published_at, change_mark FROM articles WHERE id = ?",
            (article_id,)).fetchone()
        changed = old[0] != chash or (rec.title and old[1] != rec.title)
        mark = rec.change_mark or old[3]
        if not changed:
            self.db.conn.execute(
                "UPDATE articles SET last_seen_at = ?, change_mark = ?,"
                " published_at = COALESCE(published_at, ?),"
                " published_from = CASE WHEN published_at IS NULL THEN ? ELSE published_from END"
                " WHERE id = ?",
                (rec.seen_at, mark, rec.published_at, rec.published_from, article_id))
            return UNCHANGED
        self.db.conn.execute(
            "UPDATE articles SET title = ?, text = ?, author = COALESCE(?, author),"
            " language = COALESCE(?, language),"
            " published_at = COALESCE(?, published_at),"
            " published_from = CASE WHEN ? IS NULL THEN published_from ELSE ? END,"
            " modified_at = ?, last_seen_at = ?, content_hash = ?, change_mark = ? WHERE id = ?",
            (rec.title, rec.text, rec.author, rec.language, rec.published_at,
             rec.published_at, rec.published_from, rec.modified_at or rec.seen_at,
             rec.seen_at, chash, mark, article_id))
        return UPDATED

    # -- crawl runs ---------------------------------------------------------------
    def record_run(self, rows: Iterable[dict[str, Any]]) -> None:
        with self._write():
            self.db["crawl_runs"].insert_all(list(rows))

    def run_summary(self, run_id: str) -> list[dict[str, Any]]:
        return list(self.db["crawl_runs"].rows_where("run_id = ?", [run_id], order_by="source_id"))

    # -- queries ------------------------------------------------------------------
    def articles(self, where: str | None = None, params: Iterable[Any] = ()) -> Iterator[dict]:
        return self.db["articles"].rows_where(where, list(params), order_by="id")

    def count(self, table: str = "articles") -> int:
        return self.db[table].count


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
