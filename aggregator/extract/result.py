"""What extraction gives back: plain data, importable without the extraction libraries
(the crawl process hands pages to worker processes and gets these back; trafilatura and
its kin load only in the workers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractedArticle:
    """What :func:`aggregator.extract.article.extract_article` found; ``is_article`` False means
    'do not store'."""

    title: str | None
    text: str | None
    author: str | None
    language: str | None
    published_at: str | None
    published_from: str | None
    modified_at: str | None = None
    canonical_url: str | None = None
    is_article: bool = True
    reason: str | None = None       # why it is not an article
    full_text_chars: int | None = None   # the text's length before it was cut, if it was
    # The search index's strings of (title, text): lemmas, made here, where CPUs are spare.
    lemmas: tuple[str, str] | None = None
