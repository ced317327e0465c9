"""The function the crawl process submits to its extraction workers, by name."""

from __future__ import annotations

from aggregator.extract.result import ExtractedArticle


def extract_in_worker(html: str, url: str | None, source: object,
                      **options: object) -> ExtractedArticle:
    """:func:`aggregator.extract.article.extract_article`, imported where it runs: the crawl
    process submits this by name and never loads the extraction libraries itself."""
    from aggregator.extract.article import extract_article

    return extract_article(html, url, source, **options)  # type: ignore[arg-type]
