"""Hostile and sloppy feeds: links as written, entities never expanded, ill-formed feeds
reported as such (memory and time: tests/test_documents_bombs.py)."""

import json

import pytest

from aggregator.crawl.discovery import FeedLinks, parse_feed

FEED = "http://127.0.0.1:8000/news/rss"


def rss(*items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (f'{head}<rss version="2.0"><channel><title>Новости</title>{"".join(items)}'
            "</channel></rss>").encode()


def item(link: str, title: str = "Заголовок", extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


ODD_LINKS = [   # as written in the feed -> the URL meant
    ("http://127.0.0.1:8000/news/1?id=1&lang=ru", "http://127.0.0.1:8000/news/1?id=1&lang=ru"),
    ("http://127.0.0.1:8000/news/2?a=1&amp;lang=ru", "http://127.0.0.1:8000/news/2?a=1&lang=ru"),
    ("http://127.0.0.1:8000/news/3?a=1&#38;b=2&#x26;c=3", "http://127.0.0.1:8000/news/3?a=1&b=2&c=3"),
    ("http://127.0.0.1:8000/news/4?x=1&copy=2&not=3", "http://127.0.0.1:8000/news/4?x=1&copy=2&not=3"),
    ("<![CDATA[http://127.0.0.1:8000/news/5?id=5&lang=uk]]>", "http://127.0.0.1:8000/news/5?id=5&lang=uk"),
]


@pytest.mark.parametrize("ill_formed", [False, True], ids=["strict parser", "loose parser"])
def test_links_are_kept_as_written(ill_formed):
    # An unclosed <br> elsewhere sends feedparser to its loose parser: links must hold there too.
    broken = item("http://127.0.0.1:8000/news/9", title="Раз<br>два") if ill_formed else ""
    links = parse_feed(rss(*(item(written) for written, _ in ODD_LINKS), broken), FEED)
    assert [link.url for link in links][:len(ODD_LINKS)] == [meant for _, meant in ODD_LINKS]
    assert (links.problem is not None) == ill_formed


def test_html_entities_in_titles_and_undefined_ones_read_as_written():
    links = parse_feed(rss(item("/news/1", title="Губернатор&nbsp;&laquo;за&raquo; &amp; &big; "
                                                  "&#8212; &#0;")), FEED)
    assert links.problem is None          # well-formed once the references are repaired
    assert links[0].title == "Губернатор\xa0«за» & &big; — &#0;"
    assert links[0].url == "http://127.0.0.1:8000/news/1"


def test_doctype_entities_are_never_expanded():
    head = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY title "Expanded">'
            '<!ENTITY % pe "x"> <!-- ] > --> <!ENTITY q \'a"]>"b\'>]>')
    (link,) = parse_feed(rss(item("/news/1?id=1&lang=ru", title="&title; &q;"), head=head), FEED)
    assert link.title == "&title; &q;"
    assert link.url == "http://127.0.0.1:8000/news/1?id=1&lang=ru"


def test_encodings_bom_and_control_characters():
    body = ("\ufeff\n  " + rss(item("/news/1", title="Сов\x01ещание\x08")).decode()).encode()
    (link,) = parse_feed(body, FEED)
    assert (link.title, link.url) == ("Совещание", "http://127.0.0.1:8000/news/1")
    lying = rss(item("/news/2", title="Совещание")).decode().encode("cp1251")   # says utf-8
    assert parse_feed(lying, FEED)[0].title == "Совещание"


@pytest.mark.parametrize("body, message", [
    (b"<html><body><p>Not a feed</body></html>", "ill-formed feed, no entry could be read"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a',
     "ill-formed feed, no entry could be read: line"),
    (b'<?xml version="1.0"?><config><value>1</value></config>', "not an RSS, Atom or RDF feed"),
    (b"   ", "empty feed document"),
    (b'{"items": ' + b"[" * 200_000, "not a JSON Feed: nested too deeply"),
    (b'{"version": "https://jsonfeed.org/version/1.1"}', "no 'items' list"),
    (b"{" + b'"a":{' * 100_000, "not a JSON Feed: nested too deeply"),
])
def test_unreadable_feeds_are_value_errors_that_say_why(body, message):
    with pytest.raises(ValueError, match=message):
        parse_feed(body, FEED)


def test_a_well_formed_empty_feed_has_no_entries_and_no_problem():
    links = parse_feed(rss(), FEED)
    assert isinstance(links, FeedLinks) and links == [] and links.problem is None


def test_entries_read_past_an_error_are_returned_with_the_problem():
    body = rss(item("/news/1"), item("/news/2")).replace(b"</channel></rss>", b"<item><title>")
    links = parse_feed(body, FEED)
    assert [link.url for link in links] == ["http://127.0.0.1:8000/news/1",
                                            "http://127.0.0.1:8000/news/2"]
    assert links.problem.startswith("ill-formed feed, entries read past it: line")


def test_a_body_that_is_a_file_path_is_not_opened(tmp_path):
    local = tmp_path / "feed.xml"
    local.write_bytes(rss(item("http://127.0.0.1:8000/secret")))
    with pytest.raises(ValueError, match="ill-formed feed"):
        parse_feed(str(local).encode(), FEED)


def test_json_feed_with_odd_values_keeps_what_it_can():
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"url": "/news/1", "date_published": 20260101, "title": ["x"]}, "junk",
        {"url": 5}, {"external_url": "https://we-gov.org/news/2"}]}).encode()
    links = parse_feed(b"\xef\xbb\xbf" + body, "https://we-gov.org/feed.json")
    assert [(link.url, link.published, link.title) for link in links] == [
        ("https://we-gov.org/news/1", None, None), ("https://we-gov.org/news/2", None, None)]
