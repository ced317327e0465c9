"""Sloppy and broken sitemaps read as well as they can be, their limits said out loud
(memory and time: tests/test_documents_bombs.py)."""

import gzip
import io
import random

import pytest

from aggregator.crawl import xmlsafe
from aggregator.crawl.discovery import MAX_SITEMAP_URLS, parse_sitemap
from aggregator.crawl.xmlsafe import SafeXMLReader
from tests.faultpages import urlset

SITEMAP = "http://127.0.0.1:8000/sitemap.xml"


def locs(body: bytes) -> list[tuple[str, str | None]]:
    doc = parse_sitemap(body, SITEMAP)
    assert doc.truncated is None, doc.truncated
    return [(link.url, link.updated) for link in doc.links]


@pytest.mark.parametrize("body, expected", [
    (b"<urlset><url><loc>http://127.0.0.1:8000/a</loc></url></urlset>",     # no namespace
     [("http://127.0.0.1:8000/a", None)]),
    (b"<urlset><url>\n  <loc>\n   http://127.0.0.1:8000/a  \n</loc>\n <lastmod> 2026-11-20 "
     b"</lastmod>\n</url></urlset>", [("http://127.0.0.1:8000/a", "2026-11-20")]),
    (b"<urlset><url><loc>http://127.0.0.1:8000/a?id=1&lang=ru&amp;p=2&#38;q=3</loc></url>"
     b"<url><loc><![CDATA[http://127.0.0.1:8000/b?x=1&y=2]]></loc></url></urlset>",
     [("http://127.0.0.1:8000/a?id=1&lang=ru&p=2&q=3", None),
      ("http://127.0.0.1:8000/b?x=1&y=2", None)]),
    (b'\xef\xbb\xbf\r\n\r\n  <?xml version="1.0" encoding="UTF-8"?>\n<!-- generated -->\n'
     b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a</loc>'
     b"<lastmod>2026-11-20T10:00+03:00</lastmod></url><url><loc>/b</loc><lastmod>"
     b"2026-11-20 10:00:00</lastmod></url><url><loc>/c</loc><lastmod>20.11.2026</lastmod>"
     b"</url></urlset>",
     [("http://127.0.0.1:8000/a", "2026-11-20T10:00+03:00"),
      ("http://127.0.0.1:8000/b", "2026-11-20 10:00:00"),
      ("http://127.0.0.1:8000/c", "20.11.2026")]),
    (b"<sm:urlset><sm:url><sm:loc>http://127.0.0.1:8000/a</sm:loc></sm:url></sm:urlset>",
     [("http://127.0.0.1:8000/a", None)]),                                  # undeclared prefix
    (b'<urlset xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url>'
     b"<image:image><image:loc>http://127.0.0.1:8000/i.jpg</image:loc></image:image>"
     b"<loc>http://127.0.0.1:8000/a</loc></url><url><lastmod>2026</lastmod></url></urlset>",
     [("http://127.0.0.1:8000/a", None)]),                # an image's loc is not the page's
])
def test_sloppy_sitemaps(body, expected):
    assert locs(body) == expected


def test_news_fields_with_html_entities():
    body = ('<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
            "<loc>http://127.0.0.1:8000/a</loc><news:news><news:publication><news:name>"
            "Портал</news:name></news:publication><news:publication_date>2026-11-18"
            "</news:publication_date><news:title>Семинар&nbsp;&laquo;ИТ&raquo;</news:title>"
            "</news:news></url></urlset>").encode()
    (link,) = parse_sitemap(body, SITEMAP).links
    assert (link.published, link.title) == ("2026-11-18", "Семинар\xa0«ИТ»")


@pytest.mark.parametrize("extra, truncated", [(0, None), (1, "more than 50000 entries")])
def test_the_50000_entry_limit_is_said(extra, truncated):
    count = MAX_SITEMAP_URLS + extra
    doc = parse_sitemap(urlset([f"http://127.0.0.1:8000/news/{i}" for i in range(count)]),
                        SITEMAP)
    assert len(doc.links) == MAX_SITEMAP_URLS
    assert doc.links[-1].url == f"http://127.0.0.1:8000/news/{MAX_SITEMAP_URLS - 1}"
    assert (doc.truncated or None) == truncated or truncated in doc.truncated


def test_a_cut_off_sitemap_keeps_its_whole_entries_and_says_so():
    doc = parse_sitemap(b"<urlset><url><loc>http://127.0.0.1:8000/a</loc></url><url><loc>"
                        b"http://127.0.0.1:8000/b", SITEMAP)
    assert [link.url for link in doc.links] == ["http://127.0.0.1:8000/a"]
    assert doc.truncated.startswith("the document ends before its </urlset>")


def random_sitemap_gz(count: int) -> tuple[bytes, list[str]]:
    rng = random.Random(15)
    urls = [f"http://127.0.0.1:8000/news/{rng.getrandbits(64)}" for _ in range(count)]
    return gzip.compress(urlset(urls)), urls


def test_a_truncated_gzip_keeps_the_entries_before_the_cut():
    body, urls = random_sitemap_gz(5000)
    doc = parse_sitemap(body[:len(body) // 2], SITEMAP + ".gz")
    assert 1000 < len(doc.links) < 5000
    assert [link.url for link in doc.links] == urls[:len(doc.links)]      # none cut short
    assert "truncated .gz" in doc.truncated
    whole = parse_sitemap(body[:-4], SITEMAP + ".gz")        # only the checksum is missing
    assert len(whole.links) == 5000 and "truncated .gz" in whole.truncated


def test_a_corrupt_gzip_keeps_the_entries_before_the_damage():
    body, urls = random_sitemap_gz(5000)
    damaged = bytearray(body)
    damaged[len(body) // 2] ^= 0xFF
    doc = parse_sitemap(bytes(damaged), SITEMAP + ".gz")
    assert doc.links and "corrupt compressed data" in doc.truncated
    assert [link.url for link in doc.links[:1000]] == urls[:1000]


@pytest.mark.parametrize("body, message", [
    (b"", "not an XML sitemap"),
    (b"\x1f\x8b\x08\x00", "not an XML sitemap: .*compressed data ends early"),
    (b"<html><body>" + b"<p>page</p>" * 100_000 + b"</body></html>", "root element <html>"),
])
def test_unreadable_sitemaps_are_value_errors(body, message):
    with pytest.raises(ValueError, match=message):
        parse_sitemap(body, SITEMAP)


def test_safe_reader_gives_the_same_bytes_whatever_the_chunks(monkeypatch):
    doc = (b'\n <?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "x">\n<!-- ] > -->\n]>\n'
           b'<rss><a href="?a=1&b=2">&lang=ru &nbsp; &#38; &#0; &big; <![CDATA[x&y]]> '
           b"<!-- & --></a>" + b"&amp;&&lt;&x;" * 40 + b"</rss>")
    expected = (b'<?xml version="1.0"?><rss><a href="?a=1&amp;b=2">&amp;lang=ru &#160; &#38; '
                b"&amp;#0; &amp;big; <![CDATA[x&y]]> <!-- & --></a>"
                + b"&amp;&amp;&lt;&amp;x;" * 40 + b"</rss>")
    for size in range(1, 120):
        monkeypatch.setattr(xmlsafe, "CHUNK", size)
        reader, got = SafeXMLReader(io.BytesIO(doc)), b""
        while chunk := reader.read(size):
            got += chunk
        assert got == expected, size
