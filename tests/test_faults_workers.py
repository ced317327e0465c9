"""One bad document cannot take the crawl down: dying workers, huge pages, killed crawls.

Crawls of FaultWeb sites on 127.0.0.x into real SQLite files, with the real worker
pool; tests/faultworkers.py makes a marked page kill its worker for real.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import FAST, run_newsagg
from tests.faultpages import article_html, huge_article, rss
from tests.faultweb import FaultWeb, delayed, ok, site_source
from tests.faultworkers import KILL_MARKER, SEGFAULT_MARKER

CRASHING = ["-s", "NEWSAGG_EXTRACTOR=tests.faultworkers.extract_or_crash"]


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("marker", [SEGFAULT_MARKER, KILL_MARKER])
def test_a_worker_that_dies_costs_only_its_page(tmp_path, marker):
    """Article 3 kills its worker (a segfault, or SIGKILL as from the OOM killer): the
    pool is replaced, the pages that were in flight are tried again, article 3 once more
    alone, and then it alone is counted as failed; the other eleven are stored."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        links = [site.url(f"/news/{i}") for i in range(12)]
        site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
        for i in range(12):
            html = article_html(i)
            site.route(f"/news/{i}", ok(html.replace("</body>", marker + "</body>")
                                        if i == 3 else html))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST,
                             *CRASHING)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {url for (url,) in rows(db, "SELECT url FROM articles")}
    assert stored == {site.url(f"/news/{i}") for i in range(12) if i != 3}
    (failed, crashes, new), = rows(db, "SELECT failed, worker_crashes, new FROM crawl_runs")
    assert (failed, crashes, new) == (1, 1, 11)
    assert "1 page that crashed its extraction worker" in result.stdout
    assert "extraction worker died" in result.stderr


def test_a_10_mb_article_is_cut_and_recorded_and_the_crawl_goes_on(tmp_path):
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        links = [site.url("/news/huge")] + [site.url(f"/news/{i}") for i in range(3)]
        site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
        site.route("/news/huge", ok(huge_article()))
        for i in range(3):
            site.route(f"/news/{i}", ok(article_html(i)))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    (length, full, title), = rows(db, "SELECT length(text), full_text_chars, title FROM articles"
                                      " WHERE url LIKE '%/news/huge'")
    from aggregator.extract.article import MAX_TEXT_CHARS

    assert length <= MAX_TEXT_CHARS and full > 4 * MAX_TEXT_CHARS
    assert title == "Отчёт правительства области за год"
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 4
    assert rows(db, "SELECT texts_cut FROM crawl_runs")[0][0] == 1
    assert "1 text cut to the maximum length" in result.stdout


def test_a_crawl_killed_by_hand_leaves_no_process_behind(tmp_path):
    """SIGKILL to `newsagg crawl` alone (not its group): its forkserver, extraction
    workers and resource tracker go with it."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        links = [site.url(f"/news/{i}") for i in range(40)]
        site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
        for i in range(40):
            site.route(f"/news/{i}", delayed(0.5, ok(article_html(i))))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        proc = subprocess.Popen([sys.executable, "-m", "aggregator", "crawl", "--sources",
                                 str(sources), "--db", str(db), *FAST],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            crawl = psutil.Process(proc.pid)
            deadline = time.monotonic() + 60
            while len(crawl.children(recursive=True)) < 3:      # forkserver, 2 workers...
                assert time.monotonic() < deadline, "the worker pool never started"
                time.sleep(0.1)
            time.sleep(0.5)
            family = crawl.children(recursive=True)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            alive = _still_running(family, within=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, f"left behind: {alive}"


def _still_running(processes: list[psutil.Process], within: float) -> list[psutil.Process]:
    """Those of ``processes`` still running after ``within`` seconds (a zombie is dead:
    it only waits for whoever adopted it to read its exit status)."""
    deadline = time.monotonic() + within
    while True:
        alive = []
        for process in processes:
            try:
                if process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)
