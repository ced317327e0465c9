"""What `newsagg browse` tells Datasette: titles, descriptions, facets, full-text
search, hidden internals and the canned queries (``latest`` is also an Atom feed
through datasette-atom)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HIDDEN_TABLES = ("story_signatures", "story_bands", "source_paragraphs", "_newsagg_migrations",
                 "articles_fts", "articles_fts_config", "articles_fts_data",
                 "articles_fts_docsize", "articles_fts_idx")
ATOM_COLUMNS = ("'urn:newsagg:article:' || a.id AS atom_id, a.title AS atom_title,"
                " a.first_seen_at AS atom_updated, a.url AS atom_link,"
                " substr(a.text, 1, 600) AS atom_content, s.name AS atom_author_name")


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
            "sql": f"SELECT a.id, a.title, s.name AS source, s.region, a.published_at,"
                   f" a.first_seen_at, a.url, {ATOM_COLUMNS} FROM articles a"
                   " LEFT JOIN sources s ON s.id = a.source_id"
                   " ORDER BY a.first_seen_at DESC, a.id DESC LIMIT 100",
        },
        "todays_digest": {
            "title": "The latest digest",
            "description": "The stories of the digest sent last, as it listed them.",
            "sql": "WITH last AS (SELECT digest_date, article_ids FROM digests"
                   " WHERE status = 'sent' ORDER BY digest_date DESC, id DESC LIMIT 1)"
                   " SELECT last.digest_date, a.cluster_id AS story, a.title,"
                   " s.name AS source, s.region, a.published_at, a.url"
                   " FROM last, json_each(last.article_ids) j"
                   " JOIN articles a ON a.id = j.value"
                   " LEFT JOIN sources s ON s.id = a.source_id"
                   " ORDER BY a.cluster_id, a.published_at",
        },
        "since_last_digest": {
            "title": "New since the latest digest",
            "description": "Articles first seen after the window of the digest sent last: "
                           "what the next one will hold.",
            "sql": "SELECT a.id, a.title, s.name AS source, s.region, a.published_at,"
                   " a.first_seen_at, a.cluster_id AS story, a.url FROM articles a"
                   " LEFT JOIN sources s ON s.id = a.source_id WHERE a.first_seen_at >="
                   " COALESCE((SELECT window_end FROM digests WHERE status = 'sent'"
                   " ORDER BY digest_date DESC, id DESC LIMIT 1), '')"
                   " ORDER BY a.first_seen_at DESC",
        },
        "shared_stories": {
            "title": "Stories carried by two or more sources",
            "sql": "SELECT id AS story, title, first_published, first_seen, articles, sources,"
                   " source_ids FROM stories WHERE sources >= 2 ORDER BY first_seen DESC",
        },
        "health": {
            "title": "Per-source health",
            "sql": "SELECT * FROM source_health ORDER BY health != 'ok' DESC, source_id",
        },
    }
    return {
        "title": "newsagg",
        "description": "Regional government and e-government news, each article once, "
                       "with its publication date.",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }
