"""The deduplicating article store: one row per article, every URL it was seen under.

All writes go through :class:`Store`; each article is saved in its own
``BEGIN IMMEDIATE`` transaction, so a crash mid-crawl loses at most the article
being written and never leaves a half-written one. Every SQLite failure leaves as a
:class:`StoreError` naming the database and the cause in words, marked transient
when it is a lock held past the busy timeout.

``rel=canonical`` is a claim, not a fact: a URL only claimed is kept apart from the
URLs pages were fetched at (``article_urls.fetched``), a claimed page that holds
another text is fetched and stored on its own, and a URL that different articles
claim (a homepage, a section) is recorded in ``contested_urls`` and never an
article's URL again. Two different texts never share a row.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from aggregator.clock import utc_stamp
from aggregator.errors import StoreError
from aggregator.reprints import normalize_text, same_story
from storage import search_index
from storage.known import known_urls
from storage.rows import one
from storage.schema import migrations
from storage.stories import StoryIndex

T = TypeVar("T")

BUSY_TIMEOUT_S = 30.0

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def content_hash(text: str, normalized: str | None = None) -> str:
    """Hash of the text with case, ё/е, quotes, dashes and whitespace normalized
    (``normalized``: ``normalize_text(text)``, when the caller has it already)."""
    norm = normalize_text(text) if normalized is None else normalized
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


@dataclass
class ArticleRecord:
    """What the crawl learned about one article page, ready to store."""

    source_id: str
    url: str                           # canonical URL
    aliases: list[str]                 # every normalized URL it was reached under (url included)
    title: str | None
    text: str
    author: str | None = None
    language: str | None = None
    published_at: str | None = None
    published_from: str | None = None
    modified_at: str | None = None
    change_mark: str | None = None     # feed/sitemap "updated" value that led to this fetch
    seen_at: str = field(default_factory=utc_stamp)
    canonical: str | None = None       # the page's rel=canonical (normalized): a claim
    full_text_chars: int | None = None  # the text's length before it was cut, if it was
    # The search index's strings of (title, text), when the extraction worker made them.
    lemmas: tuple[str, str] | None = None


@dataclass(frozen=True)
class SaveResult:
    outcome: str                   # NEW, UPDATED or UNCHANGED
    article_id: int
    story_id: int | None = None    # the story (cluster) the article belongs to
    reprint_of: int | None = None  # a new article joined the story of this earlier one


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn SQLite's and the OS's errors into a StoreError that names the database."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise                                  # a bug in the caller, not the store
        except (sqlite3.DatabaseError, OSError) as exc:
            raise store_error(self.path, exc, self.busy_timeout) from exc

    return wrapper


def store_error(path: str, exc: BaseException, busy_timeout: float) -> StoreError:
    """What went wrong, in words, and whether waiting could help (a lock)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    transient = name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "is locked" in text
    if transient:
        what = f"the database is locked by another process (waited {busy_timeout:g} s)"
    elif name.startswith("SQLITE_READONLY") or "readonly" in text:
        what = "the database cannot be written (a read-only file or directory)"
    elif name == "SQLITE_FULL" or "is full" in text:
        what = "the disk is full"
    elif name.startswith("SQLITE_IOERR") or isinstance(exc, OSError):
        what = "the disk refused a read or write"
    elif name == "SQLITE_CANTOPEN":
        what = "the file cannot be opened"
    else:
        what = "not a newsagg database, or a damaged one"
    return StoreError(f"{path}: cannot use this database: {what} ({text})", transient)


class Store:
    """A newsagg SQLite database, created or upgraded on open.

    Two processes opening a new database at once are safe: migrations run in one
    ``BEGIN IMMEDIATE`` transaction, so the second waits and then finds none pending.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self._open()

    @_guarded
    def _open(self) -> None:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self.db = Database(conn)
            if migrations.pending(self.db):
                with self._write():
                    migrations.apply(self.db)
            if not search_index.is_current(conn):
                with self._write():
                    search_index.refresh(conn)
        except BaseException:
            conn.close()
            raise

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new database to WAL. The switch needs the file to itself, and SQLite
        answers "locked" at once, without its busy wait, while another process is
        creating the same database: so wait here, up to the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
                continue
            if mode != "wal":
                raise sqlite3.OperationalError(f"cannot switch to WAL mode (still {mode})")
            return

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------
    def _write(self) -> _Transaction:
        return _Transaction(self.db.conn)

    # -- sources ------------------------------------------------------------------
    @_guarded
    def sync_sources(self, rows: Iterable[dict[str, Any]]) -> None:
        """Copy the sources file into the `sources` table (for queries and Datasette)."""
        now = utc_stamp()
        with self._write():
            for row in rows:
                row = dict(row, updated_at=now)
                for key in ("feeds", "sitemaps", "listings"):
                    row[key] = json.dumps(row[key], ensure_ascii=False)
                self.db.table("sources").upsert(row, pk="id")

    # -- crawl-time lookups -------------------------------------------------------
    @_guarded
    def known_urls(self, source_ids: Iterable[str] | None = None) -> dict[str, str | None]:
        """Every URL an article was fetched at, with its article's last change mark, and
        the pages found not to be articles lately (storage/known.py)."""
        return known_urls(self.db.conn, source_ids)

    @_guarded
    def remember_not_article(self, source_id: str, urls: Iterable[str], reason: str,
                             change_mark: str | None = None, seen_at: str | None = None
                             ) -> None:
        """A page that held no article: not fetched again for a while (see known_urls)."""
        seen_at = seen_at or utc_stamp()
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
    @_guarded
    def save_article(self, rec: ArticleRecord) -> SaveResult:
        """Insert a new article or update the one it is a variant or revision of."""
        normalized = normalize_text(rec.text)
        chash = content_hash(rec.text, normalized)
        fetched = list(dict.fromkeys([rec.url, *rec.aliases]))
        conn = self.db.conn
        with self._write():
            claim = self._usable_claim(rec, fetched)
            article_id = self._owner(fetched, fetched_only=True)     # fetched here before
            if article_id is None:
                article_id, claim = self._by_claim(rec, fetched, claim, chash)
            if article_id is None:
                row = conn.execute(
                    "SELECT id FROM articles WHERE source_id = ? AND content_hash = ? "
                    "ORDER BY id LIMIT 1", (rec.source_id, chash)).fetchone()
                article_id = row[0] if row else None
            stories = StoryIndex(conn)
            if article_id is None:
                article_id = self._insert(rec, claim or rec.url, chash)
                outcome = NEW
                placed = stories.place(article_id, rec.source_id, rec.text, normalized)
            else:
                outcome = self._refresh(article_id, rec, chash)
                if outcome == UPDATED:
                    stories.revise(article_id, rec.source_id, rec.text)
                placed = stories.placement_of(article_id)
            for url in fetched:
                conn.execute(
                    "INSERT INTO article_urls (url, article_id, source_id, first_seen_at, fetched)"
                    " VALUES (?, ?, ?, ?, 1) ON CONFLICT (url) DO UPDATE SET fetched = 1"
                    " WHERE article_id = excluded.article_id",
                    (url, article_id, rec.source_id, rec.seen_at))
                conn.execute("DELETE FROM not_articles WHERE url = ?", (url,))
            if claim:
                conn.execute(
                    "INSERT OR IGNORE INTO article_urls (url, article_id, source_id,"
                    " first_seen_at, fetched) VALUES (?, ?, ?, ?, 0)",
                    (claim, article_id, rec.source_id, rec.seen_at))
            given = search_index.Lemmatised(rec.title, rec.text, rec.lemmas) \
                if rec.lemmas else None
            search_index.sync(conn, {article_id: given} if given else None)
        return SaveResult(outcome, article_id, placed.story_id, placed.reprint_of)

    def _usable_claim(self, rec: ArticleRecord, fetched: list[str]) -> str | None:
        """The page's canonical, unless it is one of its own URLs or a contested one."""
        if not rec.canonical or rec.canonical in fetched:
            return None
        contested = self.db.conn.execute("SELECT 1 FROM contested_urls WHERE url = ?",
                                         (rec.canonical,)).fetchone()
        return None if contested else rec.canonical

    def _owner(self, urls: list[str], fetched_only: bool = False) -> int | None:
        marks = ",".join("?" * len(urls))
        row = self.db.conn.execute(
            f"SELECT article_id FROM article_urls WHERE url IN ({marks})"
            + (" AND fetched = 1" if fetched_only else "") + " ORDER BY article_id LIMIT 1",
            urls).fetchone()
        return row[0] if row else None

    def _by_claim(self, rec: ArticleRecord, fetched: list[str], claim: str | None,
                  chash: str) -> tuple[int | None, str | None]:
        """The article this page is a variant of, through a canonical URL one of them
        claimed; or (None, the claim still usable) when the claim proved false."""
        urls = fetched + ([claim] if claim else [])
        owner = self._owner(urls)
        if owner is None:
            return None, claim
        theirs = one(self.db.conn, "SELECT content_hash, text FROM articles WHERE id = ?",
                     (owner,))
        assert theirs is not None                  # article_urls.article_id is a foreign key
        if theirs["content_hash"] == chash or same_story(rec.text, theirs["text"] or ""):
            return owner, claim
        self._contest(owner, urls, rec.source_id, rec.seen_at)
        return None, None

    def _contest(self, owner: int, urls: list[str], source_id: str, seen_at: str) -> None:
        """Two texts claim one URL: it belongs to neither as a claim. The earlier article
        keeps a URL it was fetched at."""
        conn = self.db.conn
        for url in urls:
            conn.execute("INSERT OR IGNORE INTO contested_urls (url, source_id, first_seen_at)"
                         " VALUES (?, ?, ?)", (url, source_id, seen_at))
            conn.execute("DELETE FROM article_urls WHERE url = ? AND article_id = ?"
                         " AND fetched = 0", (url, owner))
        marks = ",".join("?" * len(urls))
        conn.execute(
            "UPDATE articles SET url = COALESCE((SELECT u.url FROM article_urls u"
            " WHERE u.article_id = articles.id AND u.fetched = 1"
            " ORDER BY u.first_seen_at, u.rowid LIMIT 1), url)"
            f" WHERE id = ? AND url IN ({marks})", (owner, *urls))

    def _insert(self, rec: ArticleRecord, url: str, chash: str) -> int:
        cur = self.db.conn.execute(
            "INSERT INTO articles (url, source_id, title, text, author, language, published_at,"
            " published_from, modified_at, first_seen_at, last_seen_at, content_hash,"
            " change_mark, full_text_chars) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (url, rec.source_id, rec.title, rec.text, rec.author, rec.language,
             rec.published_at, rec.published_from, rec.modified_at, rec.seen_at, rec.seen_at,
             chash, rec.change_mark, rec.full_text_chars))
        assert cur.lastrowid is not None           # an INSERT always sets it
        return cur.lastrowid

    def _refresh(self, article_id: int, rec: ArticleRecord, chash: str) -> str:
        old = one(self.db.conn,
                  "SELECT content_hash, title, change_mark FROM articles WHERE id = ?",
                  (article_id,))
        assert old is not None                     # the caller found this article
        changed = old["content_hash"] != chash or (rec.title and old["title"] != rec.title)
        mark = rec.change_mark or old["change_mark"]
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
            " modified_at = ?, last_seen_at = ?, content_hash = ?, change_mark = ?,"
            " full_text_chars = ? WHERE id = ?",
            (rec.title, rec.text, rec.author, rec.language, rec.published_at,
             rec.published_at, rec.published_from, rec.modified_at or rec.seen_at,
             rec.seen_at, chash, mark, rec.full_text_chars, article_id))
        return UPDATED

    # -- crawl runs ---------------------------------------------------------------
    @_guarded
    def record_run(self, rows: Iterable[dict[str, Any]]) -> None:
        with self._write():
            self.db.table("crawl_runs").insert_all(list(rows))

    # -- queries ------------------------------------------------------------------
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
            try:
                self.conn.execute("COMMIT")
                return
            except BaseException:
                self._rollback()
                raise
        self._rollback()

    def _rollback(self) -> None:
        # A full disk or an I/O error may have rolled the transaction back already.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
