"""Hostile documents in a real crawl: lying charsets, endless sitemap indexes, bombs.

The pure readers are tested on bytes in test_decoding.py and test_documents_*.py; here
the same documents come from FaultWeb sites on 127.0.0.x through `newsagg crawl`.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from tests.conftest import FAST, run_newsagg
from tests.faultpages import (
    article_html,
    billion_laughs,
    huge_article,
    quadratic_entity_feed,
    rss,
    sitemap_index,
    urlset,
)
from tests.faultweb import FaultWeb, ok, site_source

CYRILLIC_TITLE = "Новость номер {}: совещание о цифровых услугах"


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def crawl(sources: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST, *extra)


def test_a_page_whose_http_charset_lies_is_decoded_right_or_counted(tmp_path):
    """windows-1251 served as UTF-8 (the <meta> tells the truth), UTF-8 served as
    windows-1251: both stored as clean Cyrillic. A page full of U+FFFD whatever the
    charset: counted as undecodable, never stored."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/feed.xml", ok(rss([site.url(f"/news/{i}") for i in range(3)]),
                                   "application/rss+xml"))
        site.route("/news/0", ok(article_html(0, meta_charset="windows-1251").encode("cp1251"),
                                 "text/html; charset=utf-8"))
        site.route("/news/1", ok(article_html(1, meta_charset=None).encode("utf-8"),
                                 "text/html; charset=windows-1251"))
        broken = article_html(2).replace("совещание", "сов\ufffd\ufffdщание")
        site.route("/news/2", ok(broken.encode("utf-8"), "text/html; charset=utf-8"))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = crawl(sources, db)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = dict(rows(db, "SELECT url, title FROM articles"))
    assert stored == {site.url(f"/news/{i}"): CYRILLIC_TITLE.format(i) for i in (0, 1)}
    texts = " ".join(text for (text,) in rows(db, "SELECT text FROM articles"))
    assert "правительство" in texts.lower() and not {"\ufffd", "Р°", "Ð"} & set(texts)
    (failed, undecodable), = rows(db, "SELECT failed, undecodable FROM crawl_runs")
    assert (failed, undecodable) == (1, 1)
    assert "1 undecodable page" in result.stdout and "U+FFFD" in result.stderr


def test_an_endless_sitemap_index_ends_with_a_warning(tmp_path):
    """/sitemap-N.xml is an index naming /sitemap-(N+1).xml, for ever; and an index
    naming ten sitemaps with a limit of five: the crawl ends, counts what it did not
    follow, and stores the articles the sitemaps it read listed."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")

        def endless(path: str):
            n = int(path.removeprefix("/deep/sitemap-").removesuffix(".xml"))
            return ok(sitemap_index([site.url(f"/deep/sitemap-{n + 1}.xml")]),
                      "application/xml")

        site.route_prefix("/deep/sitemap-", endless)
        site.route("/wide.xml", ok(sitemap_index([site.url(f"/wide/{i}.xml")
                                                  for i in range(10)]), "application/xml"))
        for i in range(10):
            site.route(f"/wide/{i}.xml", ok(urlset([site.url(f"/news/{i}")]),
                                            "application/xml"))
            site.route(f"/news/{i}", ok(article_html(i)))
        # Two sources, as the limits are per source: which index is read first
        # must not decide what the other may follow.
        sources = web.write_sources(
            tmp_path / "sources.toml",
            site_source(site, "deep", sitemaps=[site.url("/deep/sitemap-1.xml")]),
            site_source(site, "wide", sitemaps=[site.url("/wide.xml")]))
        result = crawl(sources, db, "-s", "NEWSAGG_MAX_SITEMAPS=7")
    assert result.returncode == 0, result.stderr[-3000:]
    deep = [h.path for h in site.hits() if h.path.startswith("/deep/")]
    wide = [h.path for h in site.hits() if h.path.startswith("/wide/")]
    assert deep == [f"/deep/sitemap-{n}.xml" for n in range(1, 5)]
    assert len(wide) == 7
    (capped, stored), = rows(db, "SELECT SUM(sitemaps_capped), SUM(new) FROM crawl_runs")
    assert capped == 1 + 3 and stored == 7
    assert "not followed" in result.stderr and "sitemaps not followed" in result.stdout


def test_bombs_keep_every_process_small_and_the_crawl_goes_on(tmp_path):
    """A 200 KB feed whose DTD expands quadratically (several GB if expanded), a
    billion-laughs sitemap, a 10 MB article of 20,000 paragraphs: the crawl stores the
    article (cut) and the ordinary ones, and all its processes together stay under
    500 MB (proportional set size, sampled every 0.2 s)."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/bomb.xml", ok(quadratic_entity_feed(site.url("/news/0")),
                                   "application/rss+xml"))
        site.route("/laughs.xml", ok(billion_laughs(), "application/xml"))
        site.route("/feed.xml", ok(rss([site.url("/news/huge")] + [site.url(f"/news/{i}")
                                                                   for i in range(4)]),
                                   "application/rss+xml"))
        site.route("/news/huge", ok(huge_article()))
        for i in range(4):
            site.route(f"/news/{i}", ok(article_html(i)))
        sources = web.write_sources(tmp_path / "sources.toml", site_source(
            site, feeds=[site.url("/bomb.xml"), site.url("/feed.xml")],
            sitemaps=[site.url("/laughs.xml")]))
        log = (tmp_path / "crawl.log").open("w+")
        proc = subprocess.Popen([sys.executable, "-m", "aggregator", "crawl", "--sources",
                                 str(sources), "--db", str(db), *FAST],
                                stdout=log, stderr=subprocess.STDOUT, text=True)
        peak = _peak_pss(proc)
    log.seek(0)
    assert proc.returncode == 0, log.read()[-3000:]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 5
    assert rows(db, "SELECT texts_cut FROM crawl_runs")[0][0] == 1
    assert peak["total"] < 500e6, f"peak PSS {peak}"
    print(f"peak PSS: all processes {peak['total'] / 1e6:.0f} MB, "
          f"largest {peak['process'] / 1e6:.0f} MB")


def _peak_pss(proc: subprocess.Popen, every: float = 0.2, limit: float = 120
              ) -> dict[str, float]:
    """The largest sum of PSS over the crawl's process tree while it runs (a thread
    samples it), and the largest single process's."""
    peak = {"total": 0.0, "process": 0.0}

    def sample() -> None:
        deadline = time.monotonic() + limit
        root = psutil.Process(proc.pid)
        while proc.poll() is None and time.monotonic() < deadline:
            total = 0.0
            for p in [root, *root.children(recursive=True)]:
                try:
                    pss = p.memory_full_info().pss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                total += pss
                peak["process"] = max(peak["process"], pss)
            peak["total"] = max(peak["total"], total)
            time.sleep(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    proc.wait(timeout=limit)
    thread.join(timeout=5)
    return peak


def test_a_response_over_the_size_cap_and_a_robots_rule_are_counted(tmp_path):
    """A 300 KB article with a 200 KB cap is a lost page (size_capped); a page robots.txt
    disallows is a notice (robots_denied), not a failure."""
    db = tmp_path / "news.db"
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/robots.txt", ok("User-agent: *\nDisallow: /news/private\n", "text/plain"))
        site.route("/feed.xml", ok(rss([site.url("/news/big"), site.url("/news/private"),
                                        site.url("/news/0")]), "application/rss+xml"))
        big = article_html(1, body_paragraphs=["Абзац. " * 40] * 700)      # ~300 KB
        site.route("/news/big", ok(big))
        site.route("/news/private", ok(article_html(2)))
        site.route("/news/0", ok(article_html(0)))
        sources = web.write_sources(tmp_path / "sources.toml",
                                    site_source(site, feeds=[site.url("/feed.xml")]))
        result = crawl(sources, db, "-s", "DOWNLOAD_MAXSIZE=200000")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not site.hits("/news/private")
    (failed, capped, denied, new), = rows(
        db, "SELECT failed, size_capped, robots_denied, new FROM crawl_runs")
    assert (failed, capped, denied, new) == (1, 1, 1, 1)
    assert "1 response over the size cap" in result.stdout
    assert "1 page disallowed by robots.txt" in result.stdout
