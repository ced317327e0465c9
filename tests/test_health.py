"""Source health (the `source_health` view), on real SQLite files (`newsagg status`:
tests/test_status.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aggregator.clock import utc_now
from storage.store import ArticleRecord, Store

NOW = utc_now()


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
          not_articles: int = 0, undated: int = 0, known_skipped: int = 0, failed: int = 0,
          fetched: int | None = None, **causes: int) -> None:
    """One crawl_runs row; ``fetched`` defaults to the pages read, ``causes`` are the
    per-cause failure counts."""
    store.record_run([{
        "run_id": f"r{days_ago}", "source_id": "ulgov", "started_at": stamp(days_ago),
        "finished_at": stamp(days_ago),
        "fetched": new + unchanged + not_articles if fetched is None else fetched,
        "new": new, "updated": 0, "unchanged": unchanged, "failed": failed,
        "not_articles": not_articles, "known_skipped": known_skipped,
        "finish_reason": "finished", "new_stories": new, "reprints": 0, "undated": undated,
        **causes}])


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


def test_unreachable_when_no_request_of_the_last_crawl_was_answered(store):
    crawl(store, 2, new=4)
    crawl(store, 0.1, new=0, fetched=0, failed=3, network_errors=3)
    assert health(store)["health"] == "unreachable: no request of the last crawl was answered"


def test_failing_when_the_last_crawl_read_nothing_and_lost_pages(store):
    crawl(store, 2, new=4)
    crawl(store, 0.1, new=0, fetched=5, failed=5, http_errors=5)
    assert health(store)["health"] == "failing: the last crawl read nothing and lost 5 pages"


def test_no_articles_when_no_crawl_ever_read_one(store):
    crawl(store, 1, new=0, not_articles=3)
    crawl(store, 0.1, new=0, not_articles=2, known_skipped=3)
    assert health(store)["health"] == "no articles: its 2 crawl(s) stored none"


def test_a_first_crawl_that_reached_nothing_is_unreachable_not_article_less(store):
    crawl(store, 0.1, new=0, fetched=0, failed=2, network_errors=2)
    assert health(store)["health"].startswith("unreachable: ")


def test_a_source_that_reads_articles_and_loses_some_pages_stays_ok(store):
    for day in (3, 2, 1):
        crawl(store, day, new=2)
    crawl(store, 0.1, new=0, unchanged=4, failed=2, http_errors=2)       # read, lost some
    assert health(store)["health"] == "ok"
    crawl(store, 0.05, new=0, fetched=0, known_skipped=6)                # nothing new to fetch
    assert health(store)["health"] == "ok"
