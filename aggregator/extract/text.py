"""Cleaning what trafilatura extracted, and bounding what it is given: the page's second
copies of a block, referral lines, trailing link runs, share bars and hidden boxes, the
cut of a text past the maximum length."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import lxml.html

from aggregator.dates.parse import DEFAULT_LANGUAGES, find_date
from aggregator.strings import squash


def cut_text(text: str, limit: int) -> tuple[str, int | None]:
    """The text cut at the last paragraph end within ``limit`` characters (mid-paragraph
    when the first is longer), and its length before the cut; (text, None) if it fits."""
    if len(text) <= limit:
        return text, None
    end = text.rfind("\n\n", 0, limit + 1)
    return text[:end if end > 0 else limit].rstrip(), len(text)


# Elements whose text no reader sees: a page may carry megabytes of them (inline data).
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def bound_page(tree: lxml.html.HtmlElement, limit: int) -> int | None:
    """Cut the page after ``limit`` characters of its visible text, in document
    order; return that text's length before the cut (None: it was not that long)."""
    seen = 0
    cut_at = None
    for el in tree.iter():
        seen += len(el.tail or "") + (0 if el.tag in _INVISIBLE else len(el.text or ""))
        if cut_at is None and seen > limit:
            cut_at = el
    if cut_at is None:
        return None
    node = cut_at
    while node is not None:                 # drop everything that follows it
        parent = node.getparent()
        if parent is None:
            break
        for later in list(node.itersiblings()):
            parent.remove(later)
        node = parent
    for child in list(cut_at):
        cut_at.remove(child)
    return seen


def clean_text(text: str, title: str | None = None, languages: Sequence[str] = (),
                tz: str | None = None, fetched_at: datetime | None = None) -> str:
    """Paragraphs separated by blank lines; a leading title or dateline repeat dropped."""
    paragraphs = [squash(p) for p in (text or "").split("\n")]
    paragraphs = [p for p in paragraphs if p and not _MACHINE_LINE.match(p)
                  and not _REFERRAL.match(p)]
    paragraphs = _without_copied_blocks(paragraphs)
    squashed_title = squash(title or "")
    while paragraphs and (paragraphs[0] == squashed_title
                          or _is_dateline(paragraphs[0], languages, tz, fetched_at)):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


COPIED_PAIR_MIN_CHARS = 120        # a run of paragraphs shorter than this is no copy


# A line that only a machine reads: a bare timestamp or a dash (hidden microdata).
_MACHINE_LINE = re.compile(r"^(?:\d{4}-\d\d-\d\dT[\d:.+-]+Z?|[^\w]+)$")


# "Read more: <another story>", "Читайте также: ...": a pointer to another article.
_REFERRAL = re.compile(r"^(?:read more|related|see also|more on this|читайте также|"
                       r"читайте також|смотрите также|дивіться також|по теме|на тему)"
                       r"\s*[:—–-].{0,160}$", re.IGNORECASE)


def _without_copied_blocks(paragraphs: list[str]) -> list[str]:
    """Paragraphs minus the page's second copies of a block (mobile/AMP twins, previews).

    A copy is a run of two or more paragraphs seen earlier in the same order, or one
    long paragraph seen before; a short one said twice (an interview's recurring
    question) is the author's, and so is a pair of short labels said again (a meal
    plan's "Breakfast" / "Oats" under every day).
    """
    seen: set[str] = set()
    first_at: dict[tuple[str, str], int] = {}
    for i in range(len(paragraphs) - 1):
        first_at.setdefault((paragraphs[i], paragraphs[i + 1]), i)

    def copied(pair: tuple[str, str], i: int) -> bool:
        return first_at[pair] < i and len(pair[0]) + len(pair[1]) >= COPIED_PAIR_MIN_CHARS

    kept = []
    for i, paragraph in enumerate(paragraphs):
        after = i + 1 < len(paragraphs) and copied((paragraph, paragraphs[i + 1]), i)
        before = i > 0 and copied((paragraphs[i - 1], paragraph), i - 1)
        if not (after or before or (len(paragraph) >= 200 and paragraph in seen)):
            kept.append(paragraph)
        seen.add(paragraph)
    return kept


def drop_trailing_links(text: str, link_texts: set[str]) -> str:
    """The text without the run of link-only paragraphs at its end ("more stories")."""
    paragraphs = text.split("\n\n")
    long_links = [t for t in link_texts if len(t) >= 15]
    while len(paragraphs) > 1:
        last = paragraphs[-1].lstrip("-–—•· ")
        if len(last) > 300 or _linked_chars(last, long_links) < 0.7 * len(last):
            break
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def link_share(text: str, link_texts: set[str]) -> float:
    """How much of the text is the text of links: high on listings, low on articles."""
    long_links = [t for t in link_texts if len(t) >= 20]
    linked = 0
    for paragraph in text.split("\n\n"):
        if paragraph in link_texts:
            linked += len(paragraph)
        elif len(paragraph) < 600:
            linked += min(len(paragraph), _linked_chars(paragraph, long_links))
    return linked / max(1, len(text))


def _linked_chars(paragraph: str, links: list[str]) -> int:
    return sum(len(t) for t in links if t in paragraph)


def _is_dateline(paragraph: str, languages: Sequence[str], tz: str | None,
                 fetched_at: datetime | None) -> bool:
    if len(paragraph) > 40:
        return False
    found = find_date(paragraph, languages=languages or DEFAULT_LANGUAGES, timezone=tz,
                      fetched_at=fetched_at)
    return found is not None and len(paragraph) - (found.end - found.start) < 12


# Share bars, social buttons and subscription boxes: never article text.
_BOILERPLATE = re.compile(r"(?:^|[\s_-])(?:share|sharing|social|socials|subscribe|newsletter|"
                          r"signup|likes|print-?version)(?:$|[\s_-])", re.IGNORECASE)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# Only elements with a class, id or style can be boilerplate by name or hidden.
_NAMED_OR_STYLED = lxml.etree.XPath("//*[@class or @id or @hidden or @style]")


def drop_boilerplate(tree: lxml.html.HtmlElement) -> None:
    doomed = [el for el in _NAMED_OR_STYLED(tree)
              if (_BOILERPLATE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
                  and len(el.text_content()) < 400)
              or ((el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""))
                  and len(el.text_content()) < 1000)]      # not a JS-revealed body
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
