"""The page's own publication date, never the chrome's (clock, sidebar, footer, history)."""

from __future__ import annotations

import lxml.html

from aggregator.pagedates import PageDates, find_page_dates

TITLE = "Губернатор открыл центр цифровых услуг"
CHROME = """
<header class="site"><div class="clock">Сегодня: 24 ноября 2026, 09:15</div>
<nav><a href="/">Главная</a> <a href="/archive/2026-11-01">Архив 01.11.2026</a></nav></header>
"""
SIDEBAR = """<aside><h3>Последние новости</h3><ul><li><span>19.11.2026</span> Другая новость</li>
<li><span>18 ноября 2026, 10:00</span> Ещё одна</li></ul></aside>
<div class="widget last-news"><p>17.11.2026 Третья новость</p></div>"""
HISTORY = '<div class="block"><p>В этот день: 24 ноября 2019 года открылся первый МФЦ.</p></div>'
FOOTER = "<footer><p>© 2008–2026 Правительство области</p><p>Обновлено 23.11.2026</p></footer>"
BODY = "<p>Центр начнёт принимать заявления 1 декабря 2026 года, сообщили в правительстве.</p>"


def page(article: str, head: str = "", url: str | None = "https://gov.example/news/1012",
         title: str = TITLE, tz: str = "Europe/Ulyanovsk") -> PageDates:
    html = (f"<html><head><title>{title}</title>{head}</head><body>{CHROME}<main>{article}"
            f"{SIDEBAR}{HISTORY}</main>{FOOTER}</body></html>")
    return find_page_dates(lxml.html.fromstring(html), url, languages=("ru",), timezone=tz,
                           fetched_at=None, title=title)


def test_json_ld_wins_over_the_dateline():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@graph": [{"@type": "WebSite", "datePublished": "2001-01-01"}, '
            '{"@type": "NewsArticle", "datePublished": "2026-11-20T14:30:00+04:00", '
            '"dateModified": "2026-11-21T08:00:00+04:00"}]}</script>')
    found = page(f"<h1>{TITLE}</h1><div class='date'>19.11.2026</div>{BODY}", head)
    assert (found.published_at, found.published_from, found.modified_at) == (
        "2026-11-20T14:30:00+04:00", "metadata", "2026-11-21T08:00:00+04:00")


def test_broken_json_ld_still_gives_its_date():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "a "quoted" word", "datePublished": "2026-11-20T10:00:00+03:00"}'
            '</script>')
    assert page(f"<h1>{TITLE}</h1>{BODY}", head).published_at == "2026-11-20T10:00:00+03:00"


def test_open_graph_and_meta_tags():
    for head in ('<meta property="article:published_time" content="2026-11-20T14:30:00+04:00">',
                 '<meta name="pubdate" content="2026-11-20T14:30:00+04:00">',
                 '<meta itemprop="datePublished" content="2026-11-20T14:30:00+04:00">'):
        found = page(f"<h1>{TITLE}</h1>{BODY}", head)
        assert (found.published_at, found.published_from) == ("2026-11-20T14:30:00+04:00",
                                                                "metadata"), head


def test_time_element_near_the_title():
    found = page(f'<article><h1>{TITLE}</h1><div class="info">Пресс-служба '
                 f'<time datetime="2026-11-20T14:30:00+04:00">20 ноября</time></div>{BODY}'
                 "</article>")
    assert (found.published_at, found.published_from) == ("2026-11-20T14:30:00+04:00", "page")


def test_dateline_above_the_title_in_a_sibling():
    found = page(f'<div class="material"><div class="material-date">21.11.2026 17:20</div>'
                 f"<h1>{TITLE}</h1>{BODY}</div>")
    assert found.published_at == "2026-11-21T17:20:00+04:00"


def test_dateline_in_an_article_header_is_accepted():
    found = page(f'<article><header class="post-header"><h1>{TITLE}</h1>'
                 f'<p class="post-meta">Опубликовано: 20 ноября 2026 г.</p></header>{BODY}'
                 "</article>")
    assert found.published_at == "2026-11-20"


def test_visible_time_refines_a_date_only_datetime_attribute():
    found = page(f'<h1>{TITLE}</h1><time datetime="2026-11-20">20.11.2026 14:30</time>{BODY}')
    assert found.published_at == "2026-11-20T14:30:00+04:00"


def test_chrome_dates_are_never_taken_and_prose_is_not_a_dateline():
    found = page(f"<h1>{TITLE}</h1>{BODY}", url="https://gov.example/news/1012")
    assert found == PageDates(None, None, None)


def test_url_date_is_the_last_resort():
    found = page(f"<h1>{TITLE}</h1>{BODY}", url="https://city.example/news/2026/11/19/x")
    assert (found.published_at, found.published_from) == ("2026-11-19", "url")


def test_dateline_with_author_and_views():
    found = page(f'<h1>{TITLE}</h1><div class="meta">Иван Петров | 20.11.2026 14:30 | '
                 f"Просмотров: 312</div>{BODY}")
    assert found.published_at == "2026-11-20T14:30:00+04:00"


def test_itemprop_date_inside_a_sidebar_is_ignored():
    article = (f'<h1>{TITLE}</h1>{BODY}<div class="related"><span itemprop="datePublished" '
               'content="2026-11-02">02.11.2026</span></div>')
    assert page(article).published_at is None
