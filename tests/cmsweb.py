"""A fixture web of the CMS shapes regional portals run on, each site on its own loopback
address: 1C-Bitrix, DataLife Engine, WordPress, Joomla, Drupal, a government CMS with news
on a subpath, a feed-only site, a listings-only site, a news-sitemap-only site and a site
whose listing mixes articles with tag, author, event and gallery pages.

Each :class:`CmsSite` carries its ground truth (every article URL, the pages that must not
be stored, the regex its article URLs share), so that `sources add` and the crawl after it
can be scored (benchmarks/onboarding.py, tests/test_cmsweb.py).

    with CmsWeb() as web:
        site = web.sites["bitrix"]      # site.homepage, site.articles, site.non_articles
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from tests.cmspages import (
    CmsSite,
    SiteBuilder,
    alternate,
    dateline,
    link_list,
    meta_time,
    news_sitemap,
    pager,
    rss,
    stories,
)
from tests.faultpages import sitemap_index, urlset
from tests.faultweb import FaultWeb, redirect

__all__ = ["CmsSite", "CmsWeb"]

XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


def bitrix(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "bitrix", "ru", "Министерство цифрового развития области",
                    [("О министерстве", "/about/"), ("Деятельность", "/activity/"),
                     ("Новости", "/press/news/"), ("Документы", "/documents/"),
                     ("Контакты", "/contacts/")],
                    "1C-Bitrix: windows-1251 (header and meta), detail.php?ID=, ?PAGEN_1=, "
                    "sitemap index from robots.txt", charset="windows-1251")
    items = [(f"/press/news/detail.php?ID={s.id}", s) for s in stories("ru", 0, 12, 4521)]
    for path, s in items:
        b.article(path, s, f'<span class="news-date-time">{dateline(s.when, "dotted", "ru")}'
                  "</span>", before='<div class="bx-breadcrumb"><a href="/">Главная</a> / '
                  '<a href="/press/news/">Новости</a></div>')
    pages = ["/press/news/", "/press/news/?PAGEN_1=2", "/press/news/?PAGEN_1=3"]
    b.listing(pages, items, "Новости", "dotted", pager(pages, "След.", "modern-page-navigation"))
    b.home(items)
    b.robots("User-Agent: *\nDisallow: /bitrix/\nDisallow: /auth/\nDisallow: /search/\n"
             "Disallow: /*?print=\nAllow: /bitrix/templates/\nSitemap: {base}/sitemap.xml\n")
    b.serve("/sitemap.xml", sitemap_index([b.url("/sitemap-iblock-3.xml"),
                                           b.url("/sitemap-files.xml")]), XML)
    b.serve("/sitemap-iblock-3.xml", urlset([(b.url(p), f"{s.when:%Y-%m-%d}")
                                             for p, s in items]), XML)
    b.serve("/sitemap-files.xml", urlset([(b.url(p), None) for p in
                                          ("/", "/about/", "/press/news/", "/contacts/")]), XML)
    return b.finish(r"/press/news/detail\.php\?ID=\d+$")


def dle(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "dle", "ru", "Вести Приречья",
                    [("Главная", "/"), ("Новости", "/news/"), ("Статьи", "/articles/"),
                     ("Обратная связь", "/index.php?do=feedback")],
                    "DataLife Engine: /news/1234-slug.html, /news/page/2/, RSS /rss.xml in <head>, "
                    "Cyrillic tag and user pages")
    items = [(f"/news/{s.id}-{s.slug}.html", s) for s in stories("ru", 1, 13, 1287)]
    tag, user = "/tags/%D0%B3%D0%BE%D1%80%D0%BE%D0%B4/", "/user/admin/"
    head = alternate("/rss.xml", "Вести Приречья")
    for path, s in items:
        b.article(path, s, f'<span class="date">{dateline(s.when, "long", "ru")}</span>',
                  head=head, after=f'<div class="tags">Теги: <a href="{tag}">город</a> '
                  f'Автор: <a href="{user}">admin</a></div>')
    pages = ["/news/", "/news/page/2/", "/news/page/3/"]
    b.listing(pages, items, "Новости", "long", pager(pages, "Далее", "navigation"),
              head=lambda i: head)
    b.html(tag, "Город", f"<h1>Город</h1>{link_list(items[:4])}")
    b.html(user, "admin", "<h1>Пользователь admin</h1><p>Группа: Главные редакторы</p>")
    b.home(items, head=head)
    b.serve("/rss.xml", rss("Вести Приречья", b.url("/"), [(b.url(p), s) for p, s in items]), RSS)
    b.robots("User-agent: *\nDisallow: /engine/\nDisallow: /backup/\nDisallow: /*print\n")
    return b.finish(r"/news/\d+-[^/]+\.html$")


def wordpress(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "wordpress", "ru", "Городской портал Озёрска",
                    [("Главная", "/"), ("Новости", "/news/"), ("О городе", "/o-gorode/"),
                     ("Контакты", "/kontakty/")],
                    "WordPress: /feed/ in <head>, /YYYY/MM/DD/slug/ permalinks, /?p=ID redirects "
                    "to them, /news/page/2/, a comments feed, tag and author pages")
    items = [(f"{s.when:/%Y/%m/%d}/{s.slug}/", s) for s in stories("ru", 2, 11, 812)]
    head = (alternate("/feed/", "Городской портал Озёрска » Лента")
            + alternate("/comments/feed/", "Городской портал Озёрска » Лента комментариев"))
    for path, s in items:
        b.article(path, s, '<time class="entry-date published" datetime="'
                  f'{s.when:%Y-%m-%dT%H:%M:%S}+03:00">{dateline(s.when, "day", "ru")}</time>',
                  head=head + meta_time(s) + f'<link rel="canonical" href="{b.url(path)}">'
                  f'<link rel="shortlink" href="{b.url(f"/?p={s.id}")}">',
                  after='<footer class="entry-meta">Рубрики: <a href="/news/">Новости</a> '
                  'Метки: <a href="/tag/transport/">транспорт</a> '
                  'Автор: <a href="/author/admin/">admin</a></footer>')
        b.pages[b.key(f"/?p={s.id}")] = redirect(b.url(path), 301)
    pages = ["/news/", "/news/page/2/", "/news/page/3/"]
    b.listing(pages, items, "Новости", "day", pager(pages, "Следующая »", "nav-links"),
              head=lambda i: head)
    b.html("/tag/transport/", "Метка: транспорт", "<h1>Метка: транспорт</h1><p>Записей нет.</p>")
    b.html("/author/admin/", "admin", "<h1>Автор: admin</h1><p>Редакция портала.</p>")
    b.home(items, head=head)
    b.serve("/feed/", rss("Городской портал Озёрска", b.url("/"), [(b.url(p), s) for p, s in items],
                          guid=[b.url(f"/?p={s.id}") for _, s in items]), RSS)
    b.serve("/comments/feed/", rss("Комментарии", b.url("/"), [
        (b.url(p) + "#comment-" + str(n + 40), s) for n, (p, s) in enumerate(items[:3])]), RSS)
    b.robots("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")
    return b.finish(r"/\d{4}/\d{2}/\d{2}/[^/]+/$")


def joomla(web: FaultWeb) -> CmsSite:
    category = "/index.php?option=com_content&view=category&id=9&Itemid=101"
    about = "/index.php?option=com_content&view=article&id=2&Itemid=102"
    b = SiteBuilder(web, "joomla", "uk", "Подільська громада",
                    [("Головна", "/"), ("Про громаду", about), ("Новини", category),
                     ("Документи", "/index.php?option=com_content&view=category&id=4&Itemid=103")],
                    "Joomla (Ukrainian): view=article&id=N:slug&catid=9, ?start=N pagination, "
                    "no feed, a static page of the same view=article shape")
    items = [(f"/index.php?option=com_content&view=article&id={s.id}:{s.slug}&catid=9"
              "&Itemid=101", s) for s in stories("uk", 3, 10, 345)]
    for path, s in items:
        b.article(path, s, f'<dd class="published"><time datetime="{s.when:%Y-%m-%dT%H:%M:%S}'
                  f'+02:00" itemprop="datePublished">Опубліковано: '
                  f"{dateline(s.when, 'day', 'uk')}</time></dd>")
    pages = [category, category + "&start=4", category + "&start=8"]
    b.listing(pages, items, "Новини", "dotted", pager(pages, "Наступна", "pagination"))
    b.html(about, "Про громаду", "<h1>Про громаду</h1><p>Подільська громада: 12 сіл.</p>")
    b.home(items)
    b.robots("User-agent: *\nDisallow: /administrator/\nDisallow: /cache/\n"
             "Disallow: /tmp/\n")
    return b.finish(r"view=article&id=\d+:[^&]+&catid=9")


def drupal(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "drupal", "en", "Riverside District Council",
                    [("Home", "/"), ("News", "/news"), ("About", "/about"),
                     ("Contact", "/contact")],
                    "Drupal (English): /node/N, /news?page=1 (0-based), /sitemap.xml not in "
                    "robots.txt, taxonomy pages, US-style datelines with an RDF date")
    items = [(f"/node/{s.id}", s) for s in stories("en", 4, 12, 214)]
    for path, s in items:
        b.article(path, s, f'Submitted by editor on <span property="dc:date dc:created" '
                  f'content="{s.when:%Y-%m-%dT%H:%M:%S}+00:00" datatype="xsd:dateTime">'
                  f'{dateline(s.when, "us", "en")}</span>',
                  after='<div class="field-tags"><a href="/taxonomy/term/7">Council</a></div>')
    pages = ["/news", "/news?page=1", "/news?page=2"]
    rel = ["?page=1", "?page=2"]
    b.listing(pages, items, "News", "dotted", lambda i: (
        f'<nav class="pager"><a href="{rel[i]}" title="Go to next page" rel="next">Next ›</a>'
        "</nav>" if i < 2 else ""))
    b.html("/taxonomy/term/7", "Council", "<h1>Council</h1><p>Posts tagged Council.</p>")
    b.home(items)
    b.robots("User-agent: *\nCrawl-delay: 10\nDisallow: /admin/\nDisallow: /comment/reply/\n"
             "Disallow: /filter/tips\nDisallow: /node/add/\nDisallow: /search/\n"
             "Disallow: /user/register\nDisallow: /user/password\nDisallow: /user/login\n")
    b.serve("/sitemap.xml", urlset([(b.url(p), f"{s.when:%Y-%m-%d}") for p, s in items]
                                   + [(b.url("/news"), None), (b.url("/about"), None)]), XML)
    return b.finish(r"/node/\d+$")


def govsub(web: FaultWeb) -> CmsSite:
    news = "/ru/press-center/news/"
    b = SiteBuilder(web, "govsub", "ru", "Администрация Северного округа",
                    [("Об округе", "/ru/about/"), ("Пресс-центр", news),
                     ("Анонсы", "/ru/press-center/announcements/"), ("Обращения", "/ru/reception/"),
                     ("English", "/en/")],
                    "Government CMS: news under /ru/press-center/news/, item-YYYY-MM-DD-N/, "
                    "pagination only by <link rel=next> and page numbers")
    items = [(f"{news}item-{s.when:%Y-%m-%d}-{s.id}/", s) for s in stories("ru", 5, 12, 930)]
    for path, s in items:
        b.article(path, s, dateline(s.when, "day", "ru"),
                  before=f'<div class="crumbs"><a href="/">Главная</a> » <a href="{news}">'
                  "Пресс-центр</a></div>")
    pages = [news, f"{news}p2/", f"{news}p3/"]
    b.listing(pages, items, "Новости", "day", pager(pages),
              head=lambda i: f'<link rel="next" href="{pages[i + 1]}">' if i < 2 else "")
    b.home(items)
    return b.finish(r"/ru/press-center/news/item-\d{4}-\d{2}-\d{2}-\d+/$")


def feedonly(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "feedonly", "ru", "Озёрская правда",
                    [("Главная", "/"), ("О газете", "/about/"), ("Архив", "/archive/"),
                     ("Реклама", "/ads/")],
                    "Only a feed, announced in <link rel=alternate> (/export/news.xml); no "
                    "sitemap; the archive listing is not labelled as news")
    items = [(f"/content/{s.id}-{s.slug}", s) for s in stories("ru", 6, 10, 5610)]
    head = alternate("/export/news.xml", "Озёрская правда: новости")
    for path, s in items:
        b.article(path, s, dateline(s.when, "dotted_time", "ru"), head=head)
    pages = ["/archive/", "/archive/?p=2"]
    b.listing(pages, items, "Архив", "dotted_time", pager(pages, "Вперёд"), head=lambda i: head)
    b.home(items, head=head)
    b.serve("/export/news.xml", rss("Озёрская правда", b.url("/"),
                                    [(b.url(p), s) for p, s in items]), RSS)
    return b.finish(r"/content/\d+-[^/]+$")


def listingsonly(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "listingsonly", "uk", "Озерненська міська рада",
                    [("Головна", "/"), ("Міська рада", "/rada/"), ("Новини", "/novyny/"),
                     ("Звернення", "/zvernennia/")],
                    "Ukrainian, no feed, no sitemap (robots.txt without Sitemap, /sitemap.xml "
                    "404): listing /novyny/ with \"Далі\" pagination")
    items = [(f"/novyny/{s.slug}-{s.id}.html", s) for s in stories("uk", 7, 11, 2750)]
    for path, s in items:
        b.article(path, s, dateline(s.when, "long", "uk"))
    pages = ["/novyny/", "/novyny/page/2/", "/novyny/page/3/"]
    b.listing(pages, items, "Новини", "long", pager(pages, "Далі →", "pages"))
    b.home(items)
    b.robots("User-agent: *\nDisallow: /admin/\n")
    return b.finish(r"/novyny/[^/]+-\d+\.html$")


def newssitemap(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "newssitemap", "ru", "Озёрск Онлайн",
                    [("Афиша", "/afisha/"), ("Погода", "/pogoda/"), ("Все материалы", "/text/")],
                    "Only a Google News sitemap announced in robots.txt; no feed; no link "
                    "labelled as news")
    items = [(f"/text/{s.when:%Y/%m/%d}/{s.id}/", s) for s in stories("ru", 8, 12, 73410)]
    for path, s in items:
        b.article(path, s, dateline(s.when, "long", "ru"), head=meta_time(s))
    pages = ["/text/", "/text/?page=2", "/text/?page=3"]
    b.listing(pages, items, "Все материалы", "long", pager(pages, "Следующая страница →"))
    b.home(items)
    b.robots("User-agent: *\nDisallow: /search/\nSitemap: {base}/sitemap-news.xml\n")
    b.serve("/sitemap-news.xml", news_sitemap("Озёрск Онлайн", "ru",
                                              [(b.url(p), s) for p, s in items]), XML)
    return b.finish(r"/text/\d{4}/\d{2}/\d{2}/\d+/$")


def mixed(web: FaultWeb) -> CmsSite:
    b = SiteBuilder(web, "mixed", "ru", "Новости Кировского района",
                    [("Новости", "/news/"), ("Афиша", "/events/"), ("Фото", "/photo/"),
                     ("Редакция", "/author/")],
                    "The listing mixes articles with tag, author, event and photo-gallery pages; "
                    "a sitemap from robots.txt lists them all")
    items = [(f"/news/{s.when:%Y/%m/%d}/{s.slug}-{s.id}", s) for s in stories("ru", 9, 12, 640)]
    for path, s in items:
        b.article(path, s, dateline(s.when, "dotted_time", "ru").replace(" ", ", "))
    others = {"/tag/transport": ("Транспорт", "tag"), "/tag/zhkh": ("ЖКХ", "tag"),
              "/author/ivanov": ("Иван Иванов", "author"),
              "/author/smirnova": ("Ольга Смирнова", "author"),
              "/events/2026-11-25-forum": ("Форум предпринимателей", "event"),
              "/events/2026-12-01-yarmarka": ("Новогодняя ярмарка", "event"),
              "/photo/2026-11-18-den-goroda": ("День города: фоторепортаж", "photo")}
    links = "".join(f'<a href="{p}">{escape(t)}</a> ' for p, (t, _) in others.items())
    for path, (title, kind) in others.items():
        body = {"tag": link_list(items[:5]),
                "author": "<p>Корреспондент.</p>" + link_list(items[5:8]),
                "event": "<p>25.11.2026, 11:00, Дом культуры. Вход свободный.</p>",
                "photo": "".join(f'<figure><img src="/upload/photo/{n}.jpg" alt=""><figcaption>'
                                 f"Фото {n}</figcaption></figure>" for n in range(1, 9))}[kind]
        b.html(path, title, f"<h1>{escape(title)}</h1>{body}")
    pages = ["/news/", "/news/?page=2"]
    b.listing(pages, items, "Новости", "dotted_time", pager(pages, "Далее"),
              extra=lambda i: f'<div class="rubrics">{links}</div>')
    b.home(items)
    b.robots("User-agent: *\nDisallow:\nSitemap: {base}/sitemap.xml\n")
    b.serve("/sitemap.xml", urlset([(b.url(p), None) for p in [p for p, _ in items]
                                    + list(others)]), XML)
    return b.finish(r"/news/\d{4}/\d{2}/\d{2}/[^/]+-\d+$")


BUILDERS: tuple[Callable[[FaultWeb], CmsSite], ...] = (
    bitrix, dle, wordpress, joomla, drupal, govsub, feedonly, listingsonly, newssitemap, mixed)


class CmsWeb:
    """Every site of the fixture web, each on its own 127.0.0.N, started on entry."""

    def __init__(self) -> None:
        self.web = FaultWeb()
        self.sites: dict[str, CmsSite] = {}

    def __enter__(self) -> CmsWeb:
        self.web.__enter__()
        for build in BUILDERS:
            site = build(self.web)
            self.sites[site.name] = site
        return self

    def __exit__(self, *exc: object) -> None:
        self.web.__exit__(*exc)
