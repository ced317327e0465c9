"""The browse view made for editors: the news view's columns, sorting by the instant, the
day facet newest first, "also reported by", the database page, linked canned queries and
the digest archive (Datasette's own test client on a crawled demo store)."""

from __future__ import annotations

import html
import re

import pytest

from aggregator.browse.plugin import marked
from aggregator.browse.site import make_datasette
from storage import search_index
from storage.digests import DigestLog
from storage.store import Store
from tests.test_browse import get

DIGEST_HTML = ('<!DOCTYPE html><html><body><h1>Дайджест "сегодня"</h1>'
               "<p>ONLY-IN-HTML</p></body></html>")


@pytest.fixture
def ds(crawled_copy):
    with Store(crawled_copy) as store:
        log = DigestLog(store)
        window = ("2026-11-29T04:00:00+00:00", "2026-11-30T04:00:00+00:00")
        old, _ = log.claim("2026-11-29", window=window, recipients=["e@example.org"],
                           message_id="<a@x>", subject="old", article_ids=[1], stories=1)
        log.mark_sent(old)
        new, _ = log.claim("2026-11-30", window=window, recipients=["e@example.org"],
                           message_id="<b@x>", subject="Дайджест", article_ids=[1, 2],
                           stories=2, language="ru", html=DIGEST_HTML, text="ONLY-IN-TEXT")
        log.mark_sent(new)
    return make_datasette(crawled_copy)


def rows(ds, path: str) -> list[dict]:
    response = get(ds, path)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_the_list_sorts_by_the_instant_not_the_text(ds):
    by_instant = [r["title"] for r in rows(ds, "/news/news.json?_shape=array&_size=max")]
    governor = "Губернатор открыл Центр цифровых государственных услуг"   # 14:30+04:00
    wego = "Member cities honoured for digital inclusion programmes"      # 16:00+09:00
    assert by_instant.index(governor) < by_instant.index(wego)       # 10:30Z before 07:00Z
    explicit = rows(ds, "/news/news.json?_shape=array&_size=max&_sort_desc=published_utc")
    assert [r["title"] for r in explicit] == by_instant                 # the default
    by_text = sorted(explicit, key=lambda r: r["published_at"] or "", reverse=True)
    titles = [r["title"] for r in by_text]
    assert titles.index(wego) < titles.index(governor)       # what sorting the text gives
    refused = get(ds, "/news/news.json?_sort=published_at")      # not offered, by design
    assert refused.status_code != 200 and "Cannot sort" in refused.text


def test_a_row_holds_what_an_editor_reads(ds):
    listed = rows(ds, "/news/news.json?_shape=array&_size=max")
    by_title = {r["title"]: r for r in listed}
    reprint = by_title["В Ульяновской области открылся центр цифровых госуслуг"]
    assert reprint["also_reported_by"] == "Правительство Ульяновской области (демо)"
    assert by_title["Губернатор открыл Центр цифровых государственных услуг"][
        "also_reported_by"] == reprint["source"]
    assert sum(1 for r in listed if r["also_reported_by"]) == 2
    for row in listed:
        assert row["excerpt"].endswith("…") and len(row["excerpt"]) <= 161
        assert "\n" not in row["excerpt"]
        assert row["day"] == (row["published_at"] or "")[:10] or row["day"] is None


def test_the_day_facet_lists_the_newest_days_first(ds):
    data = get(ds, "/news/news.json").json()
    days = [v["value"] for v in data["facet_results"]["day"]["results"]]
    assert days == sorted(days, reverse=True) and days[0] == "2026-11-23"
    counts = [v["count"] for v in data["facet_results"]["day"]["results"]]
    assert counts != sorted(counts, reverse=True)          # not Datasette's count order
    few = get(ds, "/news/news.json?_facet_size=3").json()["facet_results"]["day"]
    assert [v["value"] for v in few["results"]] == days[:3] and few["truncated"]


def test_the_list_page_shows_articles_before_facets(ds):
    page = get(ds, "/news/news").text
    assert 'name="_search"' in page
    first_title = page.index('<td class="col-title"><a href="/news/articles/')
    assert first_title < page.index('<aside class="newsagg-facets-wide">')
    assert '<details class="newsagg-facets-narrow">' in page                # folded on phones
    assert page.index('<details class="newsagg-facets-narrow">') < first_title
    assert "facet-story" not in page


def test_the_raw_table_searches_by_word_forms_too(ds):
    page = get(ds, "/news/articles?_search=генератор").text
    assert 'name="_search"' in page and "Громади Чернігівщини" in page
    found = rows(ds, "/news/articles.json?_search=генератор&_shape=array&_col=title")
    assert len(found) == 2


def test_the_database_page_starts_with_the_articles_and_hides_internals(ds):
    page = get(ds, "/news").text
    assert page.index('href="/news/news"') < page.index('id="queries"') < page.index(
        'id="tables"')
    for internal in (*search_index.TABLES, "story_bands", "story_signatures",
                     "source_paragraphs", "_sqlite_migrations"):
        assert f'href="/news/{internal}"' not in page, internal
    assert "Digest archive" in page and "Search, ranked by relevance" in page


def test_canned_queries_link_titles_and_hide_their_sql(ds):
    for name in ("latest", "todays_digest", "since_last_digest"):
        page = get(ds, f"/news/{name}").text
        assert re.search(r'<td class="col-title"><a href="/news/articles/\d+">', page), name
        assert "FROM articles" not in page, name
    shared = get(ds, "/news/shared_stories").text
    assert re.search(r'<a href="/news/news\?story=\d+">Губернатор открыл', shared)


def test_the_digest_archive_shows_each_digest_as_sent(ds):
    listing = get(ds, "/news/digests").text
    assert "ONLY-IN-HTML" not in listing and "ONLY-IN-TEXT" not in listing
    assert 'class="col-html"' not in listing
    assert '<a href="/news/digests/2">2026-11-30</a>' in listing
    page = get(ds, "/news/digests/2").text
    frame = re.search(r'<iframe sandbox="([^"]*)"[^>]* srcdoc="([^"]*)"', page)
    assert frame and "allow-scripts" not in frame.group(1)
    assert html.unescape(frame.group(2)) == DIGEST_HTML
    assert "Дайджест" in page and "ONLY-IN-TEXT" not in page
    old = get(ds, "/news/digests/1").text
    assert "<iframe" not in old and "sent before the archive" in old


def test_snippet_marks_are_escaped_first():
    assert marked("a <b>&</b> [Слово] [x") == (
        "a &lt;b&gt;&amp;&lt;/b&gt; <mark>Слово</mark> [x")
