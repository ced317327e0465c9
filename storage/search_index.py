"""The word-form index: every article's title and text as lemmas, in a contentless FTS5.

FTS5 alone matches only the form written, and Russian and Ukrainian inflect every noun,
so ``articles_lemmas`` holds each word's lemma (aggregator.search.lemmas) and a query is
reduced the same way. The table is contentless (the text is in ``articles`` already), so
it costs only its index; SQLite 3.40 cannot delete a contentless row by rowid, only by
giving back the values that were indexed. Triggers therefore queue, in ``search_queue``,
what every change to ``articles`` replaced (by the store, sqlite-utils or plain SQL), and
:func:`sync` re-derives the lemmas of the values queued, deletes them and indexes the
article as it now is. The store syncs in every write and when it opens a database. The
lemmas are deterministic for one lemmatiser version; a database indexed by another
version (an upgraded dictionary) is rebuilt whole on open.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from aggregator.search.lemmas import index_strings, lemmatiser_version

log = logging.getLogger(__name__)

LONG_JOB = 1000                  # queued articles past which the wait is announced
TABLE = "articles_lemmas"
# Every table the index adds to a database (browse hides them).
TABLES = (TABLE, f"{TABLE}_config", f"{TABLE}_data", f"{TABLE}_docsize", f"{TABLE}_idx",
          "search_queue", "search_meta")


def create_index(db: Database) -> None:
    """The index, its queue and triggers (migration m008): every stored article is queued,
    so the first store to open the database indexes them."""
    conn = db.conn
    # The text first: FTS5 marks every position list of a later column, and most words
    # are in the text only (a fifth of the index saved).
    conn.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, title, content='',"
                 " tokenize = 'unicode61 remove_diacritics 0')")
    conn.execute("CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT)")
    # indexed = 1: (title, text) are the values the index holds for the article, and are
    # to be deleted from it; 0: a new article, nothing indexed yet.
    conn.execute("CREATE TABLE search_queue (seq INTEGER PRIMARY KEY, article_id INTEGER"
                 " NOT NULL, title TEXT, text TEXT, indexed INTEGER NOT NULL)")
    conn.execute("CREATE TRIGGER articles_search_ai AFTER INSERT ON articles BEGIN"
                 " INSERT INTO search_queue (article_id, indexed) VALUES (new.id, 0); END")
    conn.execute("CREATE TRIGGER articles_search_au AFTER UPDATE OF title, text ON articles"
                 " WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN"
                 " INSERT INTO search_queue (article_id, title, text, indexed)"
                 " VALUES (old.id, old.title, old.text, 1); END")
    conn.execute("CREATE TRIGGER articles_search_ad AFTER DELETE ON articles BEGIN"
                 " INSERT INTO search_queue (article_id, title, text, indexed)"
                 " VALUES (old.id, old.title, old.text, 1); END")
    conn.execute("INSERT INTO search_queue (article_id, indexed)"
                 " SELECT id, 0 FROM articles ORDER BY id")
    conn.execute("INSERT INTO search_meta VALUES ('lemmatiser', ?)", (lemmatiser_version(),))


@dataclass(frozen=True)
class Lemmatised:
    """An article's title and text with their index strings, made where the CPU is
    (the extraction workers): used when the row stored holds exactly that title and text."""

    title: str | None
    text: str | None
    strings: tuple[str, str]


def _strings(title: str | None, text: str | None, given: Lemmatised | None
             ) -> tuple[str, str]:
    if given is not None and given.title == title and given.text == text:
        return given.strings
    return index_strings(title, text)


def _add(conn: sqlite3.Connection, article_id: int, title: str | None, text: str | None,
         given: Lemmatised | None = None) -> None:
    conn.execute(f"INSERT INTO {TABLE} (rowid, title, text) VALUES (?, ?, ?)",
                 (article_id, *_strings(title, text, given)))


def _remove(conn: sqlite3.Connection, article_id: int, title: str | None,
            text: str | None) -> None:
    conn.execute(f"INSERT INTO {TABLE} ({TABLE}, rowid, title, text)"
                 " VALUES ('delete', ?, ?, ?)", (article_id, *index_strings(title, text)))


def _queued(conn: sqlite3.Connection) -> Iterator[tuple[int, int, str | None, str | None,
                                                          int]]:
    yield from conn.execute("SELECT seq, article_id, title, text, indexed FROM search_queue"
                            " ORDER BY seq")


def sync(conn: sqlite3.Connection, given: Mapping[int, Lemmatised] | None = None) -> int:
    """Bring the index in step with ``articles``; inside the caller's write transaction.
    ``given``: index strings made already, by article id. Returns the number of articles
    reindexed.

    An article's first queue entry says what the index holds for it (its old values, or
    nothing for a new one), whatever happened to it after; its row now says what the
    index should hold (nothing, if it was deleted)."""
    entries = list(_queued(conn))
    if not entries:
        return 0
    held: dict[int, tuple[int, str | None, str | None]] = {}
    for _seq, article_id, title, text, indexed in entries:
        held.setdefault(article_id, (indexed, title, text))
    for article_id, (indexed, title, text) in held.items():
        if indexed:
            _remove(conn, article_id, title, text)
        now = conn.execute("SELECT title, text FROM articles WHERE id = ?",
                           (article_id,)).fetchone()
        if now is not None:
            _add(conn, article_id, now[0], now[1], (given or {}).get(article_id))
    conn.execute("DELETE FROM search_queue WHERE seq <= ?", (entries[-1][0],))
    return len(held)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the index was built by this lemmatiser and has nothing queued."""
    row = conn.execute("SELECT value FROM search_meta WHERE key = 'lemmatiser'").fetchone()
    if row is None or row[0] != lemmatiser_version():
        return False
    return conn.execute("SELECT 1 FROM search_queue LIMIT 1").fetchone() is None


def refresh(conn: sqlite3.Connection) -> None:
    """Sync the queue or, when another lemmatiser built the index, rebuild it whole: its
    values could no longer be deleted exactly. Inside the caller's write transaction."""
    row = conn.execute("SELECT value FROM search_meta WHERE key = 'lemmatiser'").fetchone()
    version = lemmatiser_version()
    if row is not None and row[0] == version:
        waiting = conn.execute("SELECT count(*) FROM search_queue").fetchone()[0]
        if waiting > LONG_JOB:
            log.warning("indexing %d articles for search (a minute or more per 5,000)", waiting)
        sync(conn)
        return
    log.warning("rebuilding the search index: it was made by %s, this is %s",
                row[0] if row else "an unknown lemmatiser", version)
    conn.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_queue")
    for article_id, title, text in conn.execute("SELECT id, title, text FROM articles"
                                                ).fetchall():
        _add(conn, article_id, title, text)
    conn.execute("INSERT OR REPLACE INTO search_meta VALUES ('lemmatiser', ?)", (version,))
