"""What a site's pages say about where its news is (pure functions of a page and its URL).

`sources add` fetches; these read: the feeds a page announces, the paths where feeds and
sitemaps usually are, the news section a homepage links to, the URL shape its articles
share (``infer_pattern``), and the site's language, name and likely time zone. No I/O, so
each reader is tested on strings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html

from aggregator.extract.language import detect_language
from aggregator.strings import squash
from aggregator.urls import same_site

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml", "application/json+feed", "application/x-rss+xml"}
FEED_WORDS = re.compile(r"(^|[^a-z])(rss|atom|feeds?|rdf)([^a-z]|$)", re.IGNORECASE)
FEED_PATHS = ("/rss", "/feed/", "/rss.xml", "/news/rss", "/feed.xml", "/atom.xml",
              "/index.rss", "/rss/", "/export/rss.xml", "/news/rss.xml", "/feed",
              "/rss/news", "/news/feed/")
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-news.xml",
                 "/news-sitemap.xml")
# A news section's link, by its label (ru, uk, en) or by words in its URL.
NEWS_LABELS = re.compile(
    r"^(все |всі |all )?(новости|новини|пресс-центр|прес-центр|пресс-служба|прес-служба|"
    r"news|latest news|press releases?|press cent(er|re)|newsroom|пресс-релизы|"
    r"прес-релізи|лента новостей|стрічка новин)$", re.IGNORECASE)
NEWS_URL_WORDS = re.compile(r"(^|[/_.-])(news|novosti|novini|novyny|press|press-?center|"
                            r"newsroom|pressroom)([/_.?-]|$)", re.IGNORECASE)
# Words of URLs that list or describe rather than publish: never a word of an article's shape.
NOT_ARTICLE_WORD = re.compile(
    r"^(tags?|author|authors|category|categories|rubric|rubrika|rubriki|topics?|search|"
    r"page|pagen_\d+|paged|start|limitstart|archive|arhiv|feed|rss|sitemap|login|user|"
    r"users|profile|print|calendar|taxonomy|term|persons?|"
    r"tagged|section|sections|razdel|p\d+|page\d+|pg\d+)$", re.IGNORECASE)
TLD_ZONES = {"ru": "Europe/Moscow", "su": "Europe/Moscow", "xn--p1ai": "Europe/Moscow",
             "ua": "Europe/Kyiv", "xn--j1amh": "Europe/Kyiv", "by": "Europe/Minsk",
             "kz": "Asia/Almaty", "uz": "Asia/Tashkent", "kg": "Asia/Bishkek",
             "md": "Europe/Chisinau", "ge": "Asia/Tbilisi", "am": "Asia/Yerevan",
             "az": "Asia/Baku", "lv": "Europe/Riga", "lt": "Europe/Vilnius",
             "ee": "Europe/Tallinn", "pl": "Europe/Warsaw", "de": "Europe/Berlin",
             "uk": "Europe/London", "fr": "Europe/Paris"}
COUNTRY_ZONES = {"RU": "Europe/Moscow", "UA": "Europe/Kyiv", "BY": "Europe/Minsk",
                 "KZ": "Asia/Almaty", "UZ": "Asia/Tashkent", "KG": "Asia/Bishkek",
                 "MD": "Europe/Chisinau", "GE": "Asia/Tbilisi", "AM": "Asia/Yerevan",
                 "AZ": "Asia/Baku", "LV": "Europe/Riga", "LT": "Europe/Vilnius",
                 "EE": "Europe/Tallinn", "PL": "Europe/Warsaw", "DE": "Europe/Berlin",
                 "GB": "Europe/London", "FR": "Europe/Paris", "US": "America/New_York"}
LANGUAGE_ZONES = {"ru": "Europe/Moscow", "uk": "Europe/Kyiv", "be": "Europe/Minsk",
                  "kk": "Asia/Almaty"}


def _tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html if html and html.strip() else "<html></html>")


def _links(tree: lxml.html.HtmlElement, url: str) -> Iterable[tuple[str, str]]:
    """(absolute URL, label) of every followable <a> of a page."""
    base = tree.xpath("string(//base/@href)") or url
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        label = squash(a.text_content()) or a.get("title") or ""
        yield urljoin(base, href).partition("#")[0], label


def page_links(html: str, url: str) -> list[str]:
    """Every link of a page on its own site, in order, once each."""
    return list(dict.fromkeys(link for link, _ in _links(_tree(html), url)
                              if same_site(link, url)))


def feed_links(html: str, url: str) -> list[str]:
    """Feeds a page announces (<link rel="alternate"> of a feed type), then <a> links whose
    URL or text says RSS, Atom or feed; on the page's own site."""
    tree = _tree(html)
    found: dict[str, None] = {}
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            found[urljoin(url, link.get("href").strip())] = None
    for link, label in _links(tree, url):
        path = urlsplit(link).path + "?" + urlsplit(link).query
        if FEED_WORDS.search(path) or FEED_WORDS.search(label):
            found[link] = None
    return [link for link in found if same_site(link, url)]


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def usual_feed_urls(url: str) -> list[str]:
    return [urljoin(site_root(url), path) for path in FEED_PATHS]


def usual_sitemap_urls(url: str) -> list[str]:
    return [urljoin(site_root(url), path) for path in SITEMAP_PATHS]


def news_sections(html: str, url: str) -> list[str]:
    """The homepage's links to its news section, best first: by label, then by URL words.
    Never the page itself, the site's root or a feed."""
    labelled: dict[str, None] = {}
    worded: dict[str, None] = {}
    here = url.rstrip("/")
    for link, label in _links(_tree(html), url):
        if not same_site(link, url) or link.rstrip("/") == here or \
                (urlsplit(link).path in ("", "/") and not urlsplit(link).query):
            continue
        path = urlsplit(link).path
        if FEED_WORDS.search(path) or path.endswith((".xml", ".rss")):
            continue
        if NEWS_LABELS.match(label.strip(" .:»›")):
            labelled[link] = None
        elif NEWS_URL_WORDS.search("/" + path.rstrip("/").rsplit("/", 1)[-1]) and \
                not looks_like_non_article(link) and path.rstrip("/").count("/") <= 3:
            worded[link] = None
    return list(labelled) + [link for link in worded if link not in labelled]


def looks_like_non_article(url: str) -> bool:
    """Whether a URL's words (not its slug) say tag, author, category, page, search,
    feed...: a page that lists or describes, never an article."""
    parts = urlsplit(url)
    tokens = _path_tokens(parts.path) + _query_tokens(parts.query)
    return any(_is_listing_word(word) for kind, word in tokens if kind != "slug")


def _is_listing_word(regex: str) -> bool:
    word = regex.replace("\\", "").split("=")[0]
    word = _EXT.sub("", word)
    return bool(NOT_ARTICLE_WORD.match(word))


# -- the article URL shape ---------------------------------------------------------------
_YEAR = re.compile(r"^(19|20)\d\d$")
_NUM_SLUG = re.compile(r"^\d+([-_])")
_EXT = re.compile(r"(\.[a-z0-9]{2,5})$", re.IGNORECASE)
_SLUG_CHARS = re.compile(r"[-_%]|\d")
Token = tuple[str, str]          # (kind: lit, num or slug; its regex)


def _escape(text: str) -> str:
    """``text`` as a regex matching itself, escaping only what must be ('-' stays)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


def _path_tokens(path: str) -> list[Token]:
    """A path as tokens: numbers as \\d+ (a year \\d{4}, the month and day after it \\d\\d),
    slugs as [^/]+ (a leading id kept: \\d+-[^/]+), words as themselves; a trailing slash
    is a literal '/'."""
    tokens: list[Token] = []
    since_year = 9                       # segments since a year: 1 month, 2 day
    for segment in path.split("/")[1:]:
        if segment == "":
            continue
        ext_match = _EXT.search(segment)
        ext = ext_match.group(1) if ext_match and not segment.isdigit() else ""
        stem = segment[:len(segment) - len(ext)]
        since_year += 1
        if segment.isdigit():
            if _YEAR.match(segment):
                since_year = 0
            tokens.append(("num", r"\d{4}" if since_year == 0 else
                           r"\d\d" if since_year <= 2 and len(segment) == 2 else r"\d+"))
            continue
        since_year = 9
        if NOT_ARTICLE_WORD.match(stem):                     # /p2/, /page3/ too
            tokens.append(("lit", _escape(segment)))
        elif numbered := _NUM_SLUG.match(stem):
            tokens.append(("slug", r"\d+" + numbered.group(1) + "[^/]+" + _escape(ext)))
        elif stem.isdigit():
            tokens.append(("num", r"\d+" + _escape(ext)))
        elif _SLUG_CHARS.search(stem) or len(stem) > 24 or not stem.isascii():
            tokens.append(("slug", "[^/]+" + _escape(ext)))
        else:
            tokens.append(("lit", _escape(segment)))
    if path.endswith("/") and tokens:
        tokens.append(("lit", "/"))
    return tokens


def _query_tokens(query: str) -> list[Token]:
    tokens: list[Token] = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if value.isdigit():
            tokens.append(("num", _escape(key) + r"=\d+"))
        elif numbered := re.match(r"^\d+([:_-])", value):      # Joomla: id=345:slug
            tokens.append(("num", _escape(key) + r"=\d+" + _escape(numbered.group(1))
                           + "[^&]+"))
        elif re.fullmatch(r"[A-Za-z_]{1,30}", value):
            tokens.append(("lit", _escape(key) + "=" + _escape(value)))
        else:
            tokens.append(("slug", _escape(key) + "=[^&]+"))
    return tokens


def _join(path: Sequence[Token], query: Sequence[Token]) -> str:
    text = "".join(regex if regex == "/" else "/" + regex for _kind, regex in path) or "/"
    if query:
        text += r"\?" + "&".join(regex for _kind, regex in query)
    return text


def _slug_forms(segment: str, token: Token) -> list[Token]:
    """A slug-like segment as the slug, as itself with its numbers generalised
    (item-2026-11-20-930 -> item-\\d+-\\d+-\\d+-\\d+), and as itself (press-center)."""
    masked = _escape(re.sub(r"\d+", "\x00", segment)).replace("\x00", r"\d+")
    forms = [token]
    if masked != _escape(segment):
        forms.append(("lit", masked))
    forms.append(("lit", _escape(segment)))
    return forms


def _candidates(url: str) -> set[str]:
    """The shapes a URL may be an instance of: its tokens generalised, each slug also kept
    as itself or with only its numbers generalised, a word of the path (not the first)
    made a slug, and the query cut after its first id."""
    parts = urlsplit(url)
    path = _path_tokens(parts.path)
    query = _query_tokens(parts.query)
    tokens = path + query
    if any(kind != "slug" and _is_listing_word(regex) for kind, regex in tokens):
        return set()
    segments = [segment for segment in parts.path.split("/") if segment]
    words = [i for i, (kind, regex) in enumerate(path) if kind == "lit" and regex != "/"]
    if all(kind == "lit" for kind, _ in tokens):
        # All words: the last one may be a slug written as one word (/news/budget).
        if len(words) < 2 or query:
            return set()
        path = [*path[:words[-1]], ("slug", "[^/]+"), *path[words[-1] + 1:]]
        words = words[:-1]
    ids = [i for i, (kind, _) in enumerate(query) if kind == "num"]
    q = query[:ids[0] + 1] if ids else query        # what follows the id varies freely
    choices = [_slug_forms(segments[i], token) if token[0] == "slug" and i < len(segments)
               else [token] for i, token in enumerate(path)]
    shapes = [(list(p), q) for p in itertools.islice(itertools.product(*choices), 64)]
    shapes += [([*path[:i], ("slug", "[^/]+"), *path[i + 1:]], q) for i in words if i > 0]
    # A shape needs something fixed: a word, or a number (/[^/]+ alone is any page).
    return {_join(p, q) for p, q in shapes
            if any(kind == "num" or (kind == "lit" and regex != "/") for kind, regex in p + q)}


def _specificity(pattern: str) -> tuple[int, int]:
    wild = pattern.count("[^/]+") + pattern.count("[^&]+")
    return (-wild, len(pattern))


def infer_pattern(urls: Sequence[str], site: str, avoid: Sequence[str] = ()) -> str | None:
    """The URL shape most article links of ``urls`` share, as a regex searched in a URL.

    Links off ``site`` are ignored. A shape is refused when it matches any of ``avoid``
    (the listing pages themselves), the site's root, or a link whose words say tag,
    author, category, page...; among the rest, the one covering most links wins, the
    most specific on a tie. None when no shape covers two links."""
    links = list(dict.fromkeys(u for u in urls if same_site(u, site)))
    negatives = [u for u in links if looks_like_non_article(u)] + list(avoid) + [site_root(site)]
    pool = [u for u in links if not looks_like_non_article(u)]
    counts: dict[str, int] = {}
    for url in pool:
        for candidate in _candidates(url):
            counts[candidate] = counts.get(candidate, 0) + 1
    best: tuple[int, tuple[int, int]] | None = None
    chosen = None
    for candidate in sorted(counts, key=lambda c: -counts[c]):
        if counts[candidate] < 2:
            break
        regex = _anchored(candidate, negatives)
        if regex is None:
            continue
        compiled = re.compile(regex)
        key = (sum(1 for u in pool if compiled.search(u)), _specificity(candidate))
        if best is None or key > best:
            best, chosen = key, regex
    return chosen


def _anchored(candidate: str, negatives: Sequence[str]) -> str | None:
    """The shape as a regex; with an end anchor when without one it matches a page it must
    not (/node/\\d+ in /node/1/edit); None when it matches one even so."""
    end = r"(?:[&#]|$)" if r"\?" in candidate else r"/?(?:[?#]|$)"
    for regex in (candidate, candidate.removesuffix("/") + end):
        compiled = re.compile(regex)
        if not any(compiled.search(u) for u in negatives):
            return regex
    return None


# -- language, name, time zone ------------------------------------------------------------
def declared_language(html: str) -> str | None:
    """The ISO 639-1 code of <html lang> or a content-language meta, if the page says."""
    tree = _tree(html)
    values = [tree.get("lang"), tree.get("xml:lang"),
              tree.xpath('string(//meta[translate(@http-equiv, "CONTENTLAGU", '
                         '"contentlagu")="content-language"]/@content)'),
              tree.xpath('string(//meta[@property="og:locale"]/@content)')]
    for value in values:
        code = (value or "").strip().lower()[:2]
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return None


def detected_language(html: str) -> str | None:
    """The language of a page's visible text (ru, uk or en)."""
    tree = _tree(html)
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    return detect_language(squash(tree.text_content()))


def site_name(html: str) -> str | None:
    """og:site_name, else the <title> (its site part when it has ' | ' or ' - ')."""
    tree = _tree(html)
    name = squash(tree.xpath('string(//meta[@property="og:site_name"]/@content)'))
    if name:
        return name
    title = squash(tree.xpath("string(//title)"))
    for sep in (" | ", " — ", " – ", " - "):
        if sep in title:
            return title.split(sep)[-1].strip() or title
    return title or None


def source_id_for(url: str) -> str:
    """An id from the host: www. and the TLD dropped, [a-z0-9_-] only (127.0.0.1:8001 ->
    127-0-0-1-8001)."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").lower().removeprefix("www.")
    labels = host.split(".")
    if not host.replace(".", "").isdigit() and len(labels) > 1:
        labels = labels[:-1]
    text = "-".join(labels) + (f"-{parts.port}" if parts.port else "")
    return re.sub(r"[^a-z0-9_-]+", "-", text).strip("-") or "site"


def guess_timezone(country: str | None, url: str, language: str | None
                   ) -> tuple[str, str]:
    """(time zone, what it was guessed from): the country, the TLD, the language, or UTC."""
    if country and country.upper() in COUNTRY_ZONES:
        return COUNTRY_ZONES[country.upper()], f"country {country.upper()}"
    tld = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].lower()
    if tld in TLD_ZONES:
        return TLD_ZONES[tld], f"the .{tld} domain"
    if language and language in LANGUAGE_ZONES:
        return LANGUAGE_ZONES[language], f"the language ({language})"
    return "UTC", "nothing (no country, domain or language that names one)"
