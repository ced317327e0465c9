"""The function the crawl process submits to its extraction workers, by name."""

from __future__ import annotations

from aggregator.extract.result import ExtractedArticle


def extract_in_worker(html: str, url: str | None, source: object,
                      **options: object) -> ExtractedArticle:
    """:func:`aggregator.extract.article.extract_article`, imported where it runs: the crawl
    process submits this by name and never loads the extraction libraries itself. An
    article's search lemmas are made here too: the store's writer is one thread for the
    whole crawl, the workers are one per core."""
    import dataclasses

    from aggregator.extract.article import extract_article
    from aggregator.search.lemmas import index_strings

    page = extract_article(html, url, source, **options)  # type: ignore[arg-type]
    if not page.is_article:
        return page
    return dataclasses.replace(page, lemmas=index_strings(page.title, page.text or ""))
