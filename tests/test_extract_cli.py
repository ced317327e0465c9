"""`newsagg extract URL|FILE`: one page through extract_article, fetched from a real
server on 127.0.0.1 (robots.txt obeyed) or read from a saved file."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from tests.conftest import run_newsagg
from tests.faultpages import article_html
from tests.faultweb import FaultWeb, ok, site_source

TITLE = "Новость номер 7: совещание о цифровых услугах"


def dated(seed: int, dateline: str, charset: str = "utf-8") -> str:
    """An article whose only date is a dateline written without a UTC offset."""
    html = article_html(seed, date=None, meta_charset=charset)
    return html.replace("<article><h1>", f"<article><div class='date'>{dateline}</div><h1>")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/robots.txt", ok("User-agent: *\nDisallow: /private/\n", "text/plain"))
        site.route("/news/7", ok(dated(7, "20.11.2026 10:00")))
        site.route("/private/8", ok(article_html(8)))
        sources = web.write_sources(tmp_path_factory.mktemp("extract") / "sources.toml",
                                    site_source(site, "yekat", timezone="Asia/Yekaterinburg",
                                                feeds=[site.url("/feed.xml")]))
        yield site, sources


def test_extract_url_as_text(portal):
    site, _ = portal
    result = run_newsagg("extract", site.url("/news/7"), timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"title:     {TITLE}" in out
    assert "date:      2026-11-20T10:00:00 (from page)" in out      # no zone: kept local
    assert "language:  ru" in out
    assert "article:   yes" in out
    assert f"url:       {site.url('/news/7')}" in out
    assert "\n\nСтатья 7, абзац 1: " in out                          # then the text
    assert site.hits("/robots.txt"), "robots.txt was not asked"


def test_extract_url_as_json_with_a_sources_time_zone(portal):
    site, sources = portal
    result = run_newsagg("extract", site.url("/news/7"), "--source", "yekat",
                         "--sources", str(sources), "--format", "json", timeout=60)
    assert result.returncode == 0, result.stderr
    assert TITLE in result.stdout                                     # not \u escapes
    page = json.loads(result.stdout)
    assert page["title"] == TITLE
    assert page["published_at"] == "2026-11-20T10:00:00+05:00"       # Asia/Yekaterinburg
    assert page["published_from"] == "page"
    assert page["is_article"] is True and page["reason"] is None
    assert page["text"].startswith("Статья 7, абзац 1: ")
    assert set(page) >= {"author", "language", "modified_at", "canonical_url",
                         "full_text_chars"}


def test_extract_url_forbidden_by_robots_txt_is_exit_4(portal):
    site, _ = portal
    result = run_newsagg("extract", site.url("/private/8"), timeout=60)
    assert result.returncode == 4
    assert f"{site.url('/private/8')}: robots.txt does not allow it" in result.stderr
    assert not site.hits("/private/8")


def test_extract_file_in_windows_1251_dated_relative_to_its_mtime(tmp_path):
    page = tmp_path / "saved.html"
    page.write_bytes(dated(7, "Вчера, 10:15", charset="windows-1251").encode("cp1251"))
    moment = datetime(2026, 11, 21, 12, 0, tzinfo=UTC).timestamp()
    os.utime(page, (moment, moment))
    text = run_newsagg("extract", str(page), timeout=60)
    assert text.returncode == 0, text.stderr
    assert f"title:     {TITLE}" in text.stdout
    assert "read as:   cp1251 (from meta)" in text.stdout
    assert "date:      2026-11-20T10:15:00 (from page)" in text.stdout   # the day before
    assert "fetched:   2026-11-21T12:00:00+00:00 (the file's modification time)" in text.stdout
    as_json = run_newsagg("extract", str(page), "--format", "json", timeout=60)
    assert json.loads(as_json.stdout)["title"] == TITLE


def test_extract_missing_file_or_unknown_source_is_exit_2(portal, tmp_path):
    _, sources = portal
    missing = tmp_path / "nope.html"
    result = run_newsagg("extract", str(missing), timeout=60)
    assert result.returncode == 2
    assert f"{missing}: no such file" in result.stderr
    (tmp_path / "page.html").write_text(article_html(1), encoding="utf-8")
    result = run_newsagg("extract", str(tmp_path / "page.html"), "--source", "nosuch",
                         "--sources", str(sources), timeout=60)
    assert result.returncode == 2
    assert "unknown source id 'nosuch'" in result.stderr


def test_extract_is_documented_with_its_fetch_times():
    result = run_newsagg("extract", "--help", timeout=60)
    assert "robots.txt" in result.stdout and "modification time" in result.stdout
