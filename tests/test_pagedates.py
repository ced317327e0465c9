"""The page's own publication date, never the chrome's (clock, sidebar, footer, history).

find_page_dates on fragments and tables of variants; whole pages with the article's
expected date are cases of tests/test_pages.py (tests/fixtures/pages/)."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from aggregator.dates.page import PageDates, find_page_dates

TITLE = "Губернатор открыл центр цифровых услуг"
FETCHED = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
CHROME = """
<header class="site"><div class="clock">Сегодня: 24 ноября 2026, 09:15</div>
<nav><a href="/">Главная</a> <a href="/archive/2026-11-01">Архив 01.11.2026</a></nav></header>
"""
SIDEBAR = """<aside><h3>Последние новости</h3><ul><li><span>19.11.2026</span> Другая новость</li>
<li><span>18 ноября 2026, 10:00</span> Ещё одна</li></ul></aside>
<div class="widget last-news"><p>17.11.2026 Третья новость</p></div>"""
HISTORY = '<div class="block"><p>В этот день: 24 ноября 2019 года открылся первый МФЦ.</p></div>'
FOOTER = "<footer><p>© 2008–2026 Правительство области</p><p>Обновлено 23.11.2026</p></footer>"
BODY = ("<p>Центр начнёт принимать заявления 1 декабря 2026 года, сообщили в правительстве "
        "области во вторник.</p><p>Ещё один абзац текста новости, в котором дат нет.</p>")
HEADLINES = ("<ul><li><span>19.11.2026</span> <a href='/n/1'>В области открыли новую школу "
             "искусств</a></li><li><span>18.11.2026</span> <a href='/n/2'>Глава региона "
             "встретился с аграриями</a></li></ul>")


def page(article: str, head: str = "", url: str | None = "https://gov.example/news/1012",
         title: str | None = TITLE, tz: str = "Europe/Ulyanovsk",
         fetched_at: datetime | None = None) -> PageDates:
    html = (f"<html><head><title>{TITLE}</title>{head}</head><body>{CHROME}<main>{article}"
            f"{SIDEBAR}{HISTORY}</main>{FOOTER}</body></html>")
    return bare(html, url=url, title=title, tz=tz, fetched_at=fetched_at)


def bare(html: str, url: str | None = None, title: str | None = TITLE,
         tz: str = "Europe/Moscow", fetched_at: datetime | None = None) -> PageDates:
    return find_page_dates(lxml.html.fromstring(html), url, languages=("ru", "uk", "en"),
                           timezone=tz, fetched_at=fetched_at, title=title)


# -- metadata -------------------------------------------------------------------------
JSON_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", '
           '"@graph": [{"@type": "WebSite", "datePublished": "2001-01-01"}, '
           '{"@type": "NewsArticle", "datePublished": "2026-11-20T14:30:00+04:00", '
           '"dateModified": "2026-11-21T08:00:00+04:00"}]}</script>')


def test_json_ld_gives_the_article_nodes_dates():
    found = page(f"<h1>{TITLE}</h1>{BODY}", JSON_LD)
    assert (found.published_at, found.published_from, found.modified_at) == (
        "2026-11-20T14:30:00+04:00", "metadata", "2026-11-21T08:00:00+04:00")


def test_the_dateline_readers_see_wins_over_metadata_that_disagrees():
    found = page(f"<h1>{TITLE}</h1><div class='date'>19.11.2026</div>{BODY}", JSON_LD)
    assert (found.published_at, found.published_from) == ("2026-11-19", "page")
    assert found.candidates[1] == ("2026-11-20T14:30:00+04:00", "metadata")


@pytest.mark.parametrize(("field", "expected"), [
    ("20201123T11:02:35Z", "2020-11-23T11:02:35"),     # ISO 8601 basic form
    ("20201123", "2020-11-23"),
    ("1606129355", "2020-11-23T11:02:35"),             # Unix time
])
def test_metadata_date_fields_in_other_forms(field, expected):
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            f'"datePublished": "{field}"}}</script>')
    assert page(f"<h1>{TITLE}</h1>{BODY}", head).published_at.startswith(expected)


@pytest.mark.parametrize("kind", ["Recipe", "HowTo", "DiscussionForumPosting", "article"])
def test_json_ld_for_the_pages_own_work_that_is_not_news(kind):
    head = (f'<script type="application/ld+json">{{"@type": "{kind}", '
            '"datePublished": "2026-11-20T14:30:00+04:00"}</script>')
    assert page(f"<h1>{TITLE}</h1>{BODY}", head).published_from == "metadata"


@pytest.mark.parametrize("head", [
    '<meta property="article:published_time" content="2026-11-20T14:30:00+04:00">',
    '<meta property="og:published_time" content="2026-11-20T14:30:00+04:00">',
    '<meta name="pubdate" content="2026-11-20T14:30:00+04:00">',
    '<meta name="DC.date.issued" content="2026-11-20T14:30:00+04:00">',
    '<meta name="sailthru.date" content="2026-11-20T14:30:00+04:00">',
    '<meta itemprop="datePublished" content="2026-11-20T14:30:00+04:00">',
])
def test_open_graph_and_meta_tags(head):
    found = page(f"<h1>{TITLE}</h1>{BODY}", head)
    assert (found.published_at, found.published_from) == ("2026-11-20T14:30:00+04:00",
                                                            "metadata")


def test_modified_date_alone_is_no_publication_date():
    head = '<meta property="article:modified_time" content="2026-11-22T09:00:00+04:00">'
    found = page(f"<h1>{TITLE}</h1>{BODY}", head)
    assert found == PageDates(None, None, "2026-11-22T09:00:00+04:00")


def test_local_dateline_comes_before_the_same_moment_in_utc_metadata():
    head = '<meta property="article:published_time" content="2026-11-20T21:30:00+00:00">'
    found = page(f"<h1>{TITLE}</h1><div class='date'>21.11.2026 01:30</div>{BODY}", head)
    assert found.published_at == "2026-11-21T01:30:00+04:00"
    assert found.candidates == (("2026-11-21T01:30:00+04:00", "page"),
                                ("2026-11-20T21:30:00+00:00", "metadata"))


# -- the dateline near the title ------------------------------------------------------
# Where sites put the dateline relative to the title, and what it looks like.
DATELINES = {
    "sibling above the title": (
        f'<div class="material"><div class="material-date">21.11.2026 17:20</div>'
        f"<h1>{TITLE}</h1>{BODY}</div>", "2026-11-21T17:20:00+04:00"),
    "beside the title's wrapper": (
        f"<div class='x'><div class='title-wrap'><h1>{TITLE}</h1></div><div>"
        f"<span>Опубликовано:</span> <span>20.11.2026</span></div>{BODY}</div>", "2026-11-20"),
    "bare text after the title": (
        f"<div><h1>{TITLE}</h1>20.11.2026 14:30{BODY}</div>", "2026-11-20T14:30:00+04:00"),
    "article header inside <article>": (
        f'<article><header class="post-header"><h1>{TITLE}</h1>'
        f'<p class="post-meta">Опубликовано: 20 ноября 2026 г.</p></header>{BODY}</article>',
        "2026-11-20"),
    "a <header> holding the title": (
        f'<section><header class="post-hero"><h1>{TITLE}</h1>'
        f'<span class="post-hero__date">20 ноября 2026</span></header>{BODY}</section>',
        "2026-11-20"),
    "visible time refines a date-only datetime attribute": (
        f'<h1>{TITLE}</h1><time datetime="2026-11-20">20.11.2026 14:30</time>{BODY}',
        "2026-11-20T14:30:00+04:00"),
    "with author and views": (
        f'<h1>{TITLE}</h1><div class="meta">Иван Петров | 20.11.2026 14:30 | '
        f"Просмотров: 312</div>{BODY}", "2026-11-20T14:30:00+04:00"),
    "after a linked title": (
        f"<div class='x'><h1><a href='/news/1012'>{TITLE}</a></h1>"
        f"<span class='date'>20.11.2026</span>{BODY}</div>", "2026-11-20"),
}


@pytest.mark.parametrize(("article", "expected"), DATELINES.values(), ids=DATELINES)
def test_dateline_forms(article, expected):
    found = page(article)
    assert (found.published_at, found.published_from) == (expected, "page")


UPDATE_MARKS = {
    "an 'updated-on' wrapper around a 'published' time": (
        "<span class='updated-on'><time class='entry-date published' datetime='2026-11-22'>"
        "22.11.2026</time></span>"),
    "an 'updated_at' block": "<div class='updated_at'><time>22.11.2026</time></div>",
    "an 'updated' class in a WordPress post marked 'status-publish'": (
        "<span class='updated rich-snippet'>2026-11-22T10:00:00+04:00</span>"),
}


@pytest.mark.parametrize("mark", UPDATE_MARKS.values(), ids=UPDATE_MARKS)
def test_a_date_named_as_the_change_defers_to_the_published_metadata(mark):
    head = '<meta property="article:published_time" content="2026-11-20T14:30:00+04:00">'
    found = page(f"<article class='post type-post status-publish'><h1>{TITLE}</h1>{mark}"
                 f"{BODY}</article>", head)
    assert (found.published_at, found.published_from) == ("2026-11-20T14:30:00+04:00",
                                                            "metadata")


def test_beside_the_title_a_chrome_like_class_does_not_hide_the_dateline():
    found = page(f"<article><h1>{TITLE}</h1><div class='meta-share-group'><p class="
                 f"'publish-info'><time datetime='2026-11-20T14:30:00+04:00'>20 ноября</time>"
                 f"</p><a href='#'>Поделиться</a></div>{BODY}</article>")
    assert (found.published_at, found.published_from) == ("2026-11-20T14:30:00+04:00", "page")


def test_without_a_fetch_time_a_relative_dateline_is_no_date():
    # With one, it is the day before: tests/fixtures/pages/relative-dateline-uses-the-fetch-time
    assert page(f"<h1>{TITLE}</h1><span>вчера в 10:22</span>{BODY}").published_at is None


def test_without_a_title_the_article_time_is_used():
    found = page(f"<article><p class='lead'>Кратко</p><time datetime='2026-11-20'>"
                 f"20.11.2026</time>{BODY}</article>", title=None)
    assert found.published_at == "2026-11-20"


def test_a_big_block_named_like_a_widget_is_the_content():
    long_body = BODY * 12
    found = bare(f"<html><body><div class='widget Blog' id='Blog1'><h2 class='date-header'>"
                 f"<span>пятница, 20 ноября 2026</span></h2><div class='post'><h3>{TITLE}</h3>"
                 f"{long_body}</div></div><div class='sidebar'>{HEADLINES}</div></body></html>")
    assert found.published_at == "2026-11-20"


# -- chrome is never the article's ----------------------------------------------------
def test_chrome_dates_are_never_taken_and_prose_is_not_a_dateline():
    found = page(f"<h1>{TITLE}</h1>{BODY}", url="https://gov.example/news/1012")
    assert found == PageDates(None, None, None)


CHROME_ONLY = {
    "site header clock without names":
        f"<header><div>Вторник, 24 ноября 2026</div></header><h1>{TITLE}</h1>{BODY}"
        "<footer>© 2008–2026 Обновлено 23.11.2026</footer>",
    "today line beside the title":
        f"<div>Сегодня: 24 ноября 2026, 09:15</div><div><h1>{TITLE}</h1>{BODY}</div>",
    "date beside the logo in the site header":
        "<div id='header'><h1 class='logo'>Правительство области</h1><span>24 ноября 2026"
        f"</span></div><div id='content'><div class='col-main'><h1>{TITLE}</h1>{BODY}</div>"
        "</div>",
    "time in the site header":
        "<header class='site'><time datetime='2026-11-24'>24.11.2026</time></header>"
        f"<div class='col-main'><h1>{TITLE}</h1>{BODY}</div>",
    "unnamed list of other headlines on the left":
        f"<div class='page'><div class='col-left'>{HEADLINES}</div><div class='col-main'>"
        f"<h1>{TITLE}</h1>{BODY}</div></div>",
    "unnamed list of other headlines below":
        f"<div class='x'><h1>{TITLE}</h1>{BODY}<div><h3>Читайте также</h3>{HEADLINES}</div>"
        "</div>",
    "comments":
        f"<div class='post'><h1>{TITLE}</h1>{BODY}<div id='comments'><div class='c'><span>"
        "22.11.2026 10:00</span> Иван: отлично</div></div></div>",
    "this day in history":
        f"<div class='x'><h1>{TITLE}</h1>{BODY}<div class='block'><h3>Цього дня</h3><ul><li>"
        "24.11.2019 відкрили ЦНАП</li></ul></div></div>",
    "aside with dated items":
        f"<div class='col-main'><h1>{TITLE}</h1><aside><span>19.11.2026</span></aside>{BODY}"
        "</div>",
}


@pytest.mark.parametrize("body", CHROME_ONLY.values(), ids=CHROME_ONLY.keys())
def test_a_date_only_in_chrome_is_no_date(body):
    assert bare(f"<html><body>{body}</body></html>").published_at is None


# -- labelled dates, stated originals, other dates ----------------------------------
LONG_BODY = BODY * 3


@pytest.mark.parametrize("article, expected", [
    # the label and the date in one element, far from the title
    (f"<h1>{TITLE}</h1>{LONG_BODY}<div class='x1'>Published March 9, 2026</div>", "2026-03-09"),
    (f"<h1>{TITLE}</h1>{LONG_BODY}<p>Опубликовано: 20.11.2026</p>", "2026-11-20"),
    # the label is an element of its own, the date is the next one
    (f"<h1>{TITLE}</h1>{LONG_BODY}<div><h4>Published</h4><div>July 8, 2025</div></div>",
     "2025-07-08"),
    # in the article's own <aside>, though a heading makes that aside look like a list
    (f"<article><h1>{TITLE}</h1>{LONG_BODY}<aside><h3>Дата публікації</h3><p><time "
     "datetime='2024-08-30T12:00:00Z'>30 серпня 2024</time></p></aside></article>",
     "2024-08-30T12:00:00+00:00"),
], ids=["inline", "ru-colon", "label-element", "article-aside"])
def test_a_date_labelled_as_the_publication_is_found_anywhere_outside_chrome(article,
                                                                               expected):
    found = bare(f"<html><body>{CHROME}<main>{article}</main>{FOOTER}</body></html>")
    assert (found.published_at, found.published_from) == (expected, "page")


def test_the_date_a_page_says_it_was_originally_published_on_comes_first():
    article = (f"<h1>{TITLE}</h1><div class='date'>30 Sep 2022, 11:07am</div>{BODY}"
               "<p class='note'>This article was originally published on 26 Sep 2019 at 4:12pm "
               "but has been regularly updated.</p>")
    found = bare(f"<html><body><main>{article}</main></body></html>")
    assert found.published_at == "2019-09-26T16:12:00+03:00"
    assert found.candidates[1] == ("2022-09-30T11:07:00+03:00", "page")


@pytest.mark.parametrize("line", ["Recorded on August 19, 2025", "Data as of Dec 20, 2025."])
def test_a_date_labelled_as_something_else_is_no_dateline(line):
    article = f"<h1>{TITLE}</h1><div class='date'>{line}</div>{BODY}"
    assert bare(f"<html><body><main>{article}</main></body></html>",
                title=TITLE).published_at is None


def test_taxonomy_classes_do_not_make_a_post_chrome():
    article = (f"<div class='post type-post category-popular tag-social'><h2>{TITLE}</h2>"
               f"<p>January 22, 2014</p>{BODY}</div>")
    assert bare(f"<html><body>{article}</body></html>").published_at == "2014-01-22"


def test_a_heading_matched_through_the_whole_page_title():
    html = (f"<html><head><title>Блог: [Обзор] {TITLE}</title></head><body>"
            f"<div class='date-header'>20.11.2026</div><h3>[Обзор] {TITLE}</h3>{BODY}"
            "</body></html>")
    assert bare(html, title="Обзор").published_at == "2026-11-20"


# -- the URL --------------------------------------------------------------------------
def test_a_dateline_comes_before_the_url_date():
    # The URL's date alone: tests/fixtures/pages/url-date-is-the-last-resort
    found = page(f"<h1>{TITLE}</h1><div class='date'>20.11.2026</div>{BODY}",
                 url="https://city.example/news/2026/11/19/x")
    assert found.candidates == (("2026-11-20", "page"), ("2026-11-19", "url"))


def test_htmldate_reads_free_text_only_in_the_sources_languages_and_is_restored():
    import htmldate.extractors as extractors

    from aggregator.dates.page import _htmldate_parser

    everything = extractors.get_external_parser
    with _htmldate_parser(("ru", "uk")):
        parser = extractors.get_external_parser()
        assert parser.get_date_data("15 марта 2024")["date_obj"].day == 15
        assert parser.get_date_data("3 de marzo de 2024")["date_obj"] is None
    assert extractors.get_external_parser is everything
    with pytest.raises(RuntimeError), _htmldate_parser(("ru",)):
        raise RuntimeError("htmldate failed")
    assert extractors.get_external_parser is everything
    with _htmldate_parser(None):                  # no source: every language, as htmldate
        assert extractors.get_external_parser is everything
