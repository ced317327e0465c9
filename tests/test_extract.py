"""extract_article as a pure function, on the demo web's pages rendered without a server."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse

from aggregator.config.sources import Source
from aggregator.demo.render import load_sites, render_site
from aggregator.dates.publication import choose_date
from aggregator.extract.article import extract_article
from aggregator.extract.result import DateHint
from aggregator.extract.text import _without_copied_blocks

BASE = "http://127.0.0.1:8000"
FETCHED = datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc)


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


def test_utc_metadata_is_shown_in_the_publishers_zone():
    html = ("<html><head><title>Title of the news</title><meta property="
            '"article:published_time" content="2026-11-20T21:30:00Z"></head><body>'
            "<article><h1>Title of the news</h1>" + "<p>" + "Body text here. " * 30 +
            "</p></article></body></html>")
    source = Source(id="s", name="S", homepage="https://s.example/", timezone="Europe/Moscow",
                    languages=("en",), feeds=("https://s.example/rss",))
    page = extract_article(html, "https://s.example/a", source)
    assert page.published_at == "2026-11-21T00:30:00+03:00"


@pytest.mark.parametrize(("html", "reason"), [
    ("", "empty"),
    ("<html><body><h1>Сторінку не знайдено</h1><p>Можливо, її видалено.</p></body></html>",
     "too little text"),
    (random.Random(1).randbytes(4096).decode("latin-1"), None),
])
def test_pages_without_an_article_are_refused_with_a_reason(html, reason):
    page = extract_article(html, BASE + "/x")
    assert not page.is_article and page.text is None
    assert page.reason and (reason is None or reason in page.reason)


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


# -- what is not article text ----------------------------------------------------------
LEAD = ("Рабочая группа областного правительства обсудила перевод муниципальных услуг в "
        "электронный вид и сроки запуска новых сервисов для жителей районов. ")
OTHER = ("Участники встречи договорились подготовить единый перечень услуг, которые будут "
         "доступны через региональный портал уже в начале следующего года. ")


def article_html(body: str, head: str = "") -> str:
    return (f"<html><head><title>Цифровые услуги</title>{head}</head><body><article>"
            f"<h1>Цифровые услуги</h1>{body}</article></body></html>")


def test_hidden_microdata_and_repeated_copies_are_not_text():
    body = (f"<p>{LEAD}</p><p>{OTHER}</p>"
            "<div style='display: none'><span>2026-11-20T10:00:00+03:00</span>"
            "<span>https://gov.example/logo.png</span></div>"
            f"<div class='amp-copy'><p>{LEAD}</p><p>{OTHER}</p></div><p>-</p>")
    page = extract_article(article_html(body), BASE + "/n/1")
    assert page.text == f"{LEAD.strip()}\n\n{OTHER.strip()}"


def test_trailing_links_to_other_stories_and_referral_lines_are_not_text():
    body = (f"<p>{LEAD}</p><p>Читайте также: <a href='/n/7'>Итоги конкурса цифровых "
            f"проектов</a></p><p>{OTHER}</p><ul>"
            "<li><a href='/n/8'>В области открыли новую школу искусств</a></li>"
            "<li><a href='/n/9'>Глава региона встретился с аграриями района</a></li></ul>")
    page = extract_article(article_html(body), BASE + "/n/1")
    assert page.text == f"{LEAD.strip()}\n\n{OTHER.strip()}"


def test_a_page_that_is_no_article_still_reports_its_own_date():
    page = extract_article(article_html("<div class='date'>20.11.2026</div><p>Коротко.</p>"),
                           BASE + "/n/1")
    assert not page.is_article and page.published_at == "2026-11-20"


def test_xhtml_with_an_xml_declaration_is_read():
    html = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + article_html(f"<p>{LEAD}</p>" * 2)
    assert extract_article(html, BASE + "/n/1").title == "Цифровые услуги"


def test_a_date_only_htmldate_finds_is_kept_outside_chrome_and_dropped_inside_it():
    post = (f"<p>{LEAD}</p><p>{OTHER}</p><div class='post-footer'>Dieser Artikel wurde "
            "am 14. Dezember 2015 um 14:48 von Max Mustermann veröffentlicht.</div>")
    clock = (f"<p>{LEAD}</p><p>{OTHER}</p></article><aside class='sidebar'><p>Новости</p>"
             "<span class='date'>14.12.2015</span><article>")
    found = extract_article(article_html(post), BASE + "/n/1")
    assert (found.published_at, found.published_from) == ("2015-12-14", "page")
    assert extract_article(article_html(clock), BASE + "/n/1").published_at is None


def test_short_labels_said_again_are_structure_and_a_long_run_said_again_is_a_copy():
    plan = ["Понедельник", "Завтрак", "Овсянка с ягодами", "Вторник", "Завтрак",
            "Овсянка с ягодами"]
    assert _without_copied_blocks(plan) == plan
    run = [LEAD.strip(), OTHER.strip()]
    assert _without_copied_blocks(["Вступление", *run, "Итог", *run]) == \
        ["Вступление", *run, "Итог"]
