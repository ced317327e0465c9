"""newsagg: follow regional government news portals, keep every article once.

A map, bottom layer first (each imports only what is above it; tests/test_layout.py
checks it):

- ``errors``, ``clock``, ``strings``, ``urls``, ``counters``, ``reprints``,
  ``decoding``: the shared vocabulary (exit codes, the one clock, the one whitespace
  rule, URL identity, what a crawl counts, when two texts are one story, bytes to text)
- ``search``: words to lemmas (ru, uk, en), for the word-form search index
- ``storage`` (a sibling package): the SQLite store and every query the project runs
- ``config``: the one reader of sources.toml (sources, digest, smtp, topics, schedule)
- ``dates``: date strings, a page's dates, the publication-date rule
- ``extract``: one page -> one article, pure; runs in the extraction workers (which
  also make its search lemmas)
- ``crawl``: everything in Scrapy's process (it never loads trafilatura); the spider
  itself is ``spiders.news``, and ``settings`` is Scrapy's settings module
- ``digest``, ``schedule``, ``browse``, ``demo``: the features on top
- ``cli``: the ``newsagg`` command, a thin layer over all of it

Words: an *article* is one row (one text, however many URLs); a *story* is the
articles that carry the same text (its id is the ``cluster_id`` column, a contract
name); a *reprint* is an article that joined an earlier article's story.
"""

__version__ = "0.1.0"
