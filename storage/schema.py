"""Schema of the store, created and upgraded by sqlite-utils migrations.

Add a new migration function at the end to change the schema; never edit one
that has shipped (databases in the field have already applied it).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from storage import frozen_m002, search_index, views

migrations = Migrations("newsagg")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("sources").create({
        "id": str, "name": str, "homepage": str, "language": str, "timezone": str,
        "region": str, "country": str, "feeds": str, "sitemaps": str, "listings": str,
        "article_pattern": str, "max_listing_pages": int, "enabled": int, "updated_at": str,
    }, pk="id")
    db.table("articles").create({
        "id": int, "url": str, "source_id": str, "title": str, "text": str,
        "author": str, "language": str, "published_at": str, "published_from": str,
        "modified_at": str, "first_seen_at": str, "last_seen_at": str,
        "content_hash": str, "cluster_id": int,
        # The newest feed/sitemap change mark seen when the page was last fetched:
        # a later mark means the publisher changed it and it is fetched again.
        "change_mark": str,
    }, pk="id", not_null={"url", "source_id", "first_seen_at", "last_seen_at"})
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["source_id", "content_hash"])
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["first_seen_at"])
    db.table("articles").create_index(["cluster_id"])
    db.table("article_urls").create({
        "url": str, "article_id": int, "source_id": str, "first_seen_at": str,
    }, pk="url", foreign_keys=[("article_id", "articles", "id")])
    db.table("article_urls").create_index(["article_id"])
    db.table("crawl_runs").create({
        "id": int, "run_id": str, "source_id": str, "started_at": str, "finished_at": str,
        "fetched": int, "new": int, "updated": int, "unchanged": int, "failed": int,
        "not_articles": int, "known_skipped": int, "finish_reason": str,
    }, pk="id")
    db.table("crawl_runs").create_index(["run_id"])
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")


@migrations()
def m002_stories(db: Database) -> None:
    """Reprint detection: the persistent LSH index, source boilerplate, the stories view."""
    db.table("story_signatures").create({"article_id": int, "minhash": bytes}, pk="article_id")
    db.execute("CREATE TABLE story_bands (bucket INTEGER NOT NULL, article_id INTEGER NOT NULL,"
               " PRIMARY KEY (bucket, article_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX story_bands_article ON story_bands (article_id)")
    db.execute("CREATE TABLE source_paragraphs (source_id TEXT NOT NULL, key INTEGER NOT NULL,"
               " articles INTEGER NOT NULL, PRIMARY KEY (source_id, key)) WITHOUT ROWID")
    db.table("crawl_runs").add_column("new_stories", int)
    db.table("crawl_runs").add_column("reprints", int)
    db.create_view("stories", STORIES_VIEW)
    # Articles stored before stories existed each start their own story, oldest first,
    # so that a later reprint finds them; with the story detection of the time (frozen).
    frozen_m002.place_stored_articles(db)


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
    db.table("digests").create({
        "id": int, "digest_date": str, "window_start": str, "window_end": str,
        # "sending" from just before the SMTP conversation until the server took the
        # message ("sent"); a "sending" row left behind means the process died in between.
        "status": str, "started_at": str, "sent_at": str,
        "recipients": str, "refused": str, "message_id": str, "subject": str,
        "stories": int, "articles": int, "article_ids": str,
    }, pk="id", not_null={"digest_date", "status", "started_at"})
    db.table("digests").create_index(["digest_date"])


@migrations()
def m004_health(db: Database) -> None:
    """Source health for `newsagg status` and Datasette, and the scheduler's job log."""
    db.table("crawl_runs").add_column("undated", int)
    db.table("crawl_runs").create_index(["source_id", "started_at"])
    db.table("articles").create_index(["source_id", "first_seen_at"])    # articles in 24 h / 7 d
    db.table("job_runs").create({
        "id": int, "job": str, "source_id": str, "digest_date": str, "started_at": str,
        "finished_at": str, "outcome": str, "exit_code": int, "detail": str,
    }, pk="id", not_null={"job", "started_at"})
    db.table("job_runs").create_index(["job", "source_id", "started_at"])
    db.create_view("source_health", SOURCE_HEALTH_VIEW)


# Per source: its last crawl, what it stored lately, and a health flag. Shares compare
# the last 3 crawls with the 20 before them (not days: a source crawled hourly and one
# crawled daily both get a baseline), so a redesign that strips text or dates shows as a
# jump; without a baseline nothing is flagged. Times are UTC ISO strings, compared as text.
SOURCE_HEALTH_VIEW = """
WITH bounds AS (
  SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-1 day') AS day_ago,
         strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-7 days') AS week_ago,
         strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-37 days') AS month_before
),
runs AS (
  SELECT r.*,
         COALESCE(r.new, 0) + COALESCE(r.updated, 0) + COALESCE(r.unchanged, 0) AS article_pages,
         COALESCE(r.new, 0) + COALESCE(r.updated, 0) + COALESCE(r.unchanged, 0)
           + COALESCE(r.not_articles, 0) + COALESCE(r.known_skipped, 0) AS seen_links,
         ROW_NUMBER() OVER (PARTITION BY r.source_id ORDER BY r.started_at DESC, r.id DESC)
           AS newest
  FROM crawl_runs r
),
periods AS (
  SELECT source_id,
         SUM(started_at >= week_ago) AS crawls_7d,
         SUM(CASE WHEN newest <= 3 THEN article_pages + COALESCE(not_articles, 0) END)
           AS pages_recent,
         SUM(CASE WHEN newest <= 3 THEN not_articles END) AS no_text_recent,
         SUM(CASE WHEN newest <= 3 THEN article_pages END) AS articles_recent,
         SUM(CASE WHEN newest <= 3 THEN undated END) AS undated_recent,
         SUM(CASE WHEN newest > 3 AND newest <= 23
                  THEN article_pages + COALESCE(not_articles, 0) END) AS pages_before,
         SUM(CASE WHEN newest > 3 AND newest <= 23 THEN not_articles END) AS no_text_before,
         SUM(CASE WHEN newest > 3 AND newest <= 23 THEN article_pages END) AS articles_before,
         SUM(CASE WHEN newest > 3 AND newest <= 23 THEN undated END) AS undated_before,
         SUM(CASE WHEN newest <= 2 THEN seen_links END) AS links_last_two,
         SUM(CASE WHEN newest > 2 THEN seen_links END) AS links_earlier,
         SUM(newest <= 2) AS last_two
  FROM runs, bounds GROUP BY source_id
),
stats AS (
  SELECT s.id AS source_id, s.name, s.region,
         last.started_at AS last_crawl_at, last.finish_reason AS last_result,
         last.fetched AS last_fetched, last.new AS last_new, last.failed AS last_failed,
         (SELECT COUNT(*) FROM articles a, bounds
           WHERE a.source_id = s.id AND a.first_seen_at >= day_ago) AS articles_24h,
         (SELECT COUNT(*) FROM articles a, bounds
           WHERE a.source_id = s.id AND a.first_seen_at >= week_ago) AS articles_7d,
         (SELECT COUNT(*) FROM articles a, bounds
           WHERE a.source_id = s.id AND a.first_seen_at < week_ago
             AND a.first_seen_at >= month_before) AS articles_month_before,
         ROUND(1.0 * p.no_text_recent / NULLIF(p.pages_recent, 0), 2) AS no_text_share,
         ROUND(1.0 * p.no_text_before / NULLIF(p.pages_before, 0), 2) AS no_text_share_before,
         ROUND(1.0 * p.undated_recent / NULLIF(p.articles_recent, 0), 2) AS undated_share,
         ROUND(1.0 * p.undated_before / NULLIF(p.articles_before, 0), 2) AS undated_share_before,
         p.pages_recent, p.pages_before, p.articles_recent, p.articles_before, p.crawls_7d,
         p.last_two, p.links_last_two, p.links_earlier
  FROM sources s
  LEFT JOIN runs last ON last.source_id = s.id AND last.newest = 1
  LEFT JOIN periods p ON p.source_id = s.id
)
SELECT source_id, name, region, last_crawl_at, last_result, last_fetched, last_new,
       last_failed, articles_24h, articles_7d, no_text_share, no_text_share_before,
       undated_share, undated_share_before,
       CASE
         WHEN last_crawl_at IS NULL THEN 'never crawled'
         WHEN last_two = 2 AND COALESCE(links_last_two, 0) = 0 AND links_earlier > 0
           THEN 'silent: the last two crawls found no article links'
         WHEN pages_recent >= 5 AND pages_before >= 5
              AND no_text_share >= no_text_share_before + 0.3
           THEN 'redesign? pages without text jumped'
         WHEN articles_recent >= 5 AND articles_before >= 5
              AND undated_share >= undated_share_before + 0.3
           THEN 'redesign? articles without a date jumped'
         WHEN articles_7d = 0 AND crawls_7d >= 2 AND articles_month_before >= 4
           THEN 'quiet: no new articles in 7 days'
         ELSE 'ok'
       END AS health
FROM stats
"""


@migrations()
def m005_news_view(db: Database) -> None:
    """A readable list of articles, with the source's name and region and the article's
    day (in the publisher's zone), for browsing and faceting in Datasette."""
    db.create_view("news", NEWS_VIEW)


NEWS_VIEW = """
SELECT a.id, a.title, COALESCE(s.name, a.source_id) AS source, s.region, a.language,
       substr(a.published_at, 1, 10) AS day, a.published_at, a.first_seen_at,
       a.cluster_id AS story, a.url,
       replace(substr(a.text, 1, 280), char(10), ' ') AS excerpt   -- cut first: cheap
FROM articles a LEFT JOIN sources s ON s.id = a.source_id
"""


@migrations()
def m006_not_articles(db: Database) -> None:
    """Pages an article link led to that held no article (a stub, a listing, an empty
    page): remembered so that the next crawl does not fetch them again at once."""
    db.table("not_articles").create({
        "url": str, "source_id": str, "reason": str, "first_seen_at": str,
        "last_seen_at": str, "change_mark": str,
    }, pk="url")
    db.table("not_articles").create_index(["source_id"])


@migrations()
def m007_faults(db: Database) -> None:
    """What a crawl lost and why, cut texts, canonical claims kept apart from fetched URLs,
    and health flags for sources that cannot be read."""
    for column in ("http_errors", "network_errors", "size_capped", "offsite_redirects",
                   "redirect_loops", "robots_unavailable", "unreadable", "undecodable",
                   "worker_crashes", "extract_errors", "store_errors", "robots_denied",
                   "sitemaps_capped", "sitemaps_truncated", "feeds_ill_formed", "texts_cut"):
        db.table("crawl_runs").add_column(column, int)
    # The length of the page's text before it was cut to the maximum; NULL: not cut.
    db.table("articles").add_column("full_text_chars", int)
    # 1: the page was fetched at this URL; 0: only claimed by a page's rel=canonical.
    # Rows from before are taken as fetched (that was their use: not fetching again).
    db.table("article_urls").add_column("fetched", int, not_null_default=1)
    # Canonical URLs claimed by different articles (a homepage, a section): never again
    # an article's URL.
    db.table("contested_urls").create({"url": str, "source_id": str, "first_seen_at": str},
                                pk="url")
    db.execute("DROP VIEW source_health")
    db.create_view("source_health", SOURCE_HEALTH_VIEW_M007)


def _edited(sql: str, *edits: tuple[str, str]) -> str:
    """``sql`` with each (old, new) replaced; an edit that no longer applies is an error."""
    for old, new in edits:
        if old not in sql:
            raise ValueError(f"view edit does not apply: {old[:60]!r}")
        sql = sql.replace(old, new)
    return sql


# As m004's view, plus: a last crawl that got no answer, or read nothing and lost pages,
# and a source whose crawls never read an article.
SOURCE_HEALTH_VIEW_M007 = _edited(SOURCE_HEALTH_VIEW, (
    """         p.last_two, p.links_last_two, p.links_earlier
  FROM sources s""",
    """         p.last_two, p.links_last_two, p.links_earlier,
         COALESCE(last.new, 0) + COALESCE(last.updated, 0) + COALESCE(last.unchanged, 0)
           + COALESCE(last.not_articles, 0) + COALESCE(last.known_skipped, 0) AS last_read,
         (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS articles_total,
         (SELECT COUNT(*) FROM crawl_runs r WHERE r.source_id = s.id) AS crawls_total,
         (SELECT SUM(COALESCE(r.new, 0) + COALESCE(r.updated, 0) + COALESCE(r.unchanged, 0))
            FROM crawl_runs r WHERE r.source_id = s.id) AS articles_read
  FROM sources s"""), (
    """         WHEN last_crawl_at IS NULL THEN 'never crawled'
""",
    """         WHEN last_crawl_at IS NULL THEN 'never crawled'
         WHEN COALESCE(last_fetched, 0) = 0 AND COALESCE(last_failed, 0) > 0
           THEN 'unreachable: no request of the last crawl was answered'
         WHEN COALESCE(last_failed, 0) > 0 AND last_read = 0
           THEN 'failing: the last crawl read nothing and lost ' || last_failed || ' pages'
         WHEN articles_read = 0
           THEN 'no articles: its ' || crawls_total || ' crawl(s) stored none'
"""), (
    """       undated_share, undated_share_before,
       CASE""",
    """       undated_share, undated_share_before, articles_total,
       CASE"""))


@migrations()
def m008_search(db: Database) -> None:
    """Word-form search (storage/search_index.py) in place of the exact-form index: the
    articles stored already are queued, and indexed by the store that opens the database."""
    db.table("articles").disable_fts()
    search_index.create_index(db)


@migrations()
def m009_editor_view(db: Database) -> None:
    """The news view as editors read it (storage/views.py)."""
    views.create_editor_views(db)


@migrations()
def m010_digest_archive(db: Database) -> None:
    """Each digest as it was sent (its HTML and plain text, and their language), so the
    archive in Datasette shows what readers got."""
    db.table("digests").add_column("language", str)
    db.table("digests").add_column("html", str)
    db.table("digests").add_column("text", str)
