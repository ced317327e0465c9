"""The article's title: the heading that the page's own title tags agree with.

A page names its article three times: in ``<title>`` (usually with the site's name
around it), in ``og:title`` and in a heading. The heading is the cleanest, but a
page has many (the site's logo is often the only ``<h1>``; blogs put the post's
title in an ``<h2>``); the heading we want is the one the title tags agree with.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

from aggregator.strings import squash

MIN_TITLE_CHARS = 3
AGREE_SHARE = 0.6       # the shorter of heading and title tag is at least this share of the other
# What sites put between an article's title and their own name.
_SITE_SEPARATOR = re.compile(r"\s+[|—–»«:/-]+\s+|\s*::\s*")


def pick_title(tree: lxml.html.HtmlElement, meta_title: str | None) -> str | None:
    """The article's title; ``meta_title`` is what the metadata readers proposed."""
    page_title = squash(tree.findtext(".//title") or "")
    social = squash(next(iter(tree.xpath(
        "//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content")),
        ""))
    references = [r for r in (social, page_title, squash(meta_title or "")) if r]
    headings = [(h, t) for tag in ("h1", "h2", "h3")
                for h in tree.iter(tag) for t in [squash(h.text_content())]
                if len(t) >= MIN_TITLE_CHARS]
    for _, text in headings:                 # nearly the whole title tag: h1 before h2
        if any(_nearly(text, r) for r in references):
            return text
    # One part of "Title | Site": the site's name is a part too (a logo heading), and
    # the shorter one as a rule, so the longest part that is a heading is the title.
    # An <h3> saying one part is a series' name in a list of its other episodes.
    # A heading that links to the home page is the site's logo.
    parts = [t for h, t in headings if h.tag != "h3" and not _is_logo(h)
             and any(_is_part(t, r) for r in references)]
    if parts:
        return max(parts, key=len)
    if meta_title and squash(meta_title):
        return strip_site_name(squash(meta_title))
    h1s = [t for t in (squash(h.text_content()) for h in tree.iter("h1"))
           if len(t) >= MIN_TITLE_CHARS]
    if h1s:
        return max(h1s, key=len)
    return strip_site_name(page_title) or None


def strip_site_name(title: str) -> str:
    """The longest part of a title tag split at its separators ("Title | Site")."""
    parts = [p for p in _SITE_SEPARATOR.split(title) if p.strip()]
    return max(parts, key=len).strip() if len(parts) > 1 else title


def _is_logo(heading: lxml.html.HtmlElement) -> bool:
    links = [*heading.iter("a"), *(a for a in heading.iterancestors("a"))]
    return any(urlsplit(a.get("href") or "").path in ("", "/", "/index.html", "/index.php")
               and not urlsplit(a.get("href") or "").query for a in links)


def _nearly(heading: str, reference: str) -> bool:
    a, b = heading.casefold(), reference.casefold()
    return min(len(a), len(b)) >= AGREE_SHARE * max(len(a), len(b)) and (a in b or b in a)


def _is_part(heading: str, reference: str) -> bool:
    parts = [p.strip() for p in _SITE_SEPARATOR.split(reference.casefold())]
    return len(parts) > 1 and heading.casefold() in (parts[0], parts[-1])
