"""Finding an article's own dateline in its page, and telling page chrome from article.

A news page shows many dates: the article's dateline, but also a header clock,
"latest news" sidebars, "this day in history" blocks, comments and copyright lines.
The dateline is sought near the article's title first (the title's siblings, then
its ancestors' siblings, a few levels up), then among date-like elements of the
main content. Chrome is recognised by structure: where an element sits (site
header, <aside>, <footer>, menus), what it is named (sidebar, related, clock...),
and whether it repeats like a list of other headlines. Never by which date looks
right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import lxml.etree
import lxml.html

from aggregator.dates import FoundDate

DATELINE_MAX_CHARS = 90            # a dateline is short; longer text is prose citing a date
PLAIN_MAX_LETTERS, PLAIN_MAX_WORDS = 24, 5   # words beside the date: "Опубликовано:", a name
NAMED_MAX_LETTERS, NAMED_MAX_WORDS = 60, 8   # more in an element named "date", "meta", "info"
NEAR_LEVELS = 6                    # the title, its parent, ...: how far up the dateline is sought
CLOSE_LEVELS = 4                   # the title's siblings and its parent's: its own header
NEAR_SIBLINGS = 3                  # siblings looked at on each side, at each level
NEAR_SUBTREE = 80                  # elements looked at inside one sibling
WRAPPER_MIN_CHARS, WRAPPER_SHARE = 1500, 0.5   # a block this big holds the page, not chrome
HEADLINE_MIN_CHARS, HEADLINE_MIN_WORDS = 20, 3   # a link this long is another text's title
TEASER_MAX_CHARS = 400             # a card for another story: its title, a date, a line
SOFT_NEAR_CHARS = 160              # a "footer"-named row beside the title this short is a byline

# Page chrome. Hard chrome (menus, clocks, sidebars, related lists, comments, history
# blocks, copyright) is never the article's. Soft chrome is the article's own in some
# places: <header>/<footer> inside <article> (its header and footer rows), an <aside>
# inside <article> that is no titled list, a <header> holding the title, a
# "header"/"footer"-named row right beside the title.
_HARD_TAGS = {"nav", "noscript", "script", "style", "select", "button", "iframe", "template",
              "textarea", "option", "blockquote"}     # a quoted or embedded post has its own date
_SOFT_TAGS = {"aside", "footer", "header"}
_CONTAINER_TAGS = {"article", "main", "body", "html"}
_BLOCK_TAGS = {"div", "section", "ul", "ol", "li", "p", "table", "tr", "td", "dl", "aside",
               "header", "footer"}
_HARD_NAMES = re.compile(
    r"clock|current-?date|header-?date|date-?today|today|top-?bar|masthead|"
    r"site-?header|copyright|history|this-?day|onthisday|breadcrumb|menu|navbar|navigation|"
    r"calendar|weather|sidebar|side-bar|side_bar|widget|related|latest|popular|last-?news|"
    r"lastnews|lenta|teaser|more-?news|other-?news|comment|disqus|banner|announce|anons|"
    r"subscribe|social|share|rating|poll|(?:^|[\s_-])(?:nav|also|side|most)(?:$|[\s_-])|"
    r"(?:^|\s)top(?:$|\s)", re.IGNORECASE)
_ARTICLE_HEADER_NAMES = re.compile(r"(?:date|post|entry|article|news|story|material)[-_]?"
                                   r"(?:header|footer)", re.IGNORECASE)
# Never a layout wrapper, however large: discussions, lists of other news, clocks.
_NEVER_WRAPPER = re.compile(r"comment|disqus|related|latest|popular|last-?news|lenta|"
                            r"more-?news|other-?news|history|this-?day|clock|today|copyright",
                            re.IGNORECASE)
_SOFT_NAMES = re.compile(r"header|footer|bottom|(?:^|[\s_-])aside(?:$|[\s_-])", re.IGNORECASE)
_HARD_ROLES = {"navigation", "banner", "search", "menu", "menubar"}
_SOFT_ROLES = {"complementary", "contentinfo"}
_HISTORY_TEXT = re.compile(r"в этот день|цього дня|у цей день|в цей день|on this day|"
                           r"this day in history|год назад|рік тому|years? ago", re.IGNORECASE)
_TODAY_START = re.compile(r"^(?:сегодня|сьогодні|today|сейчас|зараз|now)\b", re.IGNORECASE)
_UPDATED = re.compile(r"обновлен|оновлен|изменен|змінен|отредакт|відредаг|updated|modified|"
                      r"edited|last update|reviewed|revised", re.IGNORECASE)
_MODIFIED_NAMES = re.compile(r"modif|changed|reviewed|last-?update|(?:^|[\s_-])updated(?:$|[\s_-])",
                             re.IGNORECASE)
_PUBLISHED_NAMES = re.compile(r"publish|posted", re.IGNORECASE)
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
_WORDS = re.compile(r"[^\W\d_]+")
_CONTAINER_NAMES = re.compile(r"article|content|post|entry|news|material", re.IGNORECASE)

Find = Callable[[str | None], FoundDate | None]


class DatelineScan:
    """One page's structure: its title heading, what is chrome, where the dateline is."""

    def __init__(self, tree: lxml.html.HtmlElement, title: str | None,
                 find: Find) -> None:
        self.tree = tree
        self.find = find
        self.heading: lxml.html.HtmlElement | None = None
        self.heading_line: set = set()
        self.near_roots: set = set()
        self._chrome: dict = {}
        self._order: dict | None = None
        self._page_chars: int | None = None
        self._hidden_changes: set | None = None
        self._title_holders: set = set()    # blocks around headings that say the title
        heading = _title_heading(tree, title, self)
        if heading is not None:
            self.heading = heading
            self.heading_line = {heading, *heading.iterancestors()}
            self.near_roots = set(_siblings_by_distance(heading))
            self._chrome = {}

    def dateline(self) -> str | None:
        """The article's own date: beside its title first, then in the main content."""
        seen: set = set()
        if self.heading is not None:
            close_parents = self._close_parents()
            for level, item in self._near_title():
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
                        " ".join(after.text_content().split())):
                    after = after.getnext()         # "Published", then "Publish date"
                text = " ".join(after.text_content().split()) if after is not None else ""
                label = None
            # A labelled date in a byline box or an article's <aside> is still the
            # article's: of chrome only the hard kind (menus, sidebars, lists) is skipped.
            if not text or len(text) > DATELINE_MAX_CHARS \
                    or self.is_chrome(host, hard_only=True):
                continue
            rest = text[label.end():] if label else text
            found = self.find(rest)
            # The date right after its label: "Posted on <a link to elsewhere>" is no dateline.
            if found and len(_WORDS.findall(rest[:found.start])) <= 1 \
                    and not self._in_news_list(host):
                return _with_stamp_time(found.value, host if label else after, self.find)
        return None

    def _labelled_texts(self) -> Iterator[tuple[lxml.html.HtmlElement, str, object]]:
        """(element, its text from the label on, what follows) for each text that starts
        with a publication label: an element's own text, or a line after a <br>."""
        for el in self.tree.iter(lxml.etree.Element):
            if el.tag in ("script", "style", "title", "option"):
                continue
            own = (el.text or "").strip()
            if own and _PUBLISHED_LABEL.match(own):
                yield el, " ".join(el.text_content().split()), el.getnext()
            for child in el:
                tail = (child.tail or "").strip()
                if tail and _PUBLISHED_LABEL.match(tail):
                    yield el, " ".join(tail.split()), child.getnext()

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
            text = " ".join(el.text_content().split())
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
                    if found and found.value[:10] == day and not self._in_news_list(el) \
                            and not self._labelled_otherwise(host, day):
                        return True
        return False

    def _labelled_otherwise(self, host: lxml.html.HtmlElement, day: str) -> bool:
        """Whether a short element says its date is a recording's, an event's, data's...

        An update date does pass: a page whose only date is "Updated Dec 9" was
        published by then, and its readers take that day for the article's.
        """
        text = " ".join(host.text_content().split())
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

    def _near_title(self) -> Iterator[tuple[int, object]]:
        """The title's tail text, then its siblings, then its ancestors' siblings."""
        node = self.heading
        yield 0, node.tail or ""
        for level in range(NEAR_LEVELS):
            parent = node.getparent()
            if parent is None or node.tag in ("body", "html"):
                return
            if level == 0:
                yield 0, parent.text or ""
            for sibling in _siblings_by_distance(node):
                yield level, sibling
                if level == 0:
                    yield 0, sibling.tail or ""
            node = parent

    def _close_parents(self) -> set:
        """The title's ancestors whose other children form the article's own header.

        Up to CLOSE_LEVELS levels, and never beyond the article's container
        (<article>, <main>, articleBody) nor at <body>, where the site's header is.
        """
        line = [a for a in self.heading.iterancestors()][:CLOSE_LEVELS]
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
                    self._close_chrome(el) if close else self.is_chrome(el)):
                continue
            seen.add(el)
            looked += 1
            value = self._date_of(el)
            if value:
                return value
            stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
        return None

    def _close_chrome(self, el: lxml.html.HtmlElement) -> bool:
        """Chrome beside the title: told by tag and role; of names only the never-wrappers."""
        names = _names(el)
        role = (el.get("role") or "").lower()
        if el.tag in _HARD_TAGS or role in _HARD_ROLES \
                or bool(names and _NEVER_WRAPPER.search(names)) \
                or (el.tag in _BLOCK_TAGS and _HISTORY_TEXT.match(_leading_text(el))):
            return True
        if el.tag in _SOFT_TAGS or role in _SOFT_ROLES:
            return not self._soft_is_article(el)
        return False

    def _date_of(self, el: lxml.html.HtmlElement) -> str | None:
        """The date this element states as a dateline, if it is one."""
        if el.tag in ("script", "style", "h1") or el in self.heading_line \
                or _is_modified(el):
            return None
        text = _text_without(el, self.hidden_changes)
        named = bool(_DATE_NAMES.search(f"{_names(el)} {el.get('itemprop') or ''}"))
        stamp = el if el.tag == "time" or el.get("datetime") else None
        if stamp is None and len(text) <= DATELINE_MAX_CHARS:
            stamp = next((t for t in el.iter("time") if t.get("datetime")
                          and not _is_modified(t) and not self.is_chrome(t)), None)
        value = None
        if stamp is not None:
            shown = " ".join(stamp.text_content().split())
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
        if value and self._in_news_list(el):
            return None
        return value

    def _text_date(self, text: str, named: bool) -> str | None:
        """The date of a short dateline text; None for prose, clocks and history notes."""
        text = " ".join(text.split())
        if not text or len(text) > DATELINE_MAX_CHARS or _HISTORY_TEXT.search(text):
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
                len(_WORDS.findall(rest)) > max_words:
            return None
        return found.value

    def _in_news_list(self, el: lxml.html.HtmlElement) -> bool:
        """Whether the element dates one item of a repeated list of other headlines."""
        child = el
        for parent in list(el.iterancestors())[:4]:
            if parent in self.heading_line:     # beside the title: only a lone card
                return child is not el and self._is_teaser(child)
            if self._has_headline(child):
                kind = _first_class(child)
                alike = [c for c in parent if c is not child and c.tag == child.tag
                         and _first_class(c) == kind and self._has_headline(c)]
                if alike or self._is_teaser(child):
                    return True
            child = parent
        return False

    def _is_teaser(self, block: lxml.html.HtmlElement) -> bool:
        """A small block whose heading links elsewhere: another story's card, even alone
        ("Previous post", "You may also like")."""
        if len(block.text_content()) > TEASER_MAX_CHARS:
            return False
        return any(_is_headline(" ".join(a.text_content().split()))
                   for h in block.iter("h2", "h3", "h4", "h5", "h6")
                   if h not in self.heading_line for a in h.iter("a") if a.get("href"))

    @property
    def hidden_changes(self) -> set:
        """Change dates only machines read, to leave out of a dateline's text.

        "<span class='updated rich-snippet-hidden'>2024-04-18T13:00</span><span>March
        22nd, 2024</span>": readers see the second date. A visible "updated" <time> stays:
        hAtom themes mark the publication date they show that way.
        """
        if self._hidden_changes is None:
            self._hidden_changes = {el for el in _MAYBE_HIDDEN(self.tree)
                                    if _is_hidden_change(el)}
        return self._hidden_changes

    def _has_headline(self, el: lxml.html.HtmlElement) -> bool:
        """Whether the element links to another text by its title (not a date, not a name)."""
        return any(_is_headline(" ".join(a.text_content().split())) for a in el.iter("a")
                   if a not in self.heading_line and self.heading not in a.iterancestors())

    def is_chrome(self, el: lxml.html.HtmlElement, hard_only: bool = False) -> bool:
        """Whether the element sits in site chrome: header, menus, sidebars, footers...

        ``hard_only`` (for microdata, which names its own meaning) ignores the soft kind:
        a datePublished in a post's footer row is still the post's.
        """
        if hard_only:
            return any(self._own_chrome(n, hard_only=True) for n in (el, *el.iterancestors()))
        path = []
        node = el
        verdict = False
        while node is not None:
            if node in self._chrome:
                verdict = self._chrome[node]
                break
            path.append(node)
            node = node.getparent()
        for node in reversed(path):
            verdict = verdict or self._own_chrome(node)
            self._chrome[node] = verdict
        return verdict

    def _own_chrome(self, node: lxml.html.HtmlElement, hard_only: bool = False) -> bool:
        if not isinstance(node.tag, str):
            return True
        if node in self.heading_line:
            return False
        tag = node.tag
        if tag in _HARD_TAGS:
            return True
        if tag in _BLOCK_TAGS and _HISTORY_TEXT.match(_leading_text(node)):
            return True
        if tag in _CONTAINER_TAGS:   # "sticky-sidebar-parent" on <article> is not chrome
            return False
        names = _names(node)
        role = (node.get("role") or "").lower()
        if names and self._is_wrapper(node, names):
            names = ""                   # "content-area has-sidebar": a layout wrapper
        if role in _HARD_ROLES or (names and _HARD_NAMES.search(names)):
            return True
        if names and _ARTICLE_HEADER_NAMES.search(names):
            return False                 # "entry-header", "date-header": the post's own row
        if tag in _SOFT_TAGS or role in _SOFT_ROLES or (names and _SOFT_NAMES.search(names)):
            return not hard_only and not self._soft_is_article(node)
        return False

    def _is_wrapper(self, node: lxml.html.HtmlElement, names: str) -> bool:
        """A block named like chrome that holds the page's content ("widget Blog1")."""
        if _NEVER_WRAPPER.search(names) or not (_HARD_NAMES.search(names)
                                                or _SOFT_NAMES.search(names)):
            return False
        if self.heading is None and (node in self._title_holders
                                     or node.find(".//h1") is not None):
            return True                  # while the title is sought: it holds the title
        if self._page_chars is None:
            self._page_chars = len(self.tree.text_content())
        size = len(node.text_content())
        return size >= WRAPPER_MIN_CHARS and size >= WRAPPER_SHARE * self._page_chars

    def _soft_is_article(self, node: lxml.html.HtmlElement) -> bool:
        """Whether an <aside>, <footer>, <header> or "footer"-named block is the article's."""
        in_article = any(a.tag == "article" for a in node.iterancestors())
        if node.tag == "header":         # a <header> above the title is the site's...
            return in_article or self._after_heading(node) or (
                node.find(".//h1") is not None and node.find(".//nav") is None
                and node.getparent() is not None and node.getparent().tag != "body")
        if node.tag in ("aside", "footer"):
            # Inside <article> an aside is a byline box, unless it is a titled list.
            return in_article and (node.tag == "footer" or node.find(".//ul") is None
                                   and next(node.iter("h2", "h3", "h4", "h5"), None) is None)
        near = node in self.near_roots or any(a in self.near_roots for a in node.iterancestors())
        return in_article or (near and len(node.text_content()) <= SOFT_NEAR_CHARS
                              and node.find(".//nav") is None)

    def _after_heading(self, node: lxml.html.HtmlElement) -> bool:
        if self.heading is None:
            return False
        if self._order is None:
            self._order = {el: i for i, el in enumerate(self.tree.iter())}
        return self._order.get(node, -1) > self._order.get(self.heading, 0)


def _text_without(el: lxml.html.HtmlElement, hidden: set) -> str:
    """An element's text without the hidden elements under it."""
    if not hidden or not any(el in h.iterancestors() for h in hidden):
        return " ".join(el.text_content().split())
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child not in hidden:
            parts.append(_text_without(child, hidden))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


# A cheap first pass for _is_hidden_change, which then decides.
_MAYBE_HIDDEN = lxml.etree.XPath(
    "//*[@hidden or contains(@style, 'none') or contains(@class, 'hidden') "
    "or contains(@class, 'sr-only') or contains(@class, 'screen-reader') "
    "or contains(@class, 'invisible') or contains(@id, 'hidden')]")
_HIDDEN_NAMES = re.compile(r"hidden|sr-only|screen-reader|visually-hidden|invisible",
                           re.IGNORECASE)


def _is_hidden_change(el: lxml.html.HtmlElement) -> bool:
    return (el.get("hidden") is not None or bool(_HIDDEN_NAMES.search(_names(el)))
            or "none" in (el.get("style") or "").replace(" ", "")) and _is_modified(el)


def _with_stamp_time(value: str, root: lxml.html.HtmlElement, find: Find) -> str:
    """A day read from text, with the time of a <time datetime> inside that says the same day."""
    if "T" in value:
        return value
    for stamp in root.iter("time"):
        found = find(stamp.get("datetime"))
        if found and found.value[:10] == value and "T" in found.value:
            return found.value
    return value


def _is_headline(text: str) -> bool:
    """A headline is a phrase: a linked date ("20 janvier 2020") or name is not one."""
    return len(text) >= HEADLINE_MIN_CHARS and \
        sum(len(word) > 1 for word in _WORDS.findall(text)) >= HEADLINE_MIN_WORDS


def _title_heading(tree: lxml.html.HtmlElement, title: str | None,
                   scan: DatelineScan) -> lxml.html.HtmlElement | None:
    """The heading that carries the article's title.

    Outside chrome first; then one only soft chrome holds ("post-header" wrappers with
    no <article> around them): a heading that says the title is strong evidence.
    """
    matching: list[lxml.html.HtmlElement] = []
    # The title as picked, else the page's whole <title>: the picked one may be a part
    # of it ("Blog name: [Review] Book - Subtitle" gives "Subtitle").
    for wanted in (_squash(title or ""), _squash(tree.findtext(".//title") or "")):
        if matching or not wanted:
            continue
        for path in ("//h1", "//h2", "//h3", "//*[contains(@class, 'title')]"):
            matching += [h for h in tree.xpath(path) if _same_title(h, wanted)
                         and h.tag not in ("title", "meta") and h.xpath("not(ancestor::head)")]
    # Blogger's "widget Blog" holds the post: a block around the title is no sidebar.
    scan._title_holders = {a for h in matching for a in h.iterancestors()}
    fallback = [h for path in ("//article//h1", "//main//h1",
                               "//*[@itemprop='articleBody']//h1", "//h1")
                for h in tree.xpath(path) if _squash(h.text_content())]
    for candidates in (matching, fallback):
        for hard_only in (False, True):
            for heading in candidates:
                if not scan.is_chrome(heading, hard_only=hard_only):
                    return heading
    return None


def _same_title(heading: lxml.html.HtmlElement, wanted: str) -> bool:
    text = _squash(heading.text_content())
    return bool(text) and (text == wanted or (
        min(len(text), len(wanted)) >= 0.6 * max(len(text), len(wanted))
        and (text in wanted or wanted in text)))


def _siblings_by_distance(node: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Up to NEAR_SIBLINGS siblings each side, nearest first, the next before the previous."""
    parent = node.getparent()
    if parent is None:
        return []
    siblings = [c for c in parent if isinstance(c.tag, str)]
    i = siblings.index(node)
    order = []
    for distance in range(1, NEAR_SIBLINGS + 1):
        if i + distance < len(siblings):
            order.append(siblings[i + distance])
        if i - distance >= 0:
            order.append(siblings[i - distance])
    return order


def _leading_text(node: lxml.html.HtmlElement, limit: int = 40) -> str:
    """The first words of an element's text, without reading all of a large one."""
    parts: list[str] = []
    size = 0
    for piece in node.itertext():
        piece = piece.strip()
        if piece:
            parts.append(piece)
            size += len(piece)
            if size >= limit:
                break
    return " ".join(parts)[:limit]


def _is_modified(el: lxml.html.HtmlElement) -> bool:
    """An element that states when the article changed, not when it appeared."""
    if el.get("itemprop") == "dateModified":
        return True
    # Each element speaks for itself: hAtom's "entry-date published updated" is the
    # publication date never modified since, but "updated-on" around a "published" <time>
    # shows the change. The post's "status-publish" class two levels up says nothing.
    parent = el.getparent()
    return any(_MODIFIED_NAMES.search(names) and not _PUBLISHED_NAMES.search(names)
               for names in (_names(el), _names(parent) if parent is not None else ""))


def _first_class(el: lxml.html.HtmlElement) -> str:
    """What makes items of one list alike: "item item-2" and "item item-3" are both "item"."""
    classes = (el.get("class") or "").split()
    return classes[0] if classes else ""


def _names(el: lxml.html.HtmlElement) -> str:
    """Class and id, without a CMS's taxonomy classes.

    WordPress and its kin tag a post's wrapper with its categories and tags
    ("category-popular tag-social"): those name the post's topics, not page chrome.
    """
    classes = " ".join(c for c in (el.get("class") or "").split()
                       if not c.startswith(_TAXONOMY_PREFIXES))
    return f"{classes} {el.get('id') or ''}".strip()


_TAXONOMY_PREFIXES = ("category-", "tag-")


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()
