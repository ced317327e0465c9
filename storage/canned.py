"""The SQL of the canned queries `newsagg browse` gives Datasette (their titles and
descriptions are browse's, in aggregator/browse/metadata.py). Kept with the schema they
read, so that a migration that renames a column finds them here."""

from __future__ import annotations

# datasette-atom turns a query with these columns into an Atom feed (the .atom URL).
ATOM_COLUMNS = ("'urn:newsagg:article:' || a.id AS atom_id, a.title AS atom_title,"
                " a.first_seen_at AS atom_updated, a.url AS atom_link,"
                " substr(a.text, 1, 600) AS atom_content, s.name AS atom_author_name")

LATEST = (f"SELECT a.id, a.title, s.name AS source, s.region, a.published_at,"
          f" a.first_seen_at, a.url, {ATOM_COLUMNS} FROM articles a"
          " LEFT JOIN sources s ON s.id = a.source_id"
          " ORDER BY a.first_seen_at DESC, a.id DESC LIMIT 100")

TODAYS_DIGEST = ("WITH last AS (SELECT digest_date, article_ids FROM digests"
                 " WHERE status = 'sent' ORDER BY digest_date DESC, id DESC LIMIT 1)"
                 " SELECT last.digest_date, a.cluster_id AS story, a.id, a.title,"
                 " s.name AS source, s.region, a.published_at, a.url"
                 " FROM last, json_each(last.article_ids) j"
                 " JOIN articles a ON a.id = j.value"
                 " LEFT JOIN sources s ON s.id = a.source_id"
                 " ORDER BY a.cluster_id, a.published_at")

SINCE_LAST_DIGEST = ("SELECT a.id, a.title, s.name AS source, s.region, a.published_at,"
                     " a.first_seen_at, a.cluster_id AS story, a.url FROM articles a"
                     " LEFT JOIN sources s ON s.id = a.source_id WHERE a.first_seen_at >="
                     " COALESCE((SELECT window_end FROM digests WHERE status = 'sent'"
                     " ORDER BY digest_date DESC, id DESC LIMIT 1), '')"
                     " ORDER BY a.first_seen_at DESC")

SHARED_STORIES = ("SELECT id AS story, title, first_published, first_seen, articles, sources,"
                  " source_ids FROM stories WHERE sources >= 2 ORDER BY first_seen DESC")

# The flag first: it is what the page is read for.
HEALTH = ("SELECT health, source_id, last_crawl_at, last_result, last_fetched,"
          " last_new, last_failed, articles_24h, articles_7d, articles_total, no_text_share,"
          " no_text_share_before, undated_share, undated_share_before FROM source_health"
          " ORDER BY health != 'ok' DESC, source_id")

# The queries `newsagg demo` suggests a newcomer run with sqlite-utils (tests/test_cli.py
# runs them and checks they find rows).
HINT_LATEST = "select source_id, published_at, title from articles order by published_at desc"
HINT_SHARED_STORIES = "select * from stories where sources > 1"
