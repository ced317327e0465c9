"""`newsagg extract`: one page through extract_article, for "why is this article wrong?".

A URL is fetched politely (PoliteFetcher: the crawl's User-Agent, robots.txt obeyed) and
decoded as the crawl decodes it (decode_html with the Content-Type header); a saved file
is decoded the same way, without a header. What comes out is what the crawl would store.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aggregator.clock import utc_now
from aggregator.config.sources import Source
from aggregator.decoding import decode_html
from aggregator.errors import FetchError
from aggregator.extract.result import ExtractedArticle


@dataclass(frozen=True)
class Inspected:
    """One page as extracted, with where it came from and how it was read."""

    page: ExtractedArticle
    url: str | None              # the URL fetched (after redirects); None for a file
    fetched_at: datetime         # now for a URL, the file's mtime for a file
    encoding: str
    decoded_from: str            # header, meta, bom, utf8, detected
    decoding_problem: str | None = None


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def inspect_url(url: str, source: Source | None = None,
                fetcher_settings: dict[str, Any] | None = None) -> Inspected:
    """Fetch ``url`` politely and extract it; FetchError when robots.txt forbids it, no
    answer comes, or the answer is an HTTP error."""
    from aggregator.onboard.fetch import PoliteFetcher

    fetched = PoliteFetcher.from_settings(fetcher_settings).get(url)
    if fetched.status >= 400:
        raise FetchError(url, f"HTTP {fetched.status}")
    return _extract(fetched.body, fetched.content_type or None, fetched.url, utc_now(), source)


def inspect_file(path: str | Path, source: Source | None = None,
                 url: str | None = None) -> Inspected:
    """Extract a saved page; its modification time stands for the fetch time (relative
    dates such as "yesterday" are read from it). FileNotFoundError if it is missing."""
    path = Path(path)
    body = path.read_bytes()
    fetched_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return _extract(body, None, url, fetched_at, source)


def _extract(body: bytes, content_type: str | None, url: str | None, fetched_at: datetime,
             source: Source | None) -> Inspected:
    from aggregator.extract.article import extract_article

    decoded = decode_html(body, content_type)
    page = extract_article(decoded.text, url, source, fetched_at=fetched_at)
    return Inspected(page, url, fetched_at, decoded.encoding, decoded.source, decoded.problem)


def as_json(found: Inspected) -> str:
    """The ExtractedArticle's fields, as JSON (non-ASCII kept as written)."""
    return json.dumps(dataclasses.asdict(found.page), ensure_ascii=False, indent=2)


def as_text(found: Inspected) -> str:
    """A header of what was found, then the text."""
    page = found.page
    date = (f"{page.published_at} (from {page.published_from})" if page.published_at
            else "none found")
    verdict = "yes" if page.is_article else f"no ({page.reason})"
    length = f"{len(page.text or '')} characters"
    if page.full_text_chars:
        length += f" (cut from {page.full_text_chars})"
    read_as = f"{found.encoding} (from {found.decoded_from})"
    if found.decoding_problem:
        read_as += f"; {found.decoding_problem}"
    rows = [("url", found.url or "(a file)"),
            ("fetched", found.fetched_at.isoformat(timespec="seconds")
             + ("" if found.url else " (the file's modification time)")),
            ("read as", read_as), ("title", page.title or "(none)"), ("date", date),
            ("modified", page.modified_at or "(none)"), ("author", page.author or "(none)"),
            ("language", page.language or "(unknown)"),
            ("canonical", page.canonical_url or "(none)"), ("article", verdict),
            ("text", length)]
    head = "\n".join(f"{name + ':':<11}{value}" for name, value in rows)
    return f"{head}\n\n{page.text or ''}".rstrip("\n")
