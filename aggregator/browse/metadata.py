"""What `newsagg browse` tells Datasette: titles, descriptions, facets (the day newest
first), sorting by the instant, hidden internals and the canned queries, ``search``
first (``latest`` is also an Atom feed through datasette-atom). Search itself is the
plugin's: no ``fts_table`` is named, or Datasette would quote the raw words against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage import canned, search_index
from storage.search import SEARCH_SQL  # the query `newsagg search` runs

# Internals no editor reads: the reprint index, the word-form index and its queue, the
# migration log (under either name sqlite-utils has used).
HIDDEN_TABLES = ("story_signatures", "story_bands", "source_paragraphs", "_newsagg_migrations",
                 "_sqlite_migrations", *search_index.TABLES)
SEARCH_HELP = ("Every form of a word matches (правительство finds правительства, громада finds "
               "громади); word* is a prefix, \"two words\" a phrase, -word excludes.")


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem), used in URLs."""
    return Path(db_path).stem


def metadata(db_name: str) -> dict[str, Any]:
    """Titles, descriptions, facets, search and canned queries for the store."""
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN_TABLES}
    tables.update({
        "news": {
            "title": "Articles",
            "description": "Every stored article, newest published first. " + SEARCH_HELP
                           + " A title opens the article; facets narrow the list by "
                           "source, region, language and day (the publisher's).",
            "facets": ["source", "region", "language", {"latest_first": "day"}],
            "facet_size": 10,
            "sort_desc": "published_utc",
            "sortable_columns": ["published_utc", "first_seen_at", "title", "source"],
        },
        "articles": {
            "title": "Articles (raw)",
            "description": "One row per article, as stored; a row's page shows it as text. "
                           + SEARCH_HELP,
            "label_column": "title",
            "sort_desc": "first_seen_at",
            "facets": ["source_id", "language", "published_from"],
        },
        "stories": {"title": "Stories",
                    "description": "One row per story: its first article's title, when it "
                                   "was first published and seen, how many sources carry it.",
                    "sort_desc": "first_seen"},
        "sources": {"title": "Sources", "description": "The followed portals.",
                    "label_column": "name"},
        "source_health": {"title": "Source health",
                          "description": "Last crawl, articles in 24 h and 7 days, and a "
                                         "flag for sources that look broken."},
        "crawl_runs": {"title": "Crawl runs", "sort_desc": "started_at",
                       "facets": ["source_id", "finish_reason"]},
        "job_runs": {"title": "Scheduler jobs", "sort_desc": "started_at",
                     "facets": ["job", "outcome"]},
        "digests": {"title": "Digest archive",
                    "description": "Every digest, newest first; open one (its id) to read it "
                                   "as its readers got it.",
                    "sort_desc": "id", "facets": ["status", "language"]},
        "not_articles": {"title": "Pages that held no article",
                         "description": "Stubs, listings and empty pages an article link "
                                        "led to; not fetched again for a while."},
        "contested_urls": {"title": "Contested canonical URLs",
                           "description": "URLs that different articles claimed as "
                                          "canonical: never an article's URL."},
        "article_urls": {"title": "Article URLs",
                         "description": "Every URL an article was seen under."},
    })
    queries: dict[str, dict[str, Any]] = {
        "search": {
            "title": "Search, ranked by relevance",
            "description": "Articles matching the query, best first, with the matched words "
                           "highlighted. " + SEARCH_HELP + " Optional: source ids "
                           "(comma-separated), since (YYYY-MM-DD), limit (20).",
            "sql": SEARCH_SQL, "params": ["q", "source", "since", "limit"],
        },
        "latest": {
            "title": "Latest articles",
            "description": "The 100 articles seen last; also an Atom feed (.atom).",
            "sql": canned.LATEST,
        },
        "todays_digest": {
            "title": "The latest digest",
            "description": "The stories of the digest sent last, as it listed them.",
            "sql": canned.TODAYS_DIGEST,
        },
        "since_last_digest": {
            "title": "New since the latest digest",
            "description": "Articles first seen after the window of the digest sent last: "
                           "what the next one will hold.",
            "sql": canned.SINCE_LAST_DIGEST,
        },
        "shared_stories": {"title": "Stories carried by two or more sources",
                           "description": "A title lists the story's articles.",
                           "sql": canned.SHARED_STORIES},
        "health": {"title": "Per-source health",
                   "description": "Flagged sources first.", "sql": canned.HEALTH},
    }
    for query in queries.values():
        query["hide_sql"] = True
    return {
        "title": "newsagg",
        "description": "Regional government and e-government news, each article once, "
                       "with its publication date.",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }
