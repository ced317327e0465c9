"""Scraped strings made fit for a digest: one line, a lead cut at a sentence end, safe links.

Everything here is pure; the templates still escape for their format.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aggregator.digest.i18n import format_day

SPACE_RE = re.compile(r"\s+")
PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? or … (maybe closed by a quote or bracket) before a space and
# a capital, digit or opening quote.
SENTENCE_END_RE = re.compile(r"[.!?…]+[\"»”’)]*(?=\s+[\"«“„(]?[A-ZА-ЯЁІЇЄҐ0-9])")
WORD_BEFORE_RE = re.compile(r"(\w+)\W*$")
# Words that end with a dot without ending the sentence (ru, uk, en).
ABBREVIATIONS = frozenset("""
г гг ул им т д п пп обл р руб м млн млрд тыс тис грн вул просп пр пл ст с см
тел корр рис прим англ укр рус mr mrs ms dr st no vs etc inc ltd jr sr prof gen
""".split())
LINE_BREAKS = frozenset("\r\n\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")
MIN_PARAGRAPH_CHARS = 25
HEADING_MAX_CHARS = 80       # shorter and without a final stop: a heading, not prose


def one_line(value: str | None) -> str:
    """Control and bidi-override characters dropped, every run of whitespace one space.

    A scraped title with a CR/LF can then neither break a mail header nor a line
    of the text part.
    """
    if not value:
        return ""
    if value.isprintable():                   # no control, format or line-break character
        return SPACE_RE.sub(" ", value).strip()
    cleaned = "".join(" " if ch in LINE_BREAKS else ch for ch in value
                      if ch in LINE_BREAKS or unicodedata.category(ch) not in ("Cc", "Cf"))
    return SPACE_RE.sub(" ", cleaned).strip()


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, else None (no javascript:, data:, mailto:)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return None
    return url


def _sentence_ends(paragraph: str) -> list[int]:
    ends = []
    for match in SENTENCE_END_RE.finditer(paragraph):
        before = WORD_BEFORE_RE.search(paragraph, max(0, match.start() - 30), match.start() + 1)
        word = before.group(1) if before else ""
        if match.group().startswith(".") and (
                word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())):
            continue                          # "г." or an initial "А."
        ends.append(match.end())
    return ends


def _is_prose(paragraph: str) -> bool:
    """Not a heading, dateline or photo credit: long enough, or ending like a sentence."""
    if len(paragraph) < MIN_PARAGRAPH_CHARS:
        return False
    return len(paragraph) >= HEADING_MAX_CHARS or paragraph.rstrip("\"»”’)").endswith(
        (".", "!", "?", "…"))


def lead(text: str | None, title: str | None = None, limit: int = 280) -> str:
    """The first sentences of the text, at most ``limit`` characters, cut at a sentence end.

    Paragraphs that repeat the title or are not prose (a heading, a dateline, a
    photo credit) are skipped. A first sentence longer than the limit is cut at a
    word and ends with an ellipsis.
    """
    if not text:
        return ""
    folded_title = one_line(title).casefold()
    paragraphs = (one_line(p) for p in PARAGRAPH_BREAK_RE.split(text))   # lazily: texts are long
    out = ""
    for paragraph in paragraphs:
        if paragraph.casefold() == folded_title or not _is_prose(paragraph):
            continue
        start = len(out) + 1 if out else 0
        joined = f"{out} {paragraph}" if out else paragraph
        ends = [start + e for e in _sentence_ends(paragraph)] + [len(joined)]
        fitting = [e for e in ends if e <= limit]
        if fitting:
            out = joined[:fitting[-1]].rstrip()
        if not out:
            cut = joined[:limit].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
            return cut + "…"
        if len(joined) > limit or fitting[-1] < len(joined):
            break
    return out


def display_date(published_at: str | None, zone: str | None = None,
                 language: str = "en") -> str | None:
    """'23 Nov 2026, 08:45' (ru: '23 ноября 2026, 08:45') in the publisher's zone; a date
    alone as '23 Nov 2026'."""
    if not published_at:
        return None
    try:
        if len(published_at) == 10:
            return format_day(date.fromisoformat(published_at), language)
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return one_line(published_at)
    if zone and moment.tzinfo is not None:
        with contextlib.suppress(KeyError, ValueError):      # an unknown zone: as stored
            moment = moment.astimezone(ZoneInfo(zone))
    return f"{format_day(moment.date(), language)}, {moment:%H:%M}"


def display_day(day: date, language: str = "en") -> str:
    return format_day(day, language)
