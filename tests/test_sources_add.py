"""`newsagg sources add` against real servers on 127.0.0.x: the fixture web of CMS shapes
(tests/cmsweb.py) and small inline sites; then the crawl with the table it appended."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from aggregator.config import load_config
from aggregator.config.write import append_source
from aggregator.errors import SourcesError
from aggregator.urls import normalize_url
from tests.cmsweb import CmsWeb
from tests.conftest import FAST, run_newsagg
from tests.faultpages import article_html
from tests.faultweb import FaultWeb, ok

PROBE_FAST = ["-s", "DOWNLOAD_DELAY=0"]
SITES = ["bitrix", "dle", "wordpress", "joomla", "drupal", "govsub", "feedonly",
         "listingsonly", "newssitemap", "mixed"]


@pytest.fixture(scope="module")
def cms():
    with CmsWeb() as web:
        yield web


def stored_urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {normalize_url(url) for (url,) in conn.execute(
            "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id")}


def add(url: str, sources: Path, *args: str):
    return run_newsagg("sources", "add", url, "--sources", str(sources), *PROBE_FAST, *args,
                       timeout=50)


@pytest.mark.parametrize("name", SITES)
def test_add_then_crawl_finds_every_article_and_no_other_page(cms, name, tmp_path):
    site = cms.sites[name]
    sources = tmp_path / "sources.toml"
    result = add(site.homepage, sources, "--id", name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pattern:" in result.stdout and "sample" in result.stdout
    table = tomllib.loads(sources.read_text(encoding="utf-8"))["source"][0]
    assert table["id"] == name and table["language"] == site.language
    assert any(table.get(k) for k in ("feeds", "sitemaps", "listings"))

    db = tmp_path / "news.db"
    crawl = run_newsagg("crawl", "--sources", str(sources), "--db", str(db), *FAST, timeout=50)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    stored = stored_urls(db)
    missing = {u for u in site.articles if normalize_url(u) not in stored}
    wrong = {u for u in site.non_articles if normalize_url(u) in stored}
    assert not missing, f"{name}: not stored: {sorted(missing)[:5]} ({table})"
    assert not wrong, f"{name}: stored non-articles: {sorted(wrong)} ({table})"


def test_dry_run_prints_the_table_and_writes_nothing(cms, tmp_path):
    site = cms.sites["bitrix"]
    sources = tmp_path / "sources.toml"
    result = add(site.homepage, sources, "--dry-run", "--timezone", "Europe/Samara",
                 "--region", "Samara Oblast", "--country", "RU", "--sample", "2")
    assert result.returncode == 0, result.stderr
    assert not sources.exists()
    table = tomllib.loads(result.stdout[result.stdout.index("[[source]]"):])["source"][0]
    assert table["timezone"] == "Europe/Samara" and table["region"] == "Samara Oblast"
    assert table["article_pattern"] == r"/press/news/detail\.php\?ID=\d+"
    assert "charset:   cp1251" in result.stdout
    assert "(a guess" not in result.stdout
    assert result.stdout.count("\n  ok ") == 2


def test_guessed_time_zone_is_said_to_be_a_guess(cms, tmp_path):
    result = add(cms.sites["listingsonly"].homepage, tmp_path / "s.toml", "--dry-run",
                 "--sample", "1")
    assert result.returncode == 0, result.stderr
    assert "Europe/Kyiv  (a guess from the language (uk)" in result.stdout


def test_appends_to_an_existing_file_keeping_comments_and_refuses_a_duplicate_id(cms,
                                                                                tmp_path):
    sources = tmp_path / "sources.toml"
    original = ('# our portals\n[[source]]\nid = "old"  # the first one\nname = "Old"\n'
                'homepage = "http://127.0.0.1:9/"\ntimezone = "UTC"\n'
                'feeds = ["http://127.0.0.1:9/rss"]\n')
    sources.write_text(original, encoding="utf-8")
    first = add(cms.sites["drupal"].homepage, sources, "--id", "drupal", "--sample", "2")
    assert first.returncode == 0, first.stderr
    text = sources.read_text(encoding="utf-8")
    assert text.startswith(original) and "# the first one" in text
    assert [s.id for s in load_config(sources).sources] == ["old", "drupal"]
    again = add(cms.sites["drupal"].homepage, sources, "--id", "drupal", "--sample", "1")
    assert again.returncode == 2 and "already in the file" in again.stderr
    assert sources.read_text(encoding="utf-8") == text


def test_writer_validates_before_it_writes(tmp_path):
    sources = tmp_path / "sources.toml"
    bad = {"id": "x", "name": "X", "homepage": "http://127.0.0.1:9/", "timezone": "Mars/Base",
           "listings": ["http://127.0.0.1:9/news/"], "article_pattern": r"/news/\d+"}
    with pytest.raises(SourcesError, match="timezone"):
        append_source(sources, bad)
    assert not sources.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, says", [
    (["ftp://example.org/"], "not an http(s) URL"),
    (["http://169.254.169.254/"], "metadata"),
    (["http://127.0.0.1:9/", "--id", "Bad Id"], "--id"),
    (["http://127.0.0.1:9/", "--timezone", "Mars/Base"], "unknown time zone"),
    (["http://127.0.0.1:9/", "--language", "russian"], "ISO 639-1"),
    (["http://127.0.0.1:9/", "--listing", "file:///etc/passwd"], "--feed/--listing"),
])
def test_bad_url_or_option_is_exit_2(args, says, tmp_path):
    result = add(args[0], tmp_path / "s.toml", *args[1:])
    assert result.returncode == 2 and says in result.stderr, result.stderr


def test_nothing_that_works_is_exit_4_naming_what_was_tried(tmp_path):
    with FaultWeb() as web:
        site = web.site("bare")
        site.route("/", ok("<html><head><title>Городской сайт</title></head><body>"
                           "<a href='/about/'>О городе</a><a href='/contacts/'>Контакты</a>"
                           "<p>Добро пожаловать на сайт города.</p></body></html>"))
        result = add(site.url("/"), tmp_path / "s.toml")
    assert result.returncode == 4, result.stderr
    assert "/rss.xml: HTTP 404" in result.stderr and "/sitemap.xml: HTTP 404" in result.stderr
    assert "--listing URL" in result.stderr and "--feed URL" in result.stderr
    assert not (tmp_path / "s.toml").exists()


def test_listing_passed_by_hand_and_politeness(tmp_path):
    """A listing no label or URL word gives away, passed with --listing; robots.txt
    forbids one article, which is never requested."""
    with FaultWeb() as web:
        site = web.site("hand")
        links = "".join(f"<li><a href='/lenta/{n}.htm'>Новость {n}</a></li>" for n in range(1, 7))
        site.route("/", ok("<html><body><a href='/lenta/'>Лента</a></body></html>"))
        site.route("/lenta/", ok(f"<html><body><ul>{links}</ul></body></html>"))
        site.route("/robots.txt", ok("User-agent: *\nDisallow: /lenta/1.htm\n", "text/plain"))
        for n in range(1, 7):
            site.route(f"/lenta/{n}.htm", ok(article_html(n, date=f"2026-11-{n + 10}")))
        result = add(site.url("/"), tmp_path / "s.toml", "--listing", site.url("/lenta/"),
                     "--id", "hand", "--language", "ru")
        hits = [h.path for h in site.hits()]
    assert result.returncode == 0, result.stdout + result.stderr
    table = tomllib.loads((tmp_path / "s.toml").read_text(encoding="utf-8"))["source"][0]
    assert table["listings"] == [site.url("/lenta/")]
    assert table["article_pattern"] == r"/lenta/\d+\.htm"
    assert "/lenta/1.htm" not in hits
    assert len(hits) <= 40
