"""The digest tells the truth about its window: whether crawls ran in it, and which
sources could not be read or were not crawled, in every format (issue 15, item 17).

Library tests on a real SQLite store whose `crawl_runs` rows are written as the crawl's
recorder writes them; one end-to-end test crawls a fault web on 127.0.0.x."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import feedparser
import pytest

from aggregator.clock import utc_stamp
from aggregator.digest.render import render
from storage.store import Store
from tests.conftest import FAST, run_newsagg
from tests.faultpages import rss
from tests.faultweb import FaultWeb, ok, site_source
from tests.mailserver import free_port
from tests.test_digest import END, INSIDE, MFC_TEXT, SETTINGS, START, _source, digest_of, save

FORMATS = ("text", "html", "markdown", "atom")
HOSTILE_NAME = "<b>Горсовет</b>\r\nBcc: evil@example.org"
RAN = "The crawl ran (2 crawls of 3 sources); the followed portals published nothing new."


@pytest.fixture
def store(tmp_path):
    """test_digest's three sources, synced (as every crawl does) when the window began."""
    with Store(tmp_path / "news.db") as s:
        s.sync_sources([
            _source("ulgov", "Правительство области", "Ulyanovsk Oblast", "Europe/Ulyanovsk"),
            _source("itmo", "ИТМО", "Saint Petersburg", "Europe/Moscow"),
            _source("kyiv", "Київрада", "Kyiv", "Europe/Kyiv")])
        s.db.conn.execute("UPDATE sources SET updated_at = ?", (utc_stamp(START),))
        yield s


def run(store, source_id: str, run_id: str, *, at: str = INSIDE, **counts: int) -> None:
    store.record_run([{"run_id": run_id, "source_id": source_id, "started_at": at,
                       "finished_at": at, "fetched": 0, "new": 0, "updated": 0,
                       "unchanged": 0, "failed": 0, "not_articles": 0, "known_skipped": 0,
                       **counts}])


def renders(found) -> dict[str, str]:
    return {fmt: render(found, SETTINGS, fmt) for fmt in FORMATS}


def subtitle(atom: str) -> str:
    feed = feedparser.parse(atom)
    assert not feed.bozo, feed.bozo_exception
    return feed.feed.subtitle


def test_an_empty_digest_with_no_crawl_in_its_window_says_so(store):
    run(store, "ulgov", "before", at=utc_stamp(START - timedelta(seconds=1)), fetched=9, new=9)
    run(store, "ulgov", "after", at=utc_stamp(END), fetched=9, new=9)   # the end is excluded
    found = digest_of(store)
    assert found.empty
    for fmt, body in renders(found).items():
        assert "No crawl ran in this window: nothing was fetched." in body, fmt
        assert "The crawl ran" not in body and "published nothing new" not in body, fmt


def test_an_empty_digest_after_healthy_crawls_counts_them(store):
    run(store, "ulgov", "r1", fetched=4, unchanged=4)
    run(store, "itmo", "r1", fetched=2, known_skipped=2)
    run(store, "kyiv", "r2", fetched=1, not_articles=1, failed=1, http_errors=1)  # read one
    found = digest_of(store)
    bodies = renders(found)
    assert RAN in bodies["text"] and RAN in bodies["html"] and RAN in bodies["atom"]
    assert r"The crawl ran \(2 crawls of 3 sources\); the followed portals" in bodies["markdown"]
    assert RAN in subtitle(bodies["atom"])
    for body in bodies.values():
        assert "could not be read" not in body and "not crawled" not in body
    assert found.crawls.problems == []


def test_sources_that_read_nothing_and_lost_pages_are_listed_in_every_format(store):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    store.db.conn.execute("UPDATE sources SET name = ? WHERE id = 'kyiv'", (HOSTILE_NAME,))
    run(store, "ulgov", "r1", fetched=5, new=1, failed=4, network_errors=4)   # read one: fine
    run(store, "itmo", "r1", fetched=3, failed=3, http_errors=3)
    run(store, "itmo", "r2", fetched=2, failed=2, http_errors=2)
    run(store, "kyiv", "r1", failed=3, network_errors=3)
    found = digest_of(store)
    assert not found.empty
    line = ("2 sources could not be read: <b>Горсовет</b> Bcc: evil@example.org (no answer: "
            "3 timeouts or dropped connections), ИТМО (every request failed: 5 HTTP errors).")
    assert found.crawls.problems == [line]
    bodies = renders(found)
    text = bodies["text"]
    assert " ".join(text.split("\n\n")[1].split("\n")) == line    # wrapped, one paragraph
    assert "\nBcc:" not in text and "\r" not in text
    html = bodies["html"]
    assert "<b>Горсовет" not in html
    assert ("read: &lt;b&gt;Горсовет&lt;/b&gt; Bcc: evil@example.org (no answer: 3 timeouts "
            "or dropped connections), ИТМО (every request failed: 5 HTTP errors).") in html
    assert html.index("could not be read") < html.index("id=\"story-")   # before the news
    assert (r"\<b\>Горсовет\</b\> Bcc: evil@example.org \(no answer: 3 timeouts or dropped "
            r"connections\)") in bodies["markdown"]
    assert "<b>" not in bodies["markdown"]
    assert subtitle(bodies["atom"]) == f"1 new story from 1 source. {line}"
    assert len(feedparser.parse(bodies["atom"]).entries) == 1        # still one per story


def test_a_source_that_lost_everything_once_but_was_read_later_is_not_listed(store):
    run(store, "itmo", "r1", fetched=3, failed=3, http_errors=3)
    run(store, "itmo", "r2", fetched=3, unchanged=3)
    run(store, "ulgov", "r2", fetched=1, unchanged=1)
    run(store, "kyiv", "r2", fetched=1, unchanged=1)
    assert digest_of(store).crawls.problems == []


def test_an_empty_window_whose_crawls_read_nothing_does_not_claim_nothing_was_published(store):
    run(store, "ulgov", "r1", fetched=2, unchanged=2)
    run(store, "itmo", "r1", fetched=3, failed=3, http_errors=3)
    found = digest_of(store)
    assert found.crawls.empty_note == ("The crawl ran (1 crawl of 2 sources); the portals it "
                                       "could read published nothing new.")
    store.db.conn.execute("DELETE FROM crawl_runs WHERE source_id = 'ulgov'")
    assert digest_of(store).crawls.empty_note == (
        "The crawl ran (1 crawl of 1 source) but could not read any of them.")


def test_an_enabled_source_not_crawled_while_others_were_is_listed(store):
    run(store, "ulgov", "r1", fetched=2, unchanged=2)
    store.db.conn.execute("UPDATE sources SET enabled = 0 WHERE id = 'itmo'")
    text = render(digest_of(store), SETTINGS, "text")
    assert "1 source was not crawled in this window: Київрада." in text
    assert "ИТМО" not in text                                         # disabled: not expected
    # a source dropped from the sources file before the window is no longer synced
    store.db.conn.execute("UPDATE sources SET updated_at = ? WHERE id = 'kyiv'",
                          (utc_stamp(START - timedelta(days=3)),))
    assert digest_of(store).crawls.problems == []


def test_a_healthy_window_renders_the_text_as_before(store):
    """Nothing is added between the header and the first topic when nothing is missing."""
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    for source in ("ulgov", "itmo", "kyiv"):
        run(store, source, "r1", fetched=2, new=1, unchanged=1)
    text = render(digest_of(store), SETTINGS, "text")
    assert re.match(r"newsagg daily digest, 30 Nov 2026\n1 new story from 1 source, seen "
                    r"29 Nov 2026 07:00 - 30 Nov 2026 07:00 \(Europe/Moscow\)\n\n\n"
                    r"== E-government \(1\) ==\n\n\* Открылся МФЦ\n", text), text


def test_a_crawl_of_unreadable_sources_shows_in_the_digest(tmp_path):
    """Real crawl: one portal answers with nothing new, one only with 404s, one not at all."""
    with FaultWeb() as web:
        quiet = web.site("quiet").route("/feed.xml", ok(rss([]), "application/rss+xml"))
        broken = web.site("broken").route("/feed.xml", ok("gone", status=404))
        dead = f"http://127.0.0.9:{free_port()}"                   # nothing listens there
        sources = web.write_sources(
            tmp_path / "sources.toml",
            site_source(quiet, feeds=[quiet.url("/feed.xml")]),
            site_source(broken, feeds=[broken.url("/feed.xml")]),
            {"id": "dead", "name": "Portal dead", "homepage": dead + "/", "language": "ru",
             "timezone": "Europe/Moscow", "feeds": [dead + "/feed.xml"]},
            extra='\n[digest]\ntime = "07:00"\ntimezone = "Europe/Moscow"\n')
        db = tmp_path / "news.db"
        crawl = run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST,
                            "-s", "RETRY_TIMES=0", timeout=60)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
    result = run_newsagg("digest", "--sources", str(sources), "--db", str(db), "--date",
                         "next", "--format", "text", timeout=60)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())                         # unwrapped
    assert ("No new articles were found in this window. The crawl ran (1 crawl of 3 "
            "sources); the portals it could read published nothing new.") in text
    assert re.search(r"2 sources could not be read: Portal broken \(every request failed: "
                     r"1 HTTP error\), Portal dead \(no answer: \d+ timeouts? or dropped "
                     r"connections?\)\.", text), text
    assert "Portal quiet" not in text


def test_runs_are_taken_by_their_start_in_utc(store):
    """The window's bounds compare with crawl_runs.started_at as stored (UTC ISO)."""
    first = START.astimezone(UTC)
    run(store, "itmo", "r1", at=utc_stamp(first), fetched=1, failed=1, http_errors=1)
    run(store, "itmo", "r0", at=utc_stamp(first - timedelta(seconds=1)), fetched=1, new=1)
    assert [s.source_id for s in digest_of(store).crawls.unread] == ["itmo"]
