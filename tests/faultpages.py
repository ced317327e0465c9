"""Documents for the fault tests: ordinary articles, feeds and sitemaps, and the
pathological ones (entity bombs, endless indexes, 10 MB articles)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WORDS = ("правительство", "область", "цифровые", "услуги", "совещание", "губернатор",
         "МФЦ", "программа", "поддержка", "граждан", "развитие", "портал", "заявление",
         "проект", "министерство", "бюджет", "решение", "жители", "район", "школа")


def paragraphs(seed: int, count: int = 4) -> list[str]:
    """Distinct, article-like Russian paragraphs (no two seeds share a sentence)."""
    out = []
    for p in range(count):
        words = [WORDS[(seed * 7 + p * 3 + i * (seed % 5 + 1)) % len(WORDS)] for i in range(18)]
        out.append(f"Статья {seed}, абзац {p + 1}: " + " ".join(words).capitalize() + ".")
    return out


def article_html(seed: int, *, title: str | None = None, date: str | None = "2026-11-20",
                 canonical: str | None = None, meta_charset: str | None = "utf-8",
                 body_paragraphs: Sequence[str] | None = None) -> str:
    title = title or f"Новость номер {seed}: совещание о цифровых услугах"
    head = [f'<meta charset="{meta_charset}">' if meta_charset else "",
            f"<title>{escape(title)}</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    dateline = f'<time datetime="{date}">{date}</time>' if date else ""
    text = "".join(f"<p>{escape(p)}</p>" for p in (body_paragraphs or paragraphs(seed)))
    return (f"<!DOCTYPE html><html lang='ru'><head>{''.join(head)}</head><body>"
            f"<header><a href='/'>Портал</a></header>"
            f"<article><h1>{escape(title)}</h1>{dateline}{text}</article>"
            f"<footer>© 2026 Портал</footer></body></html>")


def rss(links: Sequence[str], dates: Sequence[str] | None = None) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{escape(url)}</link>"
        + (f"<pubDate>{dates[i]}</pubDate>" if dates else "") + "</item>"
        for i, url in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Новости</title>{items}</channel></rss>").encode()


def urlset(links: Sequence[str | tuple[str, str | None]]) -> bytes:
    """A sitemap urlset; a link may come with its lastmod: (loc, lastmod or None)."""
    pairs = [(link, None) if isinstance(link, str) else link for link in links]
    body = "".join(f"<url><loc>{escape(url)}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
                   for url, lastmod in pairs)
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{body}</urlset>').encode()


def sitemap_index(links: Sequence[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in links)
    return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{body}</sitemapindex>').encode()


def quadratic_entity_feed(article_url: str, size: int = 200_000) -> bytes:
    """An RSS feed of about ``size`` bytes whose DTD defines one long entity and whose
    entry repeats it: a parser that expands entities builds size**2 / 6 bytes
    (a 200 KB feed: several GB)."""
    value = "x" * (size // 4)
    refs = "&big;" * ((size // 2) // 5)
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "{value}">\n]>\n'
            f'<rss version="2.0"><channel><title>Новости</title>'
            f"<item><title>Quadratic</title><description>{refs}</description>"
            f"<link>{escape(article_url)}</link></item></channel></rss>").encode()


def billion_laughs(root: str = "urlset", levels: int = 10) -> bytes:
    """The classic nested-entity bomb, as a sitemap (or any root element)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    ns = ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' if root == "urlset" else ""
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>\n"
            f"<{root}{ns}><url><loc>http://127.0.0.1/&lol{levels - 1};</loc></url></{root}>"
            ).encode()


def huge_article(paragraph_count: int = 20_000) -> bytes:
    """A 10 MB article page (9.2 MB, under the 10 MiB download cap): one headline, a
    date, ``paragraph_count`` paragraphs."""
    para = ("Правительство области сообщило о новых мерах поддержки граждан и бизнеса, "
            "включая цифровые услуги, МФЦ и портал госуслуг. ") * 2
    body = "".join(f"<p>{i}. {para}</p>\n" for i in range(paragraph_count))
    return ("<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'>"
            "<title>Отчёт правительства области за год</title></head><body>"
            "<article><h1>Отчёт правительства области за год</h1>"
            "<time datetime='2026-11-20'>20 ноября 2026</time>"
            f"{body}</article></body></html>").encode()
