"""Source health (the `source_health` view) and `newsagg status`, on real SQLite files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from aggregator.schedule.lock import SchedulerLock
from storage.store import ArticleRecord, Store
from tests.conftest import run_newsagg

NOW = datetime.now(timezone.utc)


def stamp(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        s.sync_sources([{"id": "ulgov", "name": "Ulgov", "homepage": "https://u.example/",
                         "language": "ru", "timezone": "Europe/Ulyanovsk", "region": "R",
                         "country": "RU", "feeds": [], "sitemaps": [], "listings": [],
                         "article_pattern": None, "max_listing_pages": 1, "enabled": 1}])
        yield s


def crawl(store: Store, days_ago: float, *, new: int = 3, unchanged: int = 0,
          not_articles: int = 0, undated: int = 0, known_skipped: int = 0) -> None:
    store.record_run([{
        "run_id": f"r{days_ago}", "source_id": "ulgov", "started_at": stamp(days_ago),
        "finished_at": stamp(days_ago), "fetched": new + unchanged + not_articles,
        "new": new, "updated": 0, "unchanged": unchanged, "failed": 0,
        "not_articles": not_articles, "known_skipped": known_skipped,
        "finish_reason": "finished", "new_stories": new, "reprints": 0, "undated": undated}])


def article(store: Store, days_ago: float, n: int) -> None:
    url = f"https://u.example/{days_ago}/{n}"
    store.save_article(ArticleRecord(source_id="ulgov", url=url, aliases=[url], title="t",
                                     text=f"Article {days_ago} {n} " * 20,
                                     seen_at=stamp(days_ago)))


def health(store: Store) -> dict:
    return next(store.db.query("SELECT * FROM source_health"))


def test_a_healthy_source_and_its_counts(store):
    for day in (0.1, 0.5, 3, 10, 20):
        crawl(store, day, new=4, undated=0)
    for day, count in ((0.2, 2), (3, 3), (10, 5)):
        for n in range(count):
            article(store, day, n)
    row = health(store)
    assert (row["articles_24h"], row["articles_7d"], row["health"]) == (2, 5, "ok")
    assert row["last_crawl_at"] == stamp(0.1) and row["last_new"] == 4


def test_never_crawled(store):
    assert health(store)["health"] == "never crawled"


def test_silent_when_the_last_two_crawls_found_no_article_links(store):
    for day in (5, 4, 3):
        crawl(store, day, new=2, known_skipped=10)
    crawl(store, 1, new=0)
    crawl(store, 0.5, new=0)
    assert health(store)["health"].startswith("silent")


def test_a_jump_in_pages_without_text_looks_like_a_redesign(store):
    for day in range(10, 4, -1):
        crawl(store, day, new=5, not_articles=0)
    for day in (3, 2, 1):
        crawl(store, day, new=1, not_articles=4)
    row = health(store)
    assert row["health"] == "redesign? pages without text jumped"
    assert (row["no_text_share"], row["no_text_share_before"]) == (0.8, 0.0)


def test_a_jump_in_undated_articles_looks_like_a_redesign(store):
    for day in range(10, 4, -1):
        crawl(store, day, new=5, undated=0)
    for day in (3, 2, 1):
        crawl(store, day, new=5, undated=4)
    assert health(store)["health"] == "redesign? articles without a date jumped"


def test_a_source_always_without_text_share_is_not_flagged(store):
    for day in range(10, 0, -1):
        crawl(store, day, new=1, not_articles=4)           # listings counted every time
    assert health(store)["health"] == "ok"


def test_quiet_after_a_busy_month(store):
    for day in (20, 15, 10, 2, 1):
        crawl(store, day, new=0, unchanged=3)
    for n in range(6):
        article(store, 12, n)
    assert health(store)["health"] == "quiet: no new articles in 7 days"


def test_status_shows_every_source_and_whether_a_scheduler_runs(first_crawl, demo_sources,
                                                                  crawled_copy):
    result = run_newsagg("status", "--sources", str(demo_sources), "--db", str(crawled_copy))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "scheduler: not running"
    assert lines[1].split()[:4] == ["source", "last", "crawl", "result"]
    table = {line.split()[0]: line for line in lines[3:8]}
    assert sorted(table) == ["chernigiv", "itmo", "kharkiv", "ulgov", "wego"]
    assert all(line.rstrip().endswith(" ok") for line in table.values())
    assert "finished" in table["ulgov"] and " in " in table["ulgov"]   # next crawl
    assert lines[-1].startswith("digest: last none sent yet; next in ")
    with SchedulerLock(crawled_copy):
        held = run_newsagg("status", "--sources", str(demo_sources), "--db", str(crawled_copy))
    assert held.stdout.startswith("scheduler: running (pid ")
