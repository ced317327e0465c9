"""Word-form search over the lemma index (storage/search_index.py): queries, ranking and
snippets, for `newsagg search` and Datasette alike.

A query is reduced to lemmas the way the index was, so a query word matches every form of
it. Both callers run :data:`SEARCH_SQL` on a connection given :func:`register_functions`,
so the command line and Datasette find the same articles in the same order.
"""

from __future__ import annotations

import re
import sqlite3
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from sqlite_utils import Database

from aggregator.errors import EXIT_USAGE, NewsaggError, StoreError
from aggregator.search.lemmas import APOSTROPHE_RE, WORD_RE, fold, lemma_tokens, word_lemmas, words
from storage.rows import named
from storage.search_index import TABLE

SNIPPET_WORDS = 30
SNIPPET_BEFORE = 8                   # words shown before the first match
TERM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(NewsaggError):
    """A search query with nothing to look for, or a bad filter."""

    exit_code = EXIT_USAGE


class _Store(Protocol):
    path: str
    db: Database


@dataclass(frozen=True)
class Hit:
    id: int
    title: str | None
    url: str
    source_id: str
    published_at: str | None
    snippet: str
    rank: float


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 expression, and what a word of a text must be to be shown
    as matched in the snippet."""

    match: str
    lemmas: frozenset[str]
    prefixes: frozenset[str]


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _word_expr(word: str, lemmas: set[str], positive: bool) -> str:
    folded = fold(word)
    found = word_lemmas(folded)
    if positive:
        lemmas.update(found)
    if len(found) == 1:
        return _quoted(found[0])
    return "(" + " OR ".join(_quoted(lemma) for lemma in found) + ")"


def _prefix_expr(word: str, prefixes: set[str], positive: bool) -> str:
    folded = fold(word)
    options = list(dict.fromkeys([folded, *word_lemmas(folded)[:1]]))
    if not folded.isascii():
        options = [folded]               # a Cyrillic prefix is no word: its "lemma" is noise
    if positive:
        prefixes.update(options)
    return "(" + " OR ".join(_quoted(option) + "*" for option in options) + ")"


def parse_query(query: str) -> Query:
    """Words (by lemma), ``word*`` (a prefix of the lemma), ``"a phrase"`` (lemmas next to
    each other), ``-word`` (excluded): one FTS5 expression; QueryError when it is empty."""
    lemmas: set[str] = set()
    prefixes: set[str] = set()
    wanted: list[str] = []
    excluded: list[str] = []
    for match in TERM_RE.finditer(query):
        if match.group(3) is not None:
            term = match.group(3)
            negative = term.startswith("-")
            term = term.lstrip("-")
            prefix = term.endswith("*")
            parts = [m.group() for m in words(term)]
            if not parts:
                continue
            if prefix and len(parts) == 1:
                expr = _prefix_expr(parts[0], prefixes, not negative)
            elif len(parts) == 1:
                expr = _word_expr(parts[0], lemmas, not negative)
            else:                                           # e-government: a phrase
                expr = _phrase_expr(term, lemmas, not negative)
        else:
            negative = match.group(1) == "-"
            if not words(match.group(2)):
                continue
            expr = _phrase_expr(match.group(2), lemmas, not negative)
        (excluded if negative else wanted).append(expr)
    if not wanted:
        what = "only excluded words" if excluded else "no words"
        raise QueryError(f"search query {query!r} has {what}: give at least one word to find")
    expression = " AND ".join(wanted)
    if excluded:
        expression = f"({expression}) NOT " + " NOT ".join(excluded)
    return Query(expression, frozenset(lemmas), frozenset(prefixes))


def _phrase_expr(text: str, lemmas: set[str], positive: bool) -> str:
    tokens = lemma_tokens(text)
    if positive:
        lemmas.update(tokens)
    return _quoted(" ".join(tokens))


def snippet(text: str, query: Query, width: int = SNIPPET_WORDS) -> str | None:
    """About ``width`` words of ``text`` around its first matched word, matches in
    [brackets], "…" where the text goes on; None when no word of it matches. The text is
    read only up to the end of the window: a long text costs no more than a short one."""
    scanned = APOSTROPHE_RE.sub("'", text)              # one character for one: same offsets
    found = WORD_RE.finditer(scanned)
    before: deque[re.Match[str]] = deque(maxlen=SNIPPET_BEFORE)
    skipped = 0                                         # words before the window's first
    for match in found:
        if _matches(match.group(), query):
            window = [*before, match]
            break
        if len(before) == before.maxlen:
            skipped += 1
        before.append(match)
    else:
        return None
    starts_inside = skipped > 0
    more = False
    for match in found:
        if len(window) == width:
            more = True
            break
        window.append(match)
    parts: list[str] = []
    position = window[0].start()
    for match in window:
        parts.append(text[position:match.start()])
        word = text[match.start():match.end()]
        parts.append(f"[{word}]" if _matches(match.group(), query) else word)
        position = match.end()
    if not more:
        parts.append(text[position:])                   # the text's last full stop
    out = " ".join("".join(parts).split())
    return ("…" if starts_inside else "") + out + ("…" if more else "")


def _matches(word: str, query: Query) -> bool:
    folded = fold(word)
    lemmas = word_lemmas(folded)
    if any(form.startswith(prefix) for prefix in query.prefixes for form in (folded, *lemmas)):
        return True
    return any(lemma in query.lemmas for lemma in lemmas)


# The one search query. :q the user's query; :source "" or comma-separated source ids;
# :since "" or YYYY-MM-DD (published, or when undated first seen, on or after it); :limit.
# Ranked in the inner query so that snippets are made for the rows shown only.
SEARCH_SQL = f"""
SELECT hit.id, hit.title, hit.url, hit.source_id, hit.published_at,
       newsagg_snippet(hit.title, hit.text, :q) AS snippet, hit.rank
FROM (
  SELECT a.id, a.title, a.url, a.source_id, a.published_at, a.text,
         bm25({TABLE}, 1.0, 2.0) AS rank
  FROM {TABLE} JOIN articles a ON a.id = {TABLE}.rowid
  WHERE {TABLE} MATCH newsagg_match(:q)
    AND (:source = '' OR instr(',' || :source || ',', ',' || a.source_id || ',') > 0)
    AND (:since = '' OR COALESCE(a.published_at, a.first_seen_at) >= :since)
  ORDER BY rank, a.id
  LIMIT CAST(COALESCE(NULLIF(:limit, ''), 20) AS INTEGER)
) AS hit
ORDER BY hit.rank, hit.id
"""

# What a filter on ``articles.id`` (the news view's ``?_search=``) adds: the FTS5
# expression goes in as :newsagg_match, made by parse_query in Python.
MATCH_FILTER = f"id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :newsagg_match)"


@lru_cache(maxsize=256)
def _parsed(query: str) -> Query:
    return parse_query(query)


def match_expression(query: str | None) -> str:
    """The FTS5 expression of a query (SQL ``newsagg_match``); one that matches nothing
    for a query with no word to look for (a search form opened empty)."""
    try:
        return _parsed(query or "").match
    except QueryError:
        return '""'


def snippet_of(title: str | None, text: str | None, query: str | None) -> str:
    """The snippet shown for one hit (SQL ``newsagg_snippet``): from the text, else the
    title, else the text's start."""
    try:
        parsed = _parsed(query or "")
    except QueryError:
        return ""
    shown = snippet(text or "", parsed) or snippet(title or "", parsed)
    if shown is None:
        shown = " ".join((text or "").split()[:SNIPPET_WORDS]) + "…"
    return shown


def register_functions(conn: sqlite3.Connection) -> None:
    """``newsagg_match(q)`` and ``newsagg_snippet(title, text, q)`` on a connection."""
    conn.create_function("newsagg_match", 1, match_expression, deterministic=True)
    conn.create_function("newsagg_snippet", 3, snippet_of, deterministic=True)


def search_params(query: str, *, sources: Iterable[str] = (),
                  since: str | date | None = None, limit: int = 20) -> dict[str, object]:
    """:data:`SEARCH_SQL`'s parameters, checked: QueryError names a bad one."""
    parse_query(query)                                  # an empty query fails here, clearly
    if limit < 1:
        raise QueryError(f"limit {limit}: must be at least 1")
    ids = list(sources)
    for source_id in ids:
        if "," in source_id:
            raise QueryError(f"--source {source_id!r}: not a source id")
    return {"q": query, "source": ",".join(ids), "since": "" if since is None else _day(since),
            "limit": limit}


def search(store: _Store, query: str, *, sources: Iterable[str] = (),
           since: str | date | None = None, limit: int = 20) -> list[Hit]:
    """Articles matching ``query`` by word forms, best (bm25; the title weighs double)
    first; ``since``: published (or, undated, first seen) on or after that day."""
    params = search_params(query, sources=sources, since=since, limit=limit)
    conn = store.db.conn
    register_functions(conn)
    try:
        rows = named(conn, SEARCH_SQL, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{store.path}: cannot search this database ({exc})") from exc
    return [Hit(row["id"], row["title"], row["url"], row["source_id"], row["published_at"],
                row["snippet"], row["rank"]) for row in rows]


def _day(since: str | date) -> str:
    if isinstance(since, date):
        return since.isoformat()
    try:
        return date.fromisoformat(since.strip()[:10]).isoformat()
    except ValueError:
        raise QueryError(f"--since {since!r}: not a date (expected YYYY-MM-DD)") from None
