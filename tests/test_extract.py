"""extract_article as a pure function, on the demo web's pages rendered without a server;
saved pages with their expected articles are cases of tests/test_pages.py."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse

from aggregator.config.sources import Source
from aggregator.dates.hints import DateHint
from aggregator.dates.publication import choose_date
from aggregator.demo.render import load_sites, render_site
from aggregator.extract.article import extract_article
from aggregator.extract.text import _without_copied_blocks

BASE = "http://127.0.0.1:8000"
FETCHED = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sites():
    return load_sites()


def source_for(site_id: str, site: dict) -> Source:
    return Source(id=site_id, name=site["name"], homepage=BASE + "/",
                  timezone=site["timezone"], languages=(site["language"],),
                  listings=(BASE + "/news",))


def decoded(body: bytes, content_type: str) -> str:
    """What the crawler hands to extraction: Scrapy's decoding of the HTTP body."""
    return HtmlResponse(BASE + "/x", body=body, headers={"Content-Type": content_type}).text


def test_windows_1251_page_decoded_as_scrapy_does_gives_clean_cyrillic(sites):
    site = sites["chernigiv"]
    article = site["article"][0]
    reply = render_site(site, BASE, 1)[article["path"]]
    assert reply.content_type == "text/html"
    page = extract_article(decoded(reply.body, reply.content_type), BASE + article["path"],
                           source_for("chernigiv", site), fetched_at=FETCHED)
    assert page.title == article["title"]
    assert article["paragraphs"][0] in page.text
    assert page.language == "uk"


def test_title_and_dateline_are_not_repeated_in_the_text(sites):
    site = sites["chernigiv"]
    article = site["article"][0]
    html = decoded(render_site(site, BASE, 1)[article["path"]].body, "text/html")
    page = extract_article(html, BASE + article["path"], source_for("chernigiv", site))
    assert page.text.startswith(article["paragraphs"][0][:40])


def test_feed_time_refines_a_date_only_dateline(sites):
    site = sites["itmo"]
    article = next(a for a in site["article"] if a.get("news_sitemap"))
    html = render_site(site, BASE, 1)[article["path"]].body.decode()
    source = source_for("itmo", site)
    alone = extract_article(html, BASE + article["path"], source)
    hinted = extract_article(html, BASE + article["path"], source,
                             hints=[DateHint("sitemap", published=article["published"])])
    assert alone.published_at == article["published"][:10]
    assert (hinted.published_at, hinted.published_from) == (article["published"], "page")


def test_undated_page_has_no_date_even_with_a_fetch_time(sites):
    site = sites["itmo"]
    article = next(a for a in site["article"] if a.get("undated"))
    html = render_site(site, BASE, 1)[article["path"]].body.decode()
    page = extract_article(html, BASE + article["path"], source_for("itmo", site),
                           fetched_at=FETCHED)
    assert page.is_article and page.published_at is None and page.published_from is None
    assert "В этот день" not in page.text and "© 2009" not in page.text


def test_random_bytes_are_refused_with_a_reason():
    page = extract_article(random.Random(1).randbytes(4096).decode("latin-1"), BASE + "/x")
    assert not page.is_article and page.text is None and page.reason


def test_listing_page_is_not_an_article(sites):
    site = sites["kharkiv"]
    html = render_site(site, BASE, 1)["/news"].body.decode()
    assert not extract_article(html, BASE + "/news", source_for("kharkiv", site)).is_article


def test_choose_date():
    assert choose_date([]) == (None, None)
    assert choose_date([("2026-11-20", "page"), ("2026-11-20T10:00:00+03:00", "sitemap")]) == \
        ("2026-11-20T10:00:00+03:00", "page")
    assert choose_date([("2026-11-20", "page"), ("2026-11-21T10:00:00+03:00", "sitemap")]) == \
        ("2026-11-20", "page")


# -- what is not article text (whole pages: tests/fixtures/pages/) ------------------------
LEAD = ("Рабочая группа областного правительства обсудила перевод муниципальных услуг в "
        "электронный вид и сроки запуска новых сервисов для жителей районов. ")
OTHER = ("Участники встречи договорились подготовить единый перечень услуг, которые будут "
         "доступны через региональный портал уже в начале следующего года. ")


def test_short_labels_said_again_are_structure_and_a_long_run_said_again_is_a_copy():
    plan = ["Понедельник", "Завтрак", "Овсянка с ягодами", "Вторник", "Завтрак",
            "Овсянка с ягодами"]
    assert _without_copied_blocks(plan) == plan
    run = [LEAD.strip(), OTHER.strip()]
    assert _without_copied_blocks(["Вступление", *run, "Итог", *run]) == \
        ["Вступление", *run, "Итог"]
