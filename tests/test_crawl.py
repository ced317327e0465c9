"""End to end: `newsagg crawl` over the demo web on 127.0.0.1 into a real SQLite file.

The oracle is `aggregator/demo/expected.toml`: what a careful reader of the
demo sites would store.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from aggregator.demo.server import DemoWeb
from aggregator.urls import normalize_url
from storage.search import search
from storage.store import Store
from tests.conftest import FAST, run_newsagg

MOJIBAKE = ("Ð", "Ñ", "Ã", "\ufffd", "Р°", "Рѕ")


def rows(db, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def first_revision(expected: dict) -> list[dict]:
    return [a for a in expected["article"] if a.get("revision", 1) == 1]


def url_of(web: DemoWeb, source: str, path: str) -> str:
    return normalize_url(web.base_url(source) + path)


def article_row(db, web: DemoWeb, article: dict) -> sqlite3.Row:
    found = rows(db, "SELECT * FROM articles WHERE url = ?",
                 (url_of(web, article["source"], article["path"]),))
    assert len(found) == 1, f"{article['source']} {article['path']}: {len(found)} rows"
    return found[0]


def test_every_demo_article_is_stored_once_with_title_text_and_date(first_crawl, expected,
                                                                     demo_web):
    db, _ = first_crawl
    wanted = first_revision(expected)
    for article in wanted:
        row = article_row(db, demo_web, article)
        where = f"{article['source']} {article['path']}"
        assert row["source_id"] == article["source"], where
        assert row["title"] == article["title"], where
        if article.get("undated"):
            assert row["published_at"] is None, f"{where}: invented date {row['published_at']}"
        else:
            assert row["published_at"] == article["published_at"], where
            assert row["published_from"], where
        for phrase in article.get("contains", []):
            assert phrase in row["text"], f"{where}: missing {phrase!r}"
        for phrase in article.get("absent", []):
            assert phrase not in row["text"], f"{where}: boilerplate {phrase!r} kept"
        assert row["language"] in ("ru", "uk", "en"), where
        reprinted = any([article["source"], article["path"]] in r["paths"]
                        for r in expected["reprint"])
        if not reprinted:
            alone = rows(db, "SELECT count(*) FROM articles WHERE cluster_id = ?",
                         (row["cluster_id"],))[0][0]
            assert (row["cluster_id"], alone) == (row["id"], 1), f"{where}: joined a story"
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(wanted)


def test_no_sidebar_clock_or_copyright_date_is_chosen(first_crawl, expected, demo_web):
    """Every stored date is the article's own: it matches the oracle, never the fetch day."""
    db, _ = first_crawl
    clock_day = "2026-11-24"     # every demo site's header clock shows this day
    for row in rows(db, "SELECT url, published_at FROM articles WHERE published_at IS NOT NULL"):
        assert not row["published_at"].startswith(clock_day), row["url"]
        assert not row["published_at"].startswith(time.strftime("%Y-%m-%d")), row["url"]
    undated = [a for a in expected["article"] if a.get("undated")]
    assert undated, "the demo web must carry an undated page"
    for article in undated:
        assert article_row(db, demo_web, article)["published_from"] is None


def test_windows_1251_site_is_stored_as_clean_cyrillic(first_crawl, expected, demo_web):
    db, _ = first_crawl
    texts = rows(db, "SELECT title, text, language FROM articles WHERE source_id = 'chernigiv'")
    assert texts
    for row in texts:
        for bad in MOJIBAKE:
            assert bad not in row["title"] + row["text"]
        assert row["language"] == "uk"
        assert any("\u0400" <= ch <= "\u04ff" for ch in row["text"])


def test_url_variants_make_one_row_under_the_canonical_url(first_crawl, expected, demo_web):
    db, _ = first_crawl
    for variant in expected["variant"]:
        canonical = url_of(demo_web, variant["source"], variant["canonical"])
        article = rows(db, "SELECT id FROM articles WHERE url = ?", (canonical,))
        assert len(article) == 1
        for requested in variant["requested"]:
            alias = url_of(demo_web, variant["source"], requested)
            owner = rows(db, "SELECT article_id FROM article_urls WHERE url = ?", (alias,))
            assert owner and owner[0][0] == article[0]["id"], requested


def test_reprinted_press_release_is_kept_by_each_source_as_one_story(first_crawl, expected,
                                                                      demo_web):
    db, _ = first_crawl
    for reprint in expected["reprint"]:
        found = [article_row(db, demo_web, {"source": source, "path": path})
                 for source, path in reprint["paths"]]
        assert {row["source_id"] for row in found} == {s for s, _ in reprint["paths"]}
        assert len({row["cluster_id"] for row in found}) == 1
        first = min(found, key=lambda row: row["id"])
        story = rows(db, "SELECT title, articles, sources, source_ids FROM stories "
                     "WHERE id = ?", (first["cluster_id"],))[0]
        assert tuple(story)[:3] == (first["title"], 2, 2)
        assert sorted(json.loads(story[3])) == sorted(s for s, _ in reprint["paths"])


def test_broken_pages_are_counted_and_the_crawl_exits_zero(first_crawl, expected, demo_web):
    db, result = first_crawl
    broken = expected["broken"]
    for path in broken["paths"]:
        url = url_of(demo_web, broken["source"], path)
        assert not rows(db, "SELECT 1 FROM article_urls WHERE url = ?", (url,)), path
    run = rows(db, "SELECT * FROM crawl_runs WHERE source_id = ?", (broken["source"],))[0]
    assert run["failed"] + run["not_articles"] >= len(broken["paths"])
    assert run["failed"] >= 2          # the 404 and the 500
    assert run["not_articles"] >= 2    # the empty page and the junk
    assert "total" in result.stdout and broken["source"] in result.stdout


def test_summary_is_printed_and_stored_per_source(first_crawl, demo_web):
    db, result = first_crawl
    runs = rows(db, "SELECT * FROM crawl_runs")
    assert sorted(r["source_id"] for r in runs) == sorted(demo_web.site_ids)
    assert len({r["run_id"] for r in runs}) == 1
    for run in runs:
        assert run["fetched"] > 0 and run["finished_at"] >= run["started_at"]
        assert f"{run['source_id']}" in result.stdout
    assert "pages fetched" in result.stderr          # progress while it ran


def test_second_crawl_adds_nothing_and_requests_no_known_article(crawled_copy, expected,
                                                                 demo_web, demo_sources):
    demo_web.revision = 1
    before = rows(crawled_copy, "SELECT count(*) FROM articles")[0][0]
    demo_web.clear_requests()
    result = run_newsagg("crawl", "--sources", str(demo_sources), "--db", str(crawled_copy),
                         *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(crawled_copy, "SELECT count(*) FROM articles")[0][0] == before
    article_paths = {(a["source"], a["path"]) for a in first_revision(expected)}
    for variant in expected["variant"]:
        article_paths |= {(variant["source"], urlsplit(p).path) for p in variant["requested"]}
    fetched = {(site, urlsplit(path).path) for site, path in demo_web.requests}
    assert not fetched & article_paths
    # Pages found to hold no article (the empty page, the junk) are not fetched again
    # either; the errors (404, 500) are retried.
    remembered = {r[0] for r in rows(crawled_copy, "SELECT url FROM not_articles")}
    assert {url_of(demo_web, "kharkiv", p) for p in ("/news/2026/11/19/empty-page",
                                                     "/news/2026/11/18/junk-bytes")} <= remembered
    broken = {("kharkiv", p) for p in expected["broken"]["paths"]}
    assert fetched & broken == {("kharkiv", "/news/2026/11/20/oops-500"),
                                ("kharkiv", "/news/2026/11/19/missing-404")}
    runs = rows(crawled_copy, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?",
                (len(demo_web.site_ids),))
    assert sum(r["new"] for r in runs) == 0
    assert sum(r["known_skipped"] for r in runs) > 0


def test_feed_update_refetches_and_updates_in_place(crawled_copy, expected, demo_web,
                                                    demo_sources):
    updated = expected["updated"]
    url = url_of(demo_web, updated["source"], updated["path"])
    before = rows(crawled_copy, "SELECT * FROM articles WHERE url = ?", (url,))[0]
    count_before = rows(crawled_copy, "SELECT count(*) FROM articles")[0][0]
    demo_web.revision = 2
    try:
        result = run_newsagg("crawl", "--sources", str(demo_sources), "--db",
                             str(crawled_copy), *FAST)
    finally:
        demo_web.revision = 1
    assert result.returncode == 0, result.stderr[-3000:]
    after = rows(crawled_copy, "SELECT * FROM articles WHERE url = ?", (url,))
    assert len(after) == 1 and after[0]["id"] == before["id"]
    assert updated["contains_rev2"] in after[0]["text"]
    assert updated["contains_rev2"] not in before["text"]
    assert after[0]["modified_at"] and after[0]["published_at"] == before["published_at"]
    new_in_rev2 = [a for a in expected["article"] if a.get("revision", 1) == 2]
    assert rows(crawled_copy, "SELECT count(*) FROM articles")[0][0] == \
        count_before + len(new_in_rev2)
    for article in new_in_rev2:
        assert article_row(crawled_copy, demo_web, article)["title"] == article["title"]
    with Store(crawled_copy) as store:                 # the search index holds the revision
        found = search(store, f'"{updated["contains_rev2"]}"')
    assert [hit.id for hit in found] == [after[0]["id"]]


def test_refresh_refetches_known_articles(crawled_copy, expected, demo_web, demo_sources):
    demo_web.revision = 1
    demo_web.clear_requests()
    result = run_newsagg("crawl", "--sources", str(demo_sources), "--db", str(crawled_copy),
                         "--source", "wego", "--refresh", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    wego_articles = {a["path"] for a in expected["article"] if a["source"] == "wego"}
    fetched = {urlsplit(path).path for site, path in demo_web.requests if site == "wego"}
    assert wego_articles & fetched
    assert {site for site, _ in demo_web.requests} == {"wego"}


def test_killed_crawl_leaves_a_sound_database_and_a_rerun_completes(tmp_path, expected):
    db = tmp_path / "news.db"
    with DemoWeb(delay=0.25) as web:
        sources = web.write_sources(tmp_path / "sources.toml")
        cmd = [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
               "--db", str(db), *FAST]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if db.exists() and _article_count(db) >= 3:
                    break
                time.sleep(0.1)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        stored = _article_count(db)
        assert stored >= 3, "the crawl should have stored some articles before the kill"
        assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
        assert stored < len(first_revision(expected)), "the kill came too late to test"

        web.delay = 0
        result = run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        for article in first_revision(expected):
            article_row(db, web, article)
        assert _article_count(db) == len(first_revision(expected))
        assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"


def _article_count(db) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.OperationalError:      # not created yet
        return 0


def test_unusable_database_is_a_clear_error(tmp_path, demo_sources):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = run_newsagg("crawl", "--sources", str(demo_sources), "--db", str(bad))
    assert result.returncode == 3
    assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes().startswith(b"this is not sqlite")


def test_invalid_sources_file_stops_the_crawl_with_the_source_and_field(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nhomepage = "http://127.0.0.1:9/"\n'
                   'language = "ru"\ntimezone = "Europe/Nowhere"\n'
                   'feeds = ["http://127.0.0.1:9/rss"]\n', encoding="utf-8")
    result = run_newsagg("crawl", "--sources", str(bad), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 2
    assert "'x'" in result.stderr and "timezone" in result.stderr
    assert not (tmp_path / "n.db").exists()


def test_scrapy_list_works_inside_the_project():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["news"]


@pytest.fixture(autouse=True)
def _back_to_revision_one(demo_web):
    yield
    demo_web.revision = 1
    demo_web.delay = 0
