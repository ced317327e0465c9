"""One fetched page -> one article: a pure function of (html, url, source, fetch time).

Runs in the extraction worker processes; the crawl process only imports
:mod:`aggregator.extract.result` (plain data), so this package loads trafilatura only
when :func:`extract_article` is first asked for, not when a submodule is imported.

- ``article``: :func:`extract_article`, the one entry point
- ``result``: what it returns (:class:`ExtractedArticle`)
- ``text``: cleaning the extracted text (copies, referrals, link runs, boilerplate, cuts)
- ``titles``, ``language``: the title and the language
- ``worker``: what the crawl process submits to its workers
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aggregator.extract.article import extract_article as extract_article

__all__ = ["extract_article"]


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from aggregator.extract.article import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
