"""`newsagg browse`: Datasette's own test client (no network) on a crawled demo store,
including while a crawl writes to it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import feedparser
import pytest

from aggregator.browse.site import make_datasette
from aggregator.demo.server import DemoWeb
from storage.digests import DigestLog
from storage.store import Store
from tests.conftest import FAST

CANNED = ("search", "latest", "todays_digest", "since_last_digest", "shared_stories", "health")


def get(ds, path: str):
    async def fetch():
        return await ds.client.get(path)
    return asyncio.run(fetch())


@pytest.fixture
def store_path(crawled_copy):
    with Store(crawled_copy) as store:        # a digest was sent with two articles
        log = DigestLog(store)
        claim, _ = log.claim("2026-11-30", window=("2026-11-29T04:00:00+00:00",
                                                   "2026-11-30T04:00:00+00:00"),
                             recipients=["editor@example.org"], message_id="<m@x>",
                             subject="s", article_ids=[1, 2], stories=2)
        log.mark_sent(claim)
    return crawled_copy


@pytest.fixture
def ds(store_path):
    return make_datasette(store_path)


def facet_counts(data: dict, name: str) -> dict:
    return {r["value"]: r["count"] for r in data["facet_results"][name]["results"]}


def test_the_article_list_has_facets_and_sorts(ds):
    response = get(ds, "/news/news.json?_size=100")
    assert response.status_code == 200
    data = response.json()
    assert len(data["rows"]) == 19
    assert set(data["facet_results"]) == {"source", "region", "language", "day"}  # no story
    assert facet_counts(data, "language") == {"ru": 9, "uk": 7, "en": 3}
    assert facet_counts(data, "region")["Ulyanovsk Oblast"] == 5
    assert sorted(facet_counts(data, "source").values(), reverse=True) == [5, 4, 4, 3, 3]
    assert facet_counts(data, "day")["2026-11-21"] == 4
    published = [row[data["columns"].index("published_utc")] for row in data["rows"]]
    dated = [p for p in published if p]
    assert dated == sorted(dated, reverse=True)


def test_full_text_search_on_title_and_text(ds):
    rows = get(ds, "/news/news.json?_search=генератор&_shape=array").json()   # any form
    assert {r["title"] for r in rows} == {
        "Громади Чернігівщини отримали генератори для пунктів незламності",
        "У всіх школах міста завершили підготовку до опалювального сезону"}  # генераторів
    rows = get(ds, "/news/news.json?_search=e-government&_shape=array").json()
    assert "Smart City Forum 2026 gathers mayors to discuss e-government" in {
        r["title"] for r in rows}


def test_every_canned_query_answers(ds):
    for name in CANNED:
        response = get(ds, f"/news/{name}.json?_shape=array")
        assert response.status_code == 200, (name, response.text[:500])
    assert len(get(ds, "/news/latest.json?_shape=array").json()) == 19
    digest = get(ds, "/news/todays_digest.json?_shape=array").json()
    assert [r["digest_date"] for r in digest] == ["2026-11-30"] * 2
    shared = get(ds, "/news/shared_stories.json?_shape=array").json()
    assert [(r["title"], r["sources"]) for r in shared] == [
        ("Губернатор открыл Центр цифровых государственных услуг", 2)]
    health = get(ds, "/news/health.json").json()
    assert health["columns"][0] == "health"                 # the flag first
    health = get(ds, "/news/health.json?_shape=array").json()
    assert {r["source_id"]: r["health"] for r in health} == dict.fromkeys(
        ["chernigiv", "itmo", "kharkiv", "ulgov", "wego"], "ok")
    feed = feedparser.parse(get(ds, "/news/latest.atom").text)
    assert not feed.bozo and len(feed.entries) == 19
    assert feed.feed.title == "Latest articles"


def test_arbitrary_sql_is_off_unless_allowed(ds, store_path):
    assert get(ds, "/news.json?sql=select+count(*)+from+articles").status_code == 403
    allowed = make_datasette(store_path, allow_sql=True)
    assert get(allowed, "/news.json?sql=select+count(*)+from+articles&_shape=array"
               ).json() == [{"count(*)": 19}]


def test_an_article_page_reads_like_an_article_and_titles_link_to_it(ds):
    listing = get(ds, "/news/news?_search=генератор").text
    assert '<a href="/news/articles/' in listing
    article_id = listing.split('<a href="/news/articles/')[1].split('"')[0]
    page = get(ds, f"/news/articles/{article_id}").text
    assert "<h2 style=\"margin-bottom: 0.2em;\">Громади Чернігівщини отримали генератори" in page
    assert "<p>Тридцять громад області отримали потужні генератори" in page
    database_page = get(ds, "/news").text
    assert '<a href="/news/story_bands"' not in database_page        # internals hidden
    for title in ("Latest articles", "The latest digest", "Per-source health"):
        assert title in database_page


def test_browsing_while_a_crawl_writes(ds, store_path, tmp_path):
    with DemoWeb(delay=0.3) as web:             # another demo web: every page is written
        web.revision = 2
        sources = web.write_sources(tmp_path / "sources.toml")
        crawl = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
             "--db", str(store_path), *FAST], stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        answered = 0
        try:
            while crawl.poll() is None:
                for path in ("/news/news.json?_facet=source&_facet=story",
                             "/news/news.json?_search=МФЦ", "/news/search.json?q=центр",
                             *(f"/news/{q}.json" for q in CANNED)):
                    response = get(ds, path)
                    assert response.status_code == 200, (path, response.text[:500])
                    answered += 1
                time.sleep(0.05)
        finally:
            _, err = crawl.communicate(timeout=240)
    assert crawl.returncode == 0, err[-2000:]
    assert answered >= 14                      # at least two rounds while it wrote
    after = get(ds, "/news/news.json?_size=0").json()
    assert after["filtered_table_rows_count"] > 19    # what the crawl wrote is visible
