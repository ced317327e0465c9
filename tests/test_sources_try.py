"""`newsagg sources try`: one source crawled as a crawl would, against real servers on
127.0.0.1, with nothing written to the database or the working directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aggregator.urls import normalize_url
from storage.store import ArticleRecord, Store
from tests.conftest import FAST, run_newsagg
from tests.faultpages import article_html, paragraphs, rss, urlset
from tests.faultweb import FaultWeb, delayed, ok, site_source

OFFSITE = "http://elsewhere.example/news/99"
# Every page states the same moment, as a clock in a page header would.
CLOCK = "2026-11-20T10:00:00+03:00"


def listing_html() -> str:
    links = ["/news/5", "/news/6", "/about", "/tag/economy"]
    return ("<html><head><meta charset='utf-8'><title>Новости</title></head><body>"
            + "".join(f"<a href='{href}'>ссылка {href}</a> " for href in links)
            + "</body></html>")


@pytest.fixture
def portal(tmp_path: Path):
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/feed.xml", ok(rss([site.url(f"/news/{n}") for n in (1, 2, 3, 4)]
                                       + [OFFSITE]), "application/rss+xml"))
        site.route("/news/", ok(listing_html()))
        site.route("/sitemap.xml", ok(urlset([site.url("/news/1"), site.url("/news/2"),
                                             site.url("/about")]), "application/xml"))
        for n in (1, 2, 4, 5, 6):
            site.route(f"/news/{n}", ok(article_html(n, date=CLOCK)))
        damaged = [p.replace("абзац", "аб\ufffd\ufffdзац") for p in paragraphs(3)]
        site.route("/news/3", ok(article_html(3, date=CLOCK, body_paragraphs=damaged)))
        sources = web.write_sources(tmp_path / "sources.toml", site_source(
            site, feeds=[site.url("/feed.xml")], listings=[site.url("/news/")],
            sitemaps=[site.url("/sitemap.xml")],
            article_pattern=r"/news/\d+$"))
        yield site, sources


def known_db(path: Path, url: str) -> Path:
    """A database that already holds the article at ``url``."""
    key = normalize_url(url)
    with Store(path) as store:
        store.save_article(ArticleRecord(
            source_id="portal", url=key, aliases=[key], title="Новость номер 1",
            text=" ".join(paragraphs(1)), published_at="2026-11-20"))
    return path


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir()}


def test_try_counts_links_samples_articles_and_warns_without_writing(portal, tmp_path):
    site, sources = portal
    data = tmp_path / "data"
    data.mkdir()
    db = known_db(data / "news.db", site.url("/news/1"))
    work = tmp_path / "work"
    work.mkdir()
    before, cwd_before = snapshot(data), snapshot(work)

    result = run_newsagg("sources", "try", "portal", "--limit", "10", "--sources",
                         str(sources), "--db", str(db), *FAST, cwd=work, timeout=60)

    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert re.search(r"feed\s+\S+/feed\.xml\s+5 links\s+5 match\s+1 off-site", out), out
    assert re.search(r"listing\s+\S+/news/\s+4 links\s+2 match\s+0 off-site", out), out
    assert re.search(r"sitemap\s+\S+/sitemap\.xml\s+3 links\s+2 match\s+0 off-site", out), out
    assert "sample (6 page(s))" in out
    assert "title: Новость номер 5: совещание о цифровых услугах" in out
    assert re.search(r"date: 2026-11-20T10:00:00\+03:00 \(from \w+\); language: ru; "
                     r"text: \d+ characters", out), out
    assert re.search(r"/news/1\s+\[already stored\]", out), out
    assert "every article has the same date (2026-11-20T10:00:00+03:00)" in out
    assert "1 page(s) hold replacement characters (U+FFFD)" in out
    assert "1 link(s) leave the site" in out
    assert f"1 of the article links found are already in {db}" in out
    assert "nothing was stored (dry run)." in out
    # Every page the crawl would follow was fetched once; the off-site link never.
    assert sorted(h.path for h in site.hits() if h.path.startswith("/news/")) == [
        "/news/", "/news/1", "/news/2", "/news/3", "/news/4", "/news/5", "/news/6"]
    assert snapshot(data) == before
    assert snapshot(work) == cwd_before


def test_try_stops_after_the_limit_and_needs_no_database(tmp_path):
    with FaultWeb() as web:
        site = web.site("big")
        links = [site.url(f"/news/{n}") for n in range(1, 201)]
        site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
        site.route_prefix("/news/", lambda path: delayed(
            0.1, ok(article_html(int(path.rsplit("/", 1)[1])))))
        sources = web.write_sources(tmp_path / "sources.toml", site_source(
            site, feeds=[site.url("/feed.xml")], article_pattern=r"/news/\d+$"))
        result = run_newsagg("sources", "try", "big", "--limit", "2", "--sources",
                             str(sources), "--db", str(tmp_path / "none.db"), *FAST,
                             cwd=tmp_path, timeout=60)
        fetched = len([h for h in site.hits() if h.path.startswith("/news/")])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sample (2 page(s))" in result.stdout
    assert re.search(r"feed\s+\S+\s+200 links\s+200 match\s+0 off-site", result.stdout)
    assert "stopped after 2 page(s) (--limit)" in result.stdout
    assert "already in" not in result.stdout
    assert fetched < 100, f"{fetched} articles fetched for a sample of 2"
    assert not (tmp_path / "none.db").exists()


def test_try_an_unknown_source_is_a_usage_error(portal, tmp_path):
    _, sources = portal
    result = run_newsagg("sources", "try", "nosuch", "--sources", str(sources),
                         cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "unknown source id 'nosuch'" in result.stderr
    assert list(tmp_path.iterdir()) == [sources]
