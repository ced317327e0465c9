"""What `newsagg browse` tells Datasette: titles, descriptions, facets, full-text
search, hidden internals and the canned queries (``latest`` is also an Atom feed
through datasette-atom)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage import canned

HIDDEN_TABLES = ("story_signatures", "story_bands", "source_paragraphs", "_newsagg_migrations",
                 "articles_fts", "articles_fts_config", "articles_fts_data",
                 "articles_fts_docsize", "articles_fts_idx")


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem), used in URLs."""
    return Path(db_path).stem


def metadata(db_name: str) -> dict[str, Any]:
    """Titles, descriptions, facets, search and canned queries for the store."""
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN_TABLES}
    tables.update({
        "news": {
            "title": "Articles",
            "description": "Every stored article, newest first seen first. Search the title "
                           "and text; facet by source, region, language, publication day "
                           "(in the publisher's zone) or story (articles carrying the same "
                           "news); a title opens the article.",
            "facets": ["source", "region", "language", "day", "story"],
            "sort_desc": "first_seen_at",
            "sortable_columns": ["published_at", "first_seen_at", "day", "source", "title"],
            "fts_table": "articles_fts", "fts_pk": "id",
            "searchmode": "escaped",
        },
        "articles": {
            "title": "Articles (raw)",
            "description": "One row per article, as stored; a row's page shows it as text.",
            "label_column": "title",
            "fts_table": "articles_fts", "fts_pk": "id",
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
        "digests": {"title": "Sent digests", "sort_desc": "id"},
        "article_urls": {"title": "Article URLs",
                         "description": "Every URL an article was seen under."},
    })
    queries = {
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
                           "sql": canned.SHARED_STORIES},
        "health": {"title": "Per-source health", "sql": canned.HEALTH},
    }
    return {
        "title": "newsagg",
        "description": "Regional government and e-government news, each article once, "
                       "with its publication date.",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }
