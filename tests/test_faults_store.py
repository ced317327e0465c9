"""Nothing stored is lost or overwritten: false canonicals, store errors, concurrent crawls.

Every test crawls a FaultWeb site on 127.0.0.x into a real SQLite file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import FAST, run_newsagg
from tests.faultpages import article_html, rss
from tests.faultweb import FaultSite, FaultWeb, delayed, ok, site_source


def rows(db: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def feed_site(web: FaultWeb, count: int, *, canonical: str | None = None, delay: float = 0,
              words: int = 0) -> FaultSite:
    """A site whose feed lists ``count`` articles /news/0.. (each ``canonical``, if given;
    each with ``words`` extra words of text, to make it big)."""
    site = web.site("portal")
    links = [site.url(f"/news/{i}") for i in range(count)]
    site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
    for i in range(count):
        extra = [" ".join(f"слово{i}x{n}" for n in range(k, k + 100))
                 for k in range(0, words, 100)]
        page = ok(article_html(i, canonical=canonical and site.url(canonical),
                               body_paragraphs=None if not words else
                               [f"Статья {i}: подробности.", *extra]))
        site.route(f"/news/{i}", delayed(delay, page) if delay else page)
    return site


def crawl(sources: Path, db: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST, *extra,
                       **kwargs)


# -- 1. rel=canonical is a claim ---------------------------------------------------------
@pytest.mark.parametrize("canonical", ["/", "/section/egov"])
def test_articles_sharing_a_false_canonical_are_each_their_own_row(tmp_path, canonical):
    """Five articles whose CMS points rel=canonical at the homepage (a static rule) or at
    one section page (found when the second text claims it) are five rows, under the
    URLs they were fetched at, and a second crawl fetches and overwrites none of them."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = feed_site(web, 5, canonical=canonical)
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = crawl(sources, db)
        assert result.returncode == 0, result.stderr[-3000:]
        stored = rows(db, "SELECT url, title, text FROM articles ORDER BY url")
        assert [r["url"] for r in stored] == [site.url(f"/news/{i}") for i in range(5)]
        assert len({r["text"] for r in stored}) == 5
        assert not rows(db, "SELECT 1 FROM article_urls WHERE url = ?", (site.url(canonical),))

        web.hits.clear()
        again = crawl(sources, db)
        assert again.returncode == 0, again.stderr[-3000:]
        assert not [h for h in web.hits if h.path.startswith("/news/")]
        assert [tuple(r) for r in rows(db, "SELECT url, title, text FROM articles ORDER BY url")
                ] == [tuple(r) for r in stored]
        run = rows(db, "SELECT new, updated, known_skipped FROM crawl_runs ORDER BY id DESC")[0]
        assert tuple(run) == (0, 0, 5)


def test_a_canonical_naming_another_article_does_not_hide_it(tmp_path):
    """/news/0 claims /news/1 as its canonical; /news/1 is another article: both are
    stored, whichever arrives first, and /news/1 is fetched (not skipped as known)."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/feed.xml", ok(rss([site.url("/news/0"), site.url("/news/1")]),
                                   "application/rss+xml"))
        site.route("/news/0", ok(article_html(0, canonical=site.url("/news/1"))))
        site.route("/news/1", delayed(0.5, ok(article_html(1))))   # after /news/0
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = crawl(sources, db)
        assert result.returncode == 0, result.stderr[-3000:]
        stored = {r["url"]: r["title"] for r in rows(db, "SELECT url, title FROM articles")}
        assert stored == {site.url("/news/0"): "Новость номер 0: совещание о цифровых услугах",
                          site.url("/news/1"): "Новость номер 1: совещание о цифровых услугах"}
        assert site.hits("/news/1")


# -- 2. store errors ---------------------------------------------------------------------
def test_a_lock_held_past_the_busy_timeout_fails_pages_but_never_stops_downloading(tmp_path):
    """Another process holds the write lock for 4 s in the middle of the crawl: the pages
    whose save waited past the 1 s busy timeout are failed (store errors), never reported
    stored, the downloads went on meanwhile, and the rest of the crawl stored the rest."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = feed_site(web, 30, delay=1.0)                   # downloads last ~4 s
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        proc = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
             "--db", str(db), *FAST, "-s", "NEWSAGG_BUSY_TIMEOUT=1", "-v"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(lambda: len(site.hits()) >= 4)          # robots, feed, articles...
            with sqlite3.connect(db, isolation_level=None) as holder:
                holder.execute("BEGIN IMMEDIATE")
                locked_at = time.monotonic()
                time.sleep(4)
                unlocked_at = time.monotonic()
                holder.execute("ROLLBACK")
            out, err = proc.communicate(timeout=120)
        finally:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    during = [h for h in web.hits if locked_at + 1.5 < h.at < unlocked_at]
    assert len(during) >= 3, "downloading stopped while the store waited for the lock"
    run = rows(db, "SELECT * FROM crawl_runs")[0]
    stored = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert run["store_errors"] >= 1 and run["failed"] == run["store_errors"]
    assert run["new"] == stored and stored + run["store_errors"] == 30
    assert "store error" in out and "is locked" in err
    assert "<html" not in err and "Статья" not in err        # URLs and errors, never pages


@contextmanager
def small_disk(tmp_path: Path, size: str = "3m") -> Iterator[tuple[Path, object]]:
    """A directory on a tiny filesystem (a tmpfs, as root), or, where mounting is not
    allowed, a file-size limit for the crawl process (writes fail with EFBIG)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True).returncode == 0
    limit = None
    if not mounted:
        import resource

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_000, 3_000_000))
    try:
        yield mount, limit
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_crawl_with_exit_3_and_keeps_what_was_stored(tmp_path):
    db_dir_parent = tmp_path
    with small_disk(db_dir_parent) as (disk, limit), FaultWeb() as web:
        db = disk / "news.db"
        site = feed_site(web, 60, words=4000, delay=0.5)         # ~60 KB of text each
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = crawl(sources, db, preexec_fn=limit, timeout=180)
        assert result.returncode == 3, result.stderr[-3000:]
        assert str(db) in result.stderr and "Traceback" not in result.stderr
        assert "disk is full" in result.stderr or "refused a read or write" in result.stderr
        assert "store error" in result.stdout                    # the summary was printed
        check = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = check.execute("SELECT count(*) FROM articles").fetchone()[0]
        check.close()
        assert 1 <= stored < 60
        fetched_articles = {h.path for h in site.hits() if h.path.startswith("/news/")}
        assert len(fetched_articles) < 60, "the crawl went on after the disk was full"


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file unwritable even for root (the immutable flag), or by mode otherwise."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield


def test_read_only_or_locked_database_at_start_is_exit_3_with_a_clear_message(tmp_path):
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = feed_site(web, 2)
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        assert crawl(sources, db).returncode == 0
        before = db.read_bytes()

        with sqlite3.connect(db, isolation_level=None) as holder:
            holder.execute("BEGIN IMMEDIATE")
            locked = crawl(sources, db, "-s", "NEWSAGG_BUSY_TIMEOUT=0.5")
            holder.execute("ROLLBACK")
        assert locked.returncode == 3, locked.stderr[-2000:]
        assert str(db) in locked.stderr and "locked by another process" in locked.stderr
        assert "Traceback" not in locked.stderr

        with read_only(db):
            refused = crawl(sources, db)
        assert refused.returncode == 3, refused.stderr[-2000:]
        assert str(db) in refused.stderr and "cannot be written" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert db.read_bytes() == before


# -- 3. two crawls at once ---------------------------------------------------------------
def test_two_crawls_started_at_once_on_a_new_database_both_succeed(tmp_path):
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = feed_site(web, 6)
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        command = [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
                   "--db", str(db), *FAST]
        procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 6
    assert rows(db, "SELECT count(DISTINCT url) FROM articles")[0][0] == 6
    assert rows(db, "SELECT count(*) FROM crawl_runs")[0][0] == 2


def _open_at_once(path: str, barrier, results) -> None:
    from storage.store import Store

    barrier.wait()
    try:
        Store(path).close()
        results.put("ok")
    except Exception as exc:
        results.put(repr(exc))


def test_processes_creating_one_new_database_at_the_same_instant_all_succeed(tmp_path):
    """What a crawl's start does, raced: four processes open one new file at once, five
    times (today's code loses every time: "database is locked")."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(5):
        path = str(tmp_path / f"race{trial}.db")
        barrier, results = context.Barrier(4), context.Queue()
        procs = [context.Process(target=_open_at_once, args=(path, barrier, results))
                 for _ in range(4)]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(timeout=30)
        assert outcomes == ["ok"] * 4, (trial, outcomes)
        applied = rows(Path(path), "SELECT name FROM _sqlite_migrations")
        assert len(applied) == len({r[0] for r in applied}) > 0


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)
