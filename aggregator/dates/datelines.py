"""Finding an article's own dateline in its page.

A news page shows many dates: the article's dateline, but also a header clock,
"latest news" sidebars, "this day in history" blocks, comments and copyright lines.
The dateline is sought near the article's title first (the title's siblings, then
its ancestors' siblings, a few levels up), then among date-like elements of the
main content. What is chrome, and where the title heading is, is judged by
:mod:`aggregator.dates.chrome`; this module reads the datelines it leaves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import lxml.etree
import lxml.html

from aggregator.dates.chrome import (
    HISTORY_TEXT,
    WORDS,
    PageChrome,
    class_and_id,
    is_modified,
    siblings_by_distance,
    text_without,
)
from aggregator.dates.parse import FoundDate
from aggregator.strings import squash

DATELINE_MAX_CHARS = 90            # a dateline is short; longer text is prose citing a date
PLAIN_MAX_LETTERS, PLAIN_MAX_WORDS = 24, 5   # words beside the date: "Опубликовано:", a name
NAMED_MAX_LETTERS, NAMED_MAX_WORDS = 60, 8   # more in an element named "date", "meta", "info"
NEAR_LEVELS = 6                    # the title, its parent, ...: how far up the dateline is sought
CLOSE_LEVELS = 4                   # the title's siblings and its parent's: its own header
NEAR_SUBTREE = 80                  # elements looked at inside one sibling

_TODAY_START = re.compile(r"^(?:сегодня|сьогодні|today|сейчас|зараз|now)\b", re.IGNORECASE)
_UPDATED = re.compile(r"обновлен|оновлен|изменен|змінен|отредакт|відредаг|updated|modified|"
                      r"edited|last update|reviewed|revised", re.IGNORECASE)
_DATE_NAMES = re.compile(r"date|time|publish|posted|pubdate|meta|info|byline|дата",
                         re.IGNORECASE)
# A label that says the date after it is the publication's: "Published:", "Опубликовано".
_PUBLISHED_LABEL = re.compile(
    r"(?:date\s+)?(?:published|posted|publish date|publication date|date of publication|"
    r"опубликовано|"
    r"дата публикации|опубліковано|дата публікації|veröffentlicht|erschienen|"
    r"erscheinungsdatum|publié|publicado|pubblicato)(?:\s+(?:on|am|le|el|il))?\s*:?",
    re.IGNORECASE)
# A label that says the date after it is something else's: a recording, an event, data.
_OTHER_LABEL = re.compile(r"\b(?:recorded|as of|event date|deadline|valid until|expires|"
                          r"termin|записано|записан)\b", re.IGNORECASE)
# "This article was originally published on ...": the page says which date is first.
_ORIGINALLY = re.compile(r"(?:originally|first) published|впервые опубликован|"
                         r"вперше опубліковано|ursprünglich (?:veröffentlicht|erschienen)|"
                         r"erstmals (?:veröffentlicht|erschienen)")     # on lowercased text
_ORIGINALLY_WORDS = ("published", "опубликован", "опубліковано", "veröffentlicht", "erschienen")
ORIGINALLY_MAX_CHARS = 300         # the sentence that says it, not a paragraph of prose
_CONTAINER_NAMES = re.compile(r"article|content|post|entry|news|material", re.IGNORECASE)

Find = Callable[[str | None], FoundDate | None]


class DatelineScan:
    """One page's dateline: beside its title heading, outside chrome."""

    def __init__(self, tree: lxml.html.HtmlElement, title: str | None,
                 find: Find) -> None:
        self.tree = tree
        self.find = find
        self.chrome = PageChrome(tree, title)
        self.heading = self.chrome.heading
        self.heading_line = self.chrome.heading_line

    def is_chrome(self, el: lxml.html.HtmlElement, hard_only: bool = False) -> bool:
        """Whether the element sits in site chrome (see :meth:`PageChrome.is_chrome`)."""
        return self.chrome.is_chrome(el, hard_only=hard_only)

    def dateline(self) -> str | None:
        """The article's own date: beside its title first, then in the main content."""
        seen: set = set()
        if self.heading is not None:
            close_parents = self._close_parents(self.heading)
            for _, item in self._near_title(self.heading):
                if isinstance(item, str):
                    value = self._text_date(item, named=False)
                else:
                    value = self._date_in(item, seen,
                                          close=item.getparent() in close_parents)
                if value:
                    return value
        for el in self._content_candidates():
            if el not in seen and not self.is_chrome(el):
                value = self._date_of(el)
                if value:
                    return value
        return self.labelled_date()

    def labelled_date(self) -> str | None:
        """A date outside chrome that a label calls the publication's ("Published: ...").

        The label and the date share an element ("Published March 9, 2026") or a line
        of one ("Letzte Änderung: ...<br>Erschienen am: 01.11.2023"), or the label is
        an element of its own and the date is in the next one
        (``<h4>Published</h4><div>July 8, 2025</div>``).
        """
        for host, text, after in self._labelled_texts():
            label = _PUBLISHED_LABEL.match(text)
            if label and label.end() == len(text):          # the label alone
                while after is not None and _PUBLISHED_LABEL.fullmatch(
                        squash(after.text_content())):
                    after = after.getnext()         # "Published", then "Publish date"
                text = squash(after.text_content()) if after is not None else ""
                label = None
            # A labelled date in a byline box or an article's <aside> is still the
            # article's: of chrome only the hard kind (menus, sidebars, lists) is skipped.
            if not text or len(text) > DATELINE_MAX_CHARS \
                    or self.is_chrome(host, hard_only=True):
                continue
            rest = text[label.end():] if label else text
            found = self.find(rest)
            # The date right after its label: "Posted on <a link to elsewhere>" is no dateline.
            if found and len(WORDS.findall(rest[:found.start])) <= 1 \
                    and not self.chrome.in_news_list(host):
                return _with_stamp_time(found.value, host if label else after, self.find)
        return None

    def _labelled_texts(self) -> Iterator[tuple[lxml.html.HtmlElement, str,
                                                 lxml.html.HtmlElement | None]]:
        """(element, its text from the label on, what follows) for each text that starts
        with a publication label: an element's own text, or a line after a <br>."""
        for el in self.tree.iter(lxml.etree.Element):
            if el.tag in ("script", "style", "title", "option"):
                continue
            own = (el.text or "").strip()
            if own and _PUBLISHED_LABEL.match(own):
                yield el, squash(el.text_content()), el.getnext()
            for child in el:
                tail = (child.tail or "").strip()
                if tail and _PUBLISHED_LABEL.match(tail):
                    yield el, squash(tail), child.getnext()

    def original_date(self) -> str | None:
        """The date a page says its article was first published on, in so many words.

        Guides and evergreen stories are re-dated on every revision and say so:
        "This article was originally published on 26 Sep 2019 but has been updated".
        """
        body = self.tree.find("body")
        if body is None:
            return None
        text = body.text_content().lower()     # words first: the pattern is slow on pages
        if not any(word in text for word in _ORIGINALLY_WORDS) or not _ORIGINALLY.search(text):
            return None
        for el in body.iter(lxml.etree.Element):
            if el.tag in ("script", "style") or not any(
                    t and _ORIGINALLY.search(t.lower()) for t in (el.text, *(c.tail for c in el))):
                continue
            text = squash(el.text_content())
            said = _ORIGINALLY.search(text.lower())
            if said and len(text) <= ORIGINALLY_MAX_CHARS and not self.is_chrome(el):
                found = self.find(text[said.end():])
                if found:
                    return found.value
        return None

    def shows_outside_chrome(self, day: str) -> bool:
        """Whether the page states this day (YYYY-MM-DD) somewhere that is not chrome.

        Used to check a date proposed by another method: a day written only in a
        clock, a sidebar, a list of other headlines or a footer is not the article's.
        """
        years = (day[:4], day[2:4])
        for el in self.tree.iter(lxml.etree.Element):
            if el.tag in ("script", "style"):
                continue
            texts = []
            if not self.is_chrome(el):
                texts += [(el, t) for t in (el.get("datetime"), el.get("content"),
                                            el.get("title"), el.text)]
            parent = el.getparent()         # a tail is its parent's text: the date after
            if parent is not None and not self.is_chrome(parent):   # a "calendar" icon
                texts.append((parent, el.tail))
            for host, text in texts:
                if text and len(text) <= DATELINE_MAX_CHARS * 2 \
                        and any(y in text for y in years):
                    found = self.find(text)
                    if found and found.value[:10] == day and not self.chrome.in_news_list(el) \
                            and not self._labelled_otherwise(host, day):
                        return True
        return False

    def _labelled_otherwise(self, host: lxml.html.HtmlElement, day: str) -> bool:
        """Whether a short element says its date is a recording's, an event's, data's...

        An update date does pass: a page whose only date is "Updated Dec 9" was
        published by then, and its readers take that day for the article's.
        """
        text = squash(host.text_content())
        if len(text) > DATELINE_MAX_CHARS * 2:
            return False
        found = self.find(text)
        if found is None or found.value[:10] != day:
            return False
        label = _OTHER_LABEL.search(text)
        return label is not None and label.start() < found.start

    def _content_candidates(self) -> Iterator[lxml.html.HtmlElement]:
        """Date-like elements inside the main content, in document order (one cheap pass)."""
        inside: set = set()
        for el in self.tree.iter(lxml.etree.Element):
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if el.getparent() in inside or el.tag in ("article", "main") \
                    or el.get("itemprop") == "articleBody" or el.get("role") == "main" \
                    or _CONTAINER_NAMES.search(names):
                inside.add(el)
                if el.tag == "time" or el.get("datetime") is not None \
                        or _DATE_NAMES.search(f"{names} {el.get('itemprop') or ''}"):
                    yield el

    def _near_title(self, heading: lxml.html.HtmlElement
                    ) -> Iterator[tuple[int, str | lxml.html.HtmlElement]]:
        """The title's tail text, then its siblings, then its ancestors' siblings."""
        node = heading
        yield 0, node.tail or ""
        for level in range(NEAR_LEVELS):
            parent = node.getparent()
            if parent is None or node.tag in ("body", "html"):
                return
            if level == 0:
                yield 0, parent.text or ""
            for sibling in siblings_by_distance(node):
                yield level, sibling
                if level == 0:
                    yield 0, sibling.tail or ""
            node = parent

    def _close_parents(self, heading: lxml.html.HtmlElement) -> set:
        """The title's ancestors whose other children form the article's own header.

        Up to CLOSE_LEVELS levels, and never beyond the article's container
        (<article>, <main>, articleBody) nor at <body>, where the site's header is.
        """
        line = list(heading.iterancestors())[:CLOSE_LEVELS]
        for i, node in enumerate(line):
            if node.tag in ("article", "main") or node.get("itemprop") == "articleBody" \
                    or node.get("role") == "main":
                line = line[:i + 1]
                break
        return {node for node in line if node.tag not in ("body", "html")}

    def _date_in(self, root: lxml.html.HtmlElement, seen: set, close: bool) -> str | None:
        """The first dateline inside one block, skipping chrome and prose.

        A block right beside the title (``close``) is the article's header whatever its
        class says ("header-date", "meta-share-group", "widget"): only what is never a
        dateline's home (menus, comments, lists of other news, clocks) is skipped.
        """
        stack, looked = [root], 0
        while stack and looked < NEAR_SUBTREE:
            el = stack.pop()
            if not isinstance(el.tag, str) or el in seen or (
                    self.chrome.close_chrome(el) if close else self.is_chrome(el)):
                continue
            seen.add(el)
            looked += 1
            value = self._date_of(el)
            if value:
                return value
            stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
        return None

    def _date_of(self, el: lxml.html.HtmlElement) -> str | None:
        """The date this element states as a dateline, if it is one."""
        if el.tag in ("script", "style", "h1") or el in self.heading_line \
                or is_modified(el):
            return None
        text = text_without(el, self.chrome.hidden_changes)
        named = bool(_DATE_NAMES.search(f"{class_and_id(el)} {el.get('itemprop') or ''}"))
        stamp = el if el.tag == "time" or el.get("datetime") else None
        if stamp is None and len(text) <= DATELINE_MAX_CHARS:
            stamp = next((t for t in el.iter("time") if t.get("datetime")
                          and not is_modified(t) and not self.is_chrome(t)), None)
        value = None
        if stamp is not None:
            shown = squash(stamp.text_content())
            found = self.find(stamp.get("datetime")) or self.find(shown)
            value = found.value if found else None
            # <time datetime="2026-11-20"> showing "20.11.2026 14:30": keep the time.
            visible = self.find(shown) if value and "T" not in value else None
            if visible and "T" in visible.value and visible.value[:10] == value:
                value = visible.value
        if value is None or _UPDATED.search(text):
            # The words decide: "Updated April 10" is no publication date.
            worded = self._text_date(text, named)
            value = value if worded and value and value[:10] == worded[:10] else worded
        if value and self.chrome.in_news_list(el):
            return None
        return value

    def _text_date(self, text: str, named: bool) -> str | None:
        """The date of a short dateline text; None for prose, clocks and history notes."""
        text = squash(text)
        if not text or len(text) > DATELINE_MAX_CHARS or HISTORY_TEXT.search(text):
            return None
        found = self.find(text)
        if found is None:
            return None
        other = _OTHER_LABEL.search(text)
        if other and other.start() < found.start:
            return None                  # "Recorded on August 19", "Data as of Dec 20"
        if _TODAY_START.match(text) and found.start > 0:
            return None                  # "Сегодня: 24 ноября 2026": a clock, not a dateline
        updated = _UPDATED.search(text)
        if updated and updated.start() < found.start:
            # "Обновлено 21.11.2026, опубликовано 20.11.2026": the first date is the update.
            later = self.find(text[found.end:])
            if later is None:
                return None
            found = later
        rest = text[:found.start] + " " + text[found.end:]
        max_letters = NAMED_MAX_LETTERS if named else PLAIN_MAX_LETTERS
        max_words = NAMED_MAX_WORDS if named else PLAIN_MAX_WORDS
        if sum(ch.isalpha() for ch in rest) > max_letters or \
                len(WORDS.findall(rest)) > max_words:
            return None
        return found.value


def _with_stamp_time(value: str, root: lxml.html.HtmlElement, find: Find) -> str:
    """A day read from text, with the time of a <time datetime> inside that says the same day."""
    if "T" in value:
        return value
    for stamp in root.iter("time"):
        found = find(stamp.get("datetime"))
        if found and found.value[:10] == value and "T" in found.value:
            return found.value
    return value

