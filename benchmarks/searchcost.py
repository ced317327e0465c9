"""What word-form search costs, for benchmarks/search.py: stores of many articles, query
latency beside plain FTS5, the index's share of the file and its time per save.

The plain FTS5 table (`bench_fts`, unicode61, external content on `articles`) is the
benchmark's own baseline, added to the stores here and never by the project.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from aggregator.search.lemmas import lemmatiser_version
from benchmarks.searchdata import Doc
from storage import search_index
from storage.store import ArticleRecord, Store

BASELINE = "bench_fts"
BASELINE_SQL = f"""
SELECT a.id, a.title, snippet({BASELINE}, 1, '[', ']', '…', 30) AS snippet
FROM {BASELINE} JOIN articles a ON a.id = {BASELINE}.rowid
WHERE {BASELINE} MATCH ? ORDER BY bm25({BASELINE}, 2.0, 1.0), a.id LIMIT ?"""
COPY_LINE = {"ru": "Выпуск {k}, копия {c}.", "uk": "Випуск {k}, копія {c}.",
             "en": "Issue {k}, copy {c}."}


def record(doc: Doc, k: int = 0, copy: int = 0) -> ArticleRecord:
    """The article as the crawler would hand it over; a copy is made a text of its own
    (a first line naming it, its own URL and one of ten sources) so the store keeps it."""
    if copy == 0:
        return ArticleRecord(doc.source_id, doc.url, [doc.url], doc.title, doc.text,
                             language=doc.lang)
    url = f"https://copy{copy}.bench.invalid/{k}"
    line = COPY_LINE[doc.lang].format(k=k, c=copy)
    return ArticleRecord(f"{doc.source_id}-{copy % 10}", url, [url], doc.title,
                         f"{line}\n\n{doc.text}", language=doc.lang)


def copies(docs: list[Doc], start: int, stop: int) -> Iterator[ArticleRecord]:
    """Articles start..stop of the endless run: every text once, then copies of them."""
    for k in range(start, stop):
        yield record(docs[k % len(docs)], k, k // len(docs))


def add_baseline(path: Path) -> None:
    """The plain FTS5 table beside the store's own, filled from `articles`."""
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                            (BASELINE,)).fetchone():
            conn.execute(f"CREATE VIRTUAL TABLE {BASELINE} USING fts5(title, text,"
                         " content='articles', content_rowid='id', tokenize='unicode61')")
        conn.execute(f"INSERT INTO {BASELINE} ({BASELINE}) VALUES ('rebuild')")
        conn.commit()
    finally:
        conn.close()


def signature(docs: list[Doc], n: int) -> str:
    digest = hashlib.sha1()
    for doc in docs:
        digest.update(f"{doc.key}\0{doc.title}\0{doc.text}\0".encode())
    return json.dumps({"n": n, "texts": digest.hexdigest(),
                       "lemmatiser": lemmatiser_version()})


def _smaller(docs: list[Doc], n: int, store_dir: Path) -> tuple[int, Path] | None:
    """The biggest cached store of the same texts below n: its articles are the first
    of this one's, so a build starts from a copy of it."""
    found = []
    for mark in store_dir.glob("search-*.json"):
        size = int(mark.stem.removeprefix("search-"))
        if size < n and mark.read_text() == signature(docs, size):
            found.append((size, mark.with_suffix(".db")))
    return max(found) if found else None


def big_store(docs: list[Doc], n: int, store_dir: Path, log: Callable[[str], None]) -> Path:
    """A store of n articles under store_dir, reused while the texts, n and lemmatiser
    are the same (a sidecar file says what built it); built with progress lines."""
    store_dir.mkdir(parents=True, exist_ok=True)
    path, mark = store_dir / f"search-{n}.db", store_dir / f"search-{n}.json"
    wanted = signature(docs, n)
    if path.exists() and mark.exists() and mark.read_text() == wanted:
        log(f"store of {n}: reusing {path}")
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    mark.unlink(missing_ok=True)
    first = 0
    if smaller := _smaller(docs, n, store_dir):
        first, source = smaller
        _checkpoint(source)
        shutil.copyfile(source, path)
        log(f"store of {n}: starting from the store of {first}")
    started = time.perf_counter()
    with Store(path) as store:
        for k, rec in enumerate(copies(docs, first, n), first + 1):
            store.save_article(rec)
            if k % 5000 == 0 or k == n:
                rate = (k - first) / (time.perf_counter() - started)
                log(f"store of {n}: {k} saved, {rate:.0f}/s, ~{(n - k) / rate:.0f}s to go")
        stored = store.count()
    if stored != n:
        raise SystemExit(f"store of {n}: {stored} articles kept (copies were merged)")
    add_baseline(path)
    _checkpoint(path)
    mark.write_text(wanted)
    return path


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def baseline_hits(conn: sqlite3.Connection, fts_query: str, limit: int = 20) -> list[int]:
    return [row[0] for row in conn.execute(BASELINE_SQL, (fts_query, limit))]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency(path: Path, queries: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Median and p95 ms over the queries (ours as typed, plain FTS5 as written), each
    engine warmed by one query first; the two take turns query by query."""
    from storage.search import search

    times: dict[str, list[float]] = {"ours": [], "fts5": []}
    with Store(path) as store:
        conn = sqlite3.connect(path)
        search(store, queries[0][0])
        baseline_hits(conn, queries[0][1])
        for ours, plain in queries:
            started = time.perf_counter()
            search(store, ours, limit=20)
            middle = time.perf_counter()
            baseline_hits(conn, plain)
            times["ours"].append((middle - started) * 1000)
            times["fts5"].append((time.perf_counter() - middle) * 1000)
        conn.close()
    return {k: (statistics.median(v), percentile(v, 0.95)) for k, v in times.items()}


def sizes(path: Path) -> tuple[int, int, int]:
    """Bytes of the index's tables (search_index.TABLES and their indexes), of the plain
    FTS5 baseline, and of everything else in the store (dbstat, after a checkpoint)."""
    _checkpoint(path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    conn.close()
    index = baseline = rest = 0
    for name, size in rows:
        owner = name.removeprefix("sqlite_autoindex_").rsplit("_", 1)[0]
        if name in search_index.TABLES or owner in search_index.TABLES:
            index += size
        elif name.startswith(BASELINE) or owner.startswith(BASELINE):
            baseline += size
        else:
            rest += size
    return index, baseline, rest


def _no_sync(*_args: object, **_kwargs: object) -> int:
    return 0


def _clear_lemma_caches() -> None:
    from aggregator.search import lemmas

    lemmas.word_lemmas.cache_clear()
    lemmas._lemmas_as_written.cache_clear()


def _timed_save(store: Store, rec: ArticleRecord, indexed: bool) -> float:
    real = search_index.sync
    if not indexed:
        search_index.sync = _no_sync                  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        store.save_article(rec)
        return (time.perf_counter() - started) * 1000
    finally:
        search_index.sync = real                      # type: ignore[assignment]


def save_costs(docs: list[Doc], n: int, tmp: Path) -> dict[str, list[float]]:
    """ms per save_article on the same n articles, saved into stores side by side in
    turns: "plain" with search_index.sync a no-op (in this process only: measurement),
    "given" indexed from lemmas made beforehand (the crawl makes them in its extraction
    workers: "lemmatise" is what that costs there); then "store" lemmatising in the
    store beside "plain2". Each pass starts with the lemma caches empty."""
    from aggregator.search.lemmas import index_strings

    keys = ("plain", "given", "lemmatise", "plain2", "store")
    out: dict[str, list[float]] = {k: [] for k in keys}
    with Store(tmp / "save-plain.db") as plain, Store(tmp / "save-given.db") as given:
        _clear_lemma_caches()
        for k, rec in enumerate(copies(docs, 0, n)):
            started = time.perf_counter()
            lemmas = index_strings(rec.title, rec.text)
            out["lemmatise"].append((time.perf_counter() - started) * 1000)
            pair = [(plain, rec, False, "plain"),
                    (given, dataclasses.replace(rec, lemmas=lemmas), True, "given")]
            for store, saved, indexed, key in pair if k % 2 else pair[::-1]:
                out[key].append(_timed_save(store, saved, indexed))
    with Store(tmp / "save-plain2.db") as plain, Store(tmp / "save-store.db") as own:
        _clear_lemma_caches()
        for k, rec in enumerate(copies(docs, 0, n)):
            pair = [(plain, False, out["plain2"]), (own, True, out["store"])]
            for store, indexed, times in pair if k % 2 else pair[::-1]:
                times.append(_timed_save(store, rec, indexed))
    return out
