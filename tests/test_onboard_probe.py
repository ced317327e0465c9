"""The pure readers of `sources add` (aggregator/onboard/probe.py) and the listing
pagination shapes the crawl follows (aggregator/crawl/discovery.py), on strings."""

from __future__ import annotations

import re

import pytest

from aggregator.crawl.discovery import page_number, parse_listing
from aggregator.onboard import probe

SITE = "https://adm.example.ru/"
SLUGS = ("dorogi-remont", "shkola-otkryta", "vstrecha-s-zhitelyami", "byudzhet-2027",
         "mfc-novye-uslugi", "vodoprovod")


def urls(*paths: str) -> list[str]:
    return [SITE.rstrip("/") + p for p in paths]


# -- feeds, sitemaps, news sections ---------------------------------------------------
def test_feed_links_from_alternate_links_and_anchors():
    html = """<html><head>
      <link rel="alternate" type="application/rss+xml" href="/news/rss.xml">
      <link rel="alternate" type="application/atom+xml" href="https://adm.example.ru/atom">
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="alternate" type="application/rss+xml" href="https://other.org/rss">
      </head><body><a href="/export/">RSS-лента</a> <a href="/feeds/main">Подписка</a>
      <a href="/about/">О нас</a></body></html>"""
    assert probe.feed_links(html, SITE) == urls("/news/rss.xml", "/atom", "/export/",
                                                "/feeds/main")


def test_usual_paths_are_on_the_site_root():
    feeds = probe.usual_feed_urls("https://adm.example.ru/deep/page.html")
    assert feeds[:3] == urls("/rss", "/feed/", "/rss.xml")
    assert all(u in feeds for u in urls("/news/rss", "/atom.xml", "/index.rss",
                                        "/export/rss.xml", "/feed.xml", "/rss/"))
    assert probe.usual_sitemap_urls(SITE) == urls("/sitemap.xml", "/sitemap_index.xml",
                                                  "/sitemap-news.xml", "/news-sitemap.xml")


@pytest.mark.parametrize("label, href", [
    ("Новости", "/press/news/"), ("Новини", "/novyny/"), ("Пресс-центр", "/pc/"),
    ("Прес-центр", "/pc/"), ("Пресс-служба", "/ps/"), ("News", "/n"),
    ("Press releases", "/releases"), ("Newsroom", "/room"), ("Press center", "/center"),
])
def test_news_section_by_label(label, href):
    html = (f'<a href="/">Главная</a><a href="/about/">О нас</a><a href="/docs/">Документы</a>'
            f'<a href="{href}">{label}</a>')
    assert probe.news_sections(html, SITE) == urls(href)


def test_news_section_by_url_words_but_never_an_article_or_a_tag():
    html = """<a href="/ru/press/">Медиа</a> <a href="/novosti/">Лента</a>
      <a href="/novyny/kvartyry-2750.html">Квартиры</a> <a href="/news/tag/sport/">Спорт</a>
      <a href="https://other.org/news/">Чужие</a> <a href="/rss/news">RSS</a>"""
    assert probe.news_sections(html, SITE) == urls("/ru/press/", "/novosti/")


def test_labelled_sections_come_before_worded_ones():
    html = '<a href="/press/">Медиа</a> <a href="/lenta/">Новости</a>'
    assert probe.news_sections(html, SITE) == urls("/lenta/", "/press/")


# -- pagination (the crawl's parse_listing) -----------------------------------------------
@pytest.mark.parametrize("page, nav, expected", [
    ("/news/", '<a href="/news/?PAGEN_1=2">2</a><a href="/news/?PAGEN_1=3">3</a>',
     "/news/?PAGEN_1=2"),
    ("/news/", '<a href="/news/page/2/">2</a><a href="/news/page/3/">3</a>', "/news/page/2/"),
    ("/news/page/2/", '<a href="/news/">1</a><a href="/news/page/3/">3</a>', "/news/page/3/"),
    ("/index.php?option=com_content&view=category&id=9",
     '<a href="/index.php?option=com_content&view=category&id=9&start=8">3</a>'
     '<a href="/index.php?option=com_content&view=category&id=9&start=4">2</a>',
     "/index.php?option=com_content&view=category&id=9&start=4"),
    ("/news?page=1", '<a href="/news?page=2" rel="next">›</a>', "/news?page=2"),
    ("/novyny/", '<a href="/novyny/page/2/">Далі →</a>', "/novyny/page/2/"),
    ("/lenta/", '<a href="/lenta/p2/">next</a>', "/lenta/p2/"),
])
def test_listing_pagination_shapes(page, nav, expected):
    html = f'<html><body><a href="/news/101">Статья</a>{nav}</body></html>'
    listing = parse_listing(html, urls(page)[0], lambda u: "/news/10" in u)
    assert listing.next_urls == urls(expected)
    assert listing.article_urls == urls("/news/101")


def test_page_numbers():
    assert page_number(urls("/news/?PAGEN_1=3")[0]) == 3
    assert page_number(urls("/news/?PAGEN_2=4")[0]) == 4
    assert page_number(urls("/blog/page/7/")[0]) == 7
    assert page_number(urls("/news/")[0]) == 1


# -- the article URL shape --------------------------------------------------------------
@pytest.mark.parametrize("articles, others, expected", [
    ([f"/press/news/detail.php?ID={i}" for i in range(4520, 4526)],
     ["/press/news/", "/press/news/?PAGEN_1=2", "/about/", "/contacts/"],
     r"/press/news/detail\.php\?ID=\d+"),
    ([f"/news/{100 + i}-{slug}.html" for i, slug in enumerate(SLUGS)],
     ["/news/", "/news/page/2/", "/tags/%D0%B3/", "/user/admin/"], r"/news/\d+-[^/]+\.html"),
    ([f"/node/{i}" for i in range(10, 16)], ["/news", "/news?page=1", "/taxonomy/term/7"],
     r"/node/\d+"),
    ([f"/index.php?option=com_content&view=article&id={i}&catid=8&Itemid={i}"
      for i in range(5)], ["/index.php?option=com_content&view=category&id=8&start=10"],
     r"/index\.php\?option=com_content&view=article&id=\d+"),
    ([f"/news/2026/11/{i + 1:02d}/{slug}" for i, slug in enumerate(SLUGS)],
     ["/news/2026/11/", "/news/"], r"/news/\d{4}/\d\d/\d\d/[^/]+"),
    ([f"/?p={i}" for i in range(5)], ["/?page_id=2", "/page/2/"], r"/\?p=\d+"),
    ([f"/ru/press-center/news/item-2026-11-{i + 1:02d}-{900 + i}/" for i in range(5)],
     ["/ru/press-center/news/", "/ru/press-center/news/p2/"],
     r"/ru/press-center/news/item-\d+-\d+-\d+-\d+/"),
    ([f"/news/{w}" for w in ("budget", "school", "roads", "water")],
     ["/news/", "/about", "/contacts"], r"/news/[^/]+"),
])
def test_infer_pattern_shapes(articles, others, expected):
    listing = urls(*[o for o in others if o.rstrip("/") in ("/news", "/press/news",
                                                             "/ru/press-center/news")])
    pattern = probe.infer_pattern(urls(*articles, *others), SITE, avoid=listing)
    assert pattern == expected
    compiled = re.compile(pattern)
    assert all(compiled.search(u) for u in urls(*articles))
    assert not any(compiled.search(u) for u in urls(*others))


def test_infer_pattern_prefers_what_most_links_share_and_refuses_tags_and_authors():
    pool = urls(*[f"/news/{i}.html" for i in range(6)], *[f"/tag/t-{i}" for i in range(9)],
                *[f"/author/a{i}" for i in range(9)], "/events/1-fair", "/events/2-forum")
    assert probe.infer_pattern(pool, SITE) == r"/news/\d+\.html"


def test_infer_pattern_anchors_when_a_longer_url_would_match():
    pool = urls(*[f"/node/{i}" for i in range(5)])
    pattern = probe.infer_pattern(pool, SITE, avoid=urls("/node/3/edit"))
    assert pattern is not None and re.search(pattern, urls("/node/12")[0])
    assert not re.search(pattern, urls("/node/3/edit")[0])


def test_infer_pattern_none_without_a_shared_shape_and_off_site_links_ignored():
    assert probe.infer_pattern(urls("/about", "/contacts", "/news/"), SITE) is None
    assert probe.infer_pattern([f"https://other.org/node/{i}" for i in range(5)], SITE) is None


def test_non_article_words_are_words_not_slug_parts():
    assert probe.looks_like_non_article(urls("/tag/sport/")[0])
    assert probe.looks_like_non_article(urls("/news/?PAGEN_1=2")[0])
    assert probe.looks_like_non_article(urls("/author/ivanov")[0])
    assert not probe.looks_like_non_article(urls("/news/123-user-page-tag.html")[0])


# -- language, name, id, time zone ----------------------------------------------------
def test_languages_declared_and_detected():
    assert probe.declared_language('<html lang="uk-UA"><body>x</body></html>') == "uk"
    assert probe.declared_language('<meta http-equiv="Content-Language" content="ru">') == "ru"
    assert probe.declared_language("<html><body>x</body></html>") is None
    assert probe.detected_language("<p>Це новини, що були від громади.</p>") == "uk"
    assert probe.detected_language("<p>Это новости, что было в области.</p>") == "ru"


def test_site_name_and_source_id():
    assert probe.site_name('<meta property="og:site_name" content="Минцифры">'
                           "<title>x</title>") == "Минцифры"
    assert probe.site_name("<title>Новости | Правительство области</title>") == \
        "Правительство области"
    assert probe.source_id_for("https://www.ulgov.ru/news/") == "ulgov"
    assert probe.source_id_for("https://mincifry.adm.example.ru/") == "mincifry-adm-example"
    assert probe.source_id_for("http://127.0.0.4:8001/") == "127-0-0-4-8001"


@pytest.mark.parametrize("country, url, language, zone", [
    ("UA", "https://x.com/", None, "Europe/Kyiv"),
    (None, "https://ulgov.ru/", "uk", "Europe/Moscow"),
    (None, "https://kyiv.gov.ua/", None, "Europe/Kyiv"),
    (None, "https://minsk.gov.by/", None, "Europe/Minsk"),
    (None, "https://akimat.kz/", None, "Asia/Almaty"),
    (None, "http://127.0.0.1:8001/", "uk", "Europe/Kyiv"),
    (None, "https://example.com/", "en", "UTC"),
])
def test_timezone_guess(country, url, language, zone):
    guessed, why = probe.guess_timezone(country, url, language)
    assert guessed == zone and why
