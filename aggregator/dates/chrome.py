"""Telling page chrome from the article: site headers, menus, sidebars, footers.

A news page shows many dates, most of them in chrome: a header clock, "latest news"
sidebars, "this day in history" blocks, comments and copyright lines. This module
judges structure so that :mod:`aggregator.dates.datelines` only has to read datelines.
Chrome is recognised by where an element sits (site header, <aside>, <footer>,
menus), what it is named (sidebar, related, clock...), and whether it repeats like a
list of other headlines. Never by which date looks right. Where the article's title
heading is decides much of it (the title's own header is not chrome), so the heading
is found here too.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from aggregator.strings import squash

NEAR_SIBLINGS = 3                  # siblings looked at on each side, at each level
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
HISTORY_TEXT = re.compile(r"в этот день|цього дня|у цей день|в цей день|on this day|"
                          r"this day in history|год назад|рік тому|years? ago", re.IGNORECASE)
_MODIFIED_NAMES = re.compile(r"modif|changed|reviewed|last-?update|(?:^|[\s_-])updated(?:$|[\s_-])",
                             re.IGNORECASE)
_PUBLISHED_NAMES = re.compile(r"publish|posted", re.IGNORECASE)
WORDS = re.compile(r"[^\W\d_]+")


class PageChrome:
    """One page's structure: its title heading, and which elements are chrome around it."""

    def __init__(self, tree: lxml.html.HtmlElement, title: str | None) -> None:
        self.tree = tree
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
            self.near_roots = set(siblings_by_distance(heading))
            self._chrome = {}

    def close_chrome(self, el: lxml.html.HtmlElement) -> bool:
        """Chrome beside the title: told by tag and role; of names only the never-wrappers."""
        names = class_and_id(el)
        role = (el.get("role") or "").lower()
        if el.tag in _HARD_TAGS or role in _HARD_ROLES \
                or bool(names and _NEVER_WRAPPER.search(names)) \
                or (el.tag in _BLOCK_TAGS and HISTORY_TEXT.match(_leading_text(el))):
            return True
        if el.tag in _SOFT_TAGS or role in _SOFT_ROLES:
            return not self._soft_is_article(el)
        return False

    def in_news_list(self, el: lxml.html.HtmlElement) -> bool:
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
        return any(_is_headline(squash(a.text_content()))
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
        return any(_is_headline(squash(a.text_content())) for a in el.iter("a")
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
        if tag in _BLOCK_TAGS and HISTORY_TEXT.match(_leading_text(node)):
            return True
        if tag in _CONTAINER_TAGS:   # "sticky-sidebar-parent" on <article> is not chrome
            return False
        names = class_and_id(node)
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
            return in_article and (node.tag == "footer" or (node.find(".//ul") is None
                                   and next(node.iter("h2", "h3", "h4", "h5"), None) is None))
        near = node in self.near_roots or any(a in self.near_roots for a in node.iterancestors())
        return in_article or (near and len(node.text_content()) <= SOFT_NEAR_CHARS
                              and node.find(".//nav") is None)

    def _after_heading(self, node: lxml.html.HtmlElement) -> bool:
        if self.heading is None:
            return False
        if self._order is None:
            self._order = {el: i for i, el in enumerate(self.tree.iter())}
        return self._order.get(node, -1) > self._order.get(self.heading, 0)


def text_without(el: lxml.html.HtmlElement, hidden: set) -> str:
    """An element's text without the hidden elements under it."""
    if not hidden or not any(el in h.iterancestors() for h in hidden):
        return squash(el.text_content())
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child not in hidden:
            parts.append(text_without(child, hidden))
        parts.append(child.tail or "")
    return squash(" ".join(parts))


# A cheap first pass for _is_hidden_change, which then decides.
_MAYBE_HIDDEN = lxml.etree.XPath(
    "//*[@hidden or contains(@style, 'none') or contains(@class, 'hidden') "
    "or contains(@class, 'sr-only') or contains(@class, 'screen-reader') "
    "or contains(@class, 'invisible') or contains(@id, 'hidden')]")
_HIDDEN_NAMES = re.compile(r"hidden|sr-only|screen-reader|visually-hidden|invisible",
                           re.IGNORECASE)


def _is_hidden_change(el: lxml.html.HtmlElement) -> bool:
    return (el.get("hidden") is not None or bool(_HIDDEN_NAMES.search(class_and_id(el)))
            or "none" in (el.get("style") or "").replace(" ", "")) and is_modified(el)


def _is_headline(text: str) -> bool:
    """A headline is a phrase: a linked date ("20 janvier 2020") or name is not one."""
    return len(text) >= HEADLINE_MIN_CHARS and \
        sum(len(word) > 1 for word in WORDS.findall(text)) >= HEADLINE_MIN_WORDS


def _title_heading(tree: lxml.html.HtmlElement, title: str | None,
                   chrome: PageChrome) -> lxml.html.HtmlElement | None:
    """The heading that carries the article's title.

    Outside chrome first; then one only soft chrome holds ("post-header" wrappers with
    no <article> around them): a heading that says the title is strong evidence.
    """
    matching: list[lxml.html.HtmlElement] = []
    # The title as picked, else the page's whole <title>: the picked one may be a part
    # of it ("Blog name: [Review] Book - Subtitle" gives "Subtitle").
    for wanted in (_folded(title or ""), _folded(tree.findtext(".//title") or "")):
        if matching or not wanted:
            continue
        for path in ("//h1", "//h2", "//h3", "//*[contains(@class, 'title')]"):
            matching += [h for h in tree.xpath(path) if _same_title(h, wanted)
                         and h.tag not in ("title", "meta") and h.xpath("not(ancestor::head)")]
    # Blogger's "widget Blog" holds the post: a block around the title is no sidebar.
    chrome._title_holders = {a for h in matching for a in h.iterancestors()}
    fallback = [h for path in ("//article//h1", "//main//h1",
                               "//*[@itemprop='articleBody']//h1", "//h1")
                for h in tree.xpath(path) if _folded(h.text_content())]
    for candidates in (matching, fallback):
        for hard_only in (False, True):
            for heading in candidates:
                if not chrome.is_chrome(heading, hard_only=hard_only):
                    return heading
    return None


def _same_title(heading: lxml.html.HtmlElement, wanted: str) -> bool:
    text = _folded(heading.text_content())
    return bool(text) and (text == wanted or (
        min(len(text), len(wanted)) >= 0.6 * max(len(text), len(wanted))
        and (text in wanted or wanted in text)))


def siblings_by_distance(node: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
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


def is_modified(el: lxml.html.HtmlElement) -> bool:
    """An element that states when the article changed, not when it appeared."""
    if el.get("itemprop") == "dateModified":
        return True
    # Each element speaks for itself: hAtom's "entry-date published updated" is the
    # publication date never modified since, but "updated-on" around a "published" <time>
    # shows the change. The post's "status-publish" class two levels up says nothing.
    parent = el.getparent()
    return any(_MODIFIED_NAMES.search(names) and not _PUBLISHED_NAMES.search(names)
               for names in (class_and_id(el), class_and_id(parent) if parent is not None else ""))


def _first_class(el: lxml.html.HtmlElement) -> str:
    """What makes items of one list alike: "item item-2" and "item item-3" are both "item"."""
    classes = (el.get("class") or "").split()
    return classes[0] if classes else ""


def class_and_id(el: lxml.html.HtmlElement) -> str:
    """Class and id, without a CMS's taxonomy classes.

    WordPress and its kin tag a post's wrapper with its categories and tags
    ("category-popular tag-social"): those name the post's topics, not page chrome.
    """
    classes = " ".join(c for c in (el.get("class") or "").split()
                       if not c.startswith(_TAXONOMY_PREFIXES))
    return f"{classes} {el.get('id') or ''}".strip()


_TAXONOMY_PREFIXES = ("category-", "tag-")


def _folded(text: str) -> str:
    """Squashed and lowercased: how a heading is compared with the title."""
    return squash(text).lower()
