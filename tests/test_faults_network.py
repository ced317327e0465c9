"""Issue 15, "the network is hostile": redirects to other hosts, redirect loops, retries
of dropped and hung connections, Retry-After, and robots.txt that cannot be read.

Every test runs `newsagg crawl` as a subprocess against FaultWeb servers on 127.0.0.x
and checks what the servers received and what the SQLite file says.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from aggregator.crawl.middlewares import retry_after_seconds
from tests.conftest import FAST, run_newsagg
from tests.faultpages import article_html, rss
from tests.faultweb import (
    FaultSite,
    FaultWeb,
    drip,
    drop_mid_body,
    hang_after_headers,
    ok,
    redirect,
    refuse_then,
    site_source,
)

RSS = "application/rss+xml"
ARTICLE = r"/news/\d+"


def crawl(tmp_path: Path, *sources: dict, settings: tuple[str, ...] = ()):
    """One `newsagg crawl` of these sources into tmp_path/news.db; (result, db path)."""
    path = FaultWeb.write_sources(tmp_path / "sources.toml", *sources)
    db = tmp_path / "news.db"
    result = run_newsagg("crawl", "--sources", str(path), "--db", str(db), *FAST,
                         "-s", "NEWSAGG_PROGRESS_INTERVAL=0", "-s", "NEWSAGG_EXTRACT_WORKERS=0",
                         *settings, timeout=50)
    assert result.returncode == 0, result.stderr[-3000:]
    return result, db


def run_row(db: Path, source_id: str) -> dict:
    runs = [r for r in Database(db)["crawl_runs"].rows if r["source_id"] == source_id]
    assert len(runs) == 1, runs
    return runs[0]


def stored_paths(db: Path) -> set[str]:
    return {"/" + r["url"].split("/", 3)[3] for r in Database(db)["articles"].rows}


def feed_of(site: FaultSite, *paths: str) -> FaultSite:
    return site.route("/feed.xml", ok(rss([site.url(p) for p in paths]), RSS))


def feed_source(site: FaultSite, **fields) -> dict:
    return site_source(site, feeds=[site.url("/feed.xml")], **fields)


# -- 8: redirects ------------------------------------------------------------------------
def test_a_redirect_to_another_host_is_never_sent(tmp_path):
    with FaultWeb() as web:
        portal, internal = web.site("portal"), web.site("internal")   # 127.0.0.1, .2
        refresh = (f'<html><head><meta http-equiv="refresh" content="0; url='
                   f'{internal.url("/metadata")}"></head><body>moved</body></html>')
        feed_of(portal, "/news/1", "/news/2", "/news/3")
        portal.route("/news/1", redirect(internal.url("/admin?delete=all")))
        portal.route("/news/2", ok(article_html(2)))
        portal.route("/news/3", ok(refresh))
        result, db = crawl(tmp_path, feed_source(portal))
    assert internal.hits() == [], "the crawler sent a request to the internal host"
    assert stored_paths(db) == {"/news/2"}
    row = run_row(db, "portal")
    assert (row["offsite_redirects"], row["failed"]) == (2, 2)
    assert "2 redirects to other sites refused" in result.stdout
    assert "/admin?delete=all" in result.stderr           # logged with the refused URL


def test_redirect_loops_and_overlong_chains_end_and_are_counted(tmp_path):
    with FaultWeb() as web:
        portal = web.site("portal")
        feed_of(portal, "/news/1", "/news/2")
        portal.route("/news/1", redirect("/news/10"))              # A -> B -> A
        portal.route("/news/10", redirect("/news/1"))
        portal.route_prefix("/hop/", lambda path: redirect(f"/hop/{int(path[5:]) + 1}")
                            if int(path[5:]) < 12 else ok(article_html(12)))
        portal.route("/news/2", redirect("/hop/1"))                # 12 hops, then a page
        result, db = crawl(tmp_path, feed_source(portal))
    assert [h.path for h in portal.hits("/news/1")] == ["/news/1"]
    assert len(portal.hits("/news/10")) == 1
    hops = [h for h in portal.hits() if h.path.startswith("/hop/")]
    assert len(hops) == 5, [h.path for h in hops]   # REDIRECT_MAX_TIMES = 5, then refused
    row = run_row(db, "portal")
    assert (row["redirect_loops"], row["failed"]) == (2, 2)
    assert stored_paths(db) == set()
    assert "2 redirect loops" in result.stdout
    assert "/news/1 -> " in result.stderr and "more than 5 redirects" in result.stderr


def test_a_redirect_on_the_site_or_on_the_feed_host_is_followed(tmp_path):
    with FaultWeb() as web:
        portal, feeds = web.site("portal"), web.site("feeds")
        feeds.route("/rss", redirect("/rss/v2", 301))          # a declared feed on its own host
        feeds.route("/rss/v2", ok(rss([portal.url("/old/1"), portal.url("/news/2")]), RSS))
        portal.route("/old/1", redirect(portal.url("/news/1"), 301))
        portal.route("/news/1", ok(article_html(1)))
        portal.route("/news/2", ok(article_html(2)))
        _, db = crawl(tmp_path, site_source(portal, feeds=[feeds.url("/rss")]))
    assert stored_paths(db) == {"/news/1", "/news/2"}
    row = run_row(db, "portal")
    assert (row["new"], row["failed"], row["offsite_redirects"]) == (2, 0, 0)


# -- 9: retries --------------------------------------------------------------------------
def test_a_connection_dropped_mid_body_is_retried(tmp_path):
    with FaultWeb() as web:
        portal = web.site("portal")
        feed_of(portal, "/news/1")
        portal.route("/news/1", drop_mid_body(article_html(1), times=1))
        _, db = crawl(tmp_path, feed_source(portal))
    assert len(portal.hits("/news/1")) == 2
    assert stored_paths(db) == {"/news/1"}
    assert run_row(db, "portal")["failed"] == 0


def test_a_download_that_hangs_after_its_headers_times_out_and_is_retried(tmp_path):
    with FaultWeb() as web:
        portal = web.site("portal")
        feed_of(portal, "/news/1")
        portal.route("/news/1", hang_after_headers(web, times=1, then=ok(article_html(1))))
        _, db = crawl(tmp_path, feed_source(portal), settings=("-s", "DOWNLOAD_TIMEOUT=2"))
        hits = portal.hits("/news/1")
    assert len(hits) == 2 and hits[1].at - hits[0].at >= 1.9
    assert stored_paths(db) == {"/news/1"}
    assert run_row(db, "portal")["failed"] == 0


def listing_page(page: int, last: int) -> str:
    """Listing page ``page``: links to article ``page - 1`` and to the next page."""
    nxt = f'<link rel="next" href="/list?page={page + 1}">' if page < last else ""
    return (f"<html><head>{nxt}</head><body><a href='/news/{page - 1}'>Новость</a>"
            "</body></html>")


def test_retry_after_is_waited_for_without_stopping_the_crawl(tmp_path):
    """The 429 is retried after the server's delay, and the listing pages (found one
    after the other, each taking ~0.6 s) go on being fetched meanwhile."""
    last = 7
    with FaultWeb() as web:
        portal = web.site("portal")

        def page(path: str):
            number = int(path.partition("page=")[2] or 1)
            body = listing_page(number, last).encode()
            return drip(body, chunk=len(body) // 3 + 1, interval=0.2)

        portal.route_prefix("/list", page)
        portal.route("/news/0", refuse_then(1, 429, "2", ok(article_html(0))))
        portal.route_prefix("/news/", lambda path: ok(article_html(int(path[6:]))))
        _, db = crawl(tmp_path, site_source(portal, listings=[portal.url("/list")],
                                            article_pattern=ARTICLE, max_listing_pages=last))
        refused, retried = portal.hits("/news/0")
    assert retried.at - refused.at >= 1.9
    during = [h.path for h in portal.hits() if refused.at < h.at < retried.at]
    assert sum(p.startswith("/list") for p in during) >= 2, during
    assert stored_paths(db) == {f"/news/{n}" for n in range(last)}
    assert run_row(db, "portal")["failed"] == 0


def test_a_retry_after_longer_than_the_cap_is_a_failure_at_once(tmp_path):
    with FaultWeb() as web:
        portal = web.site("portal")
        feed_of(portal, "/news/1", "/news/2")
        portal.route("/news/1", refuse_then(1, 429, "3600", ok(article_html(1))))
        portal.route("/news/2", ok(article_html(2)))
        started = time.monotonic()
        result, db = crawl(tmp_path, feed_source(portal))
    assert time.monotonic() - started < 30
    assert len(portal.hits("/news/1")) == 1        # neither an hour's wait nor a quick retry
    row = run_row(db, "portal")
    assert (row["http_errors"], row["failed"], row["new"]) == (1, 1, 1)
    assert "3600" in result.stderr


def test_retry_after_in_seconds_or_as_an_http_date():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True),
                               now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True),
                               now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-5", now) is None


# -- 12: robots.txt ----------------------------------------------------------------------
@pytest.mark.parametrize("status", [503, 429])
def test_robots_txt_unavailable_means_nothing_of_that_site_is_fetched(tmp_path, status):
    with FaultWeb() as web:
        down, fine = web.site("down"), web.site("fine")
        down.route("/robots.txt", ok("Server busy", "text/plain", status=status))
        feed_of(down, "/news/1")
        down.route("/news/1", ok(article_html(1)))
        feed_of(fine, "/news/2")
        fine.route("/news/2", ok(article_html(2)))
        result, db = crawl(tmp_path, feed_source(down), feed_source(fine))
    assert {h.path for h in down.hits()} == {"/robots.txt"}
    assert stored_paths(db) == {"/news/2"}
    down_row, fine_row = run_row(db, "down"), run_row(db, "fine")
    assert (down_row["robots_unavailable"], down_row["failed"]) == (1, 1)
    assert (fine_row["new"], fine_row["failed"]) == (1, 0)
    assert "robots.txt unavailable" in result.stdout


def test_robots_txt_that_cannot_be_fetched_disallows_the_site(tmp_path):
    """RFC 9309: an unreachable robots.txt is a complete disallow; its pages are lost to
    the network and counted so."""
    with FaultWeb() as web:
        portal = web.site("portal")
        portal.route("/robots.txt", hang_after_headers(web))
        feed_of(portal, "/news/1")
        _, db = crawl(tmp_path, feed_source(portal), settings=("-s", "DOWNLOAD_TIMEOUT=1"))
    assert [h.path for h in portal.hits()] == ["/robots.txt"] * 3     # tried, retried twice
    row = run_row(db, "portal")
    assert (row["network_errors"], row["robots_unavailable"], row["failed"]) == (1, 0, 1)


def test_robots_txt_answering_404_means_no_rules(tmp_path):
    """A 4xx is "no robots.txt": its error page is not read as rules."""
    with FaultWeb() as web:
        portal = web.site("portal")
        portal.route("/robots.txt", ok("User-agent: *\nDisallow: /\n", "text/plain", 404))
        feed_of(portal, "/news/1")
        portal.route("/news/1", ok(article_html(1)))
        _, db = crawl(tmp_path, feed_source(portal))
    assert stored_paths(db) == {"/news/1"}
