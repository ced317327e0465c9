"""Schema of the store, created and upgraded by sqlite-utils migrations.

Add a new migration function at the end to change the schema; never edit one
that has shipped (databases in the field have already applied it).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from storage.stories import StoryIndex

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


@migrations()
def m002_stories(db: Database) -> None:
    """Reprint detection: the persistent LSH index, source boilerplate, the stories view."""
    db["story_signatures"].create({"article_id": int, "minhash": bytes}, pk="article_id")
    db.execute("CREATE TABLE story_bands (bucket INTEGER NOT NULL, article_id INTEGER NOT NULL,"
               " PRIMARY KEY (bucket, article_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX story_bands_article ON story_bands (article_id)")
    db.execute("CREATE TABLE source_paragraphs (source_id TEXT NOT NULL, key INTEGER NOT NULL,"
               " articles INTEGER NOT NULL, PRIMARY KEY (source_id, key)) WITHOUT ROWID")
    db["crawl_runs"].add_column("new_stories", int)
    db["crawl_runs"].add_column("reprints", int)
    db.create_view("stories", STORIES_VIEW)
    # Articles stored before stories existed each start their own story, oldest first,
    # so that a later reprint finds them.
    index = StoryIndex(db.conn)
    for article_id, source_id, text in db.execute(
            "SELECT id, source_id, text FROM articles ORDER BY id").fetchall():
        index.place(article_id, source_id, text or "")


# One row per story: its first article's title (earliest published, then first seen),
# when it was first published and first seen, how many articles and sources carry it.
STORIES_VIEW = """
SELECT a.cluster_id AS id,
       (SELECT f.title FROM articles f WHERE f.cluster_id = a.cluster_id
        ORDER BY julianday(f.published_at) IS NULL, julianday(f.published_at),
                 f.first_seen_at, f.id LIMIT 1) AS title,
       (SELECT f.published_at FROM articles f WHERE f.cluster_id = a.cluster_id
          AND f.published_at IS NOT NULL
        ORDER BY julianday(f.published_at) LIMIT 1) AS first_published,
       MIN(a.first_seen_at) AS first_seen,
       COUNT(*) AS articles,
       COUNT(DISTINCT a.source_id) AS sources,
       json_group_array(DISTINCT a.source_id) AS source_ids
FROM articles a
GROUP BY a.cluster_id
"""


@migrations()
def m003_digests(db: Database) -> None:
    """The log of digests: what was sent when, to whom, with which articles."""
    db["digests"].create({
        "id": int, "digest_date": str, "window_start": str, "window_end": str,
        # "sending" from just before the SMTP conversation until the server took the
        # message ("sent"); a "sending" row left behind means the process died in between.
        "status": str, "started_at": str, "sent_at": str,
        "recipients": str, "refused": str, "message_id": str, "subject": str,
        "stories": int, "articles": int, "article_ids": str,
    }, pk="id", not_null={"digest_date", "status", "started_at"})
    db["digests"].create_index(["digest_date"])
