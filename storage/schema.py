"""Schema of the store, created and upgraded by sqlite-utils migrations.

Add a new migration function at the end to change the schema; never edit one
that has shipped (databases in the field have already applied it).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("newsagg")


@migrations()
def m001_initial(db: Database) -> None:
    db["sources"].create({
        "id": str, "name": str, "homepage": str, "language": str, "timezone": str,
        "region": str, "country": str, "feeds": str, "sitemaps": str, "listings": str,
        "article_pattern": str, "max_listing_pages": int, "enabled": int, "updated_at": str,
    }, pk="id")
    db["articles"].create({
        "id": int, "url": str, "source_id": str, "title": str, "text": str,
        "author": str, "language": str, "published_at": str, "published_from": str,
        "modified_at": str, "first_seen_at": str, "last_seen_at": str,
        "content_hash": str, "cluster_id": int,
        # The newest feed/sitemap change mark seen when the page was last fetched:
        # a later mark means the publisher changed it and it is fetched again.
        "change_mark": str,
    }, pk="id", not_null={"url", "source_id", "first_seen_at", "last_seen_at"})
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["source_id", "content_hash"])
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["first_seen_at"])
    db["articles"].create_index(["cluster_id"])
    db["article_urls"].create({
        "url": str, "article_id": int, "source_id": str, "first_seen_at": str,
    }, pk="url", foreign_keys=[("article_id", "articles", "id")])
    db["article_urls"].create_index(["article_id"])
    db["crawl_runs"].create({
        "id": int, "run_id": str, "source_id": str, "started_at": str, "finished_at": str,
        "fetched": int, "new": int, "updated": int, "unchanged": int, "failed": int,
        "not_articles": int, "known_skipped": int, "finish_reason": str,
    }, pk="id")
    db["crawl_runs"].create_index(["run_id"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")
