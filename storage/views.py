"""The views editors browse in Datasette (migration m009).

The news view answers an editor's questions in one row: what (the title and a short
excerpt), who (the source's name and region), when (the publisher's own date as stored,
with ``published_utc`` to sort by the instant, since the text of dates with different
offsets does not sort in time order), and who else carries the story.
"""

from __future__ import annotations

from sqlite_utils import Database

EXCERPT_CHARS = 160

# The instant an article was published, as text that sorts in time order: UTC with "Z",
# or the plain date of a date-only value (it names a day, not a moment). One expression,
# so that an index on it (``CREATE INDEX ... ON articles(<this>)``) serves the view's
# sort (made with the view): without it, sorting reads every row (about 0.1 s at 20k
# articles, 4 ms with it).
PUBLISHED_UTC = ("CASE WHEN length(published_at) = 10 THEN published_at"
                 " ELSE strftime('%Y-%m-%dT%H:%M:%SZ', published_at) END")

# One row per article. ``published_utc``: above; ``also_reported_by``: the
# other sources whose articles are in the same story, by name, only asked for stories
# of more than one article (the count is an index lookup). The excerpt is cut before
# newlines are replaced, so a long text costs no more than a short one.
NEWS_VIEW = f"""
SELECT a.id, a.title, COALESCE(s.name, a.source_id) AS source, s.region, a.language,
       a.published_at,
       {PUBLISHED_UTC.replace("published_at", "a.published_at")} AS published_utc,
       substr(a.published_at, 1, 10) AS day,
       CASE WHEN length(substr(a.text, 1, {EXCERPT_CHARS + 1})) > {EXCERPT_CHARS}
            THEN rtrim(replace(replace(substr(a.text, 1, {EXCERPT_CHARS}),
                                       char(10) || char(10), ' '), char(10), ' ')) || '…'
            ELSE replace(replace(a.text, char(10) || char(10), ' '), char(10), ' ')
       END AS excerpt,
       CASE WHEN (SELECT COUNT(*) FROM articles c WHERE c.cluster_id = a.cluster_id) > 1
            THEN (SELECT group_concat(name, ', ') FROM (
                    SELECT DISTINCT COALESCE(o.name, b.source_id) AS name
                    FROM articles b LEFT JOIN sources o ON o.id = b.source_id
                    WHERE b.cluster_id = a.cluster_id AND b.source_id != a.source_id
                    ORDER BY name))
       END AS also_reported_by,
       a.cluster_id AS story, a.source_id, a.first_seen_at, a.url
FROM articles a LEFT JOIN sources s ON s.id = a.source_id
"""


def create_editor_views(db: Database) -> None:
    """The news view for editors, in place of m005's, and the index its sort uses."""
    db.execute("DROP VIEW IF EXISTS news")
    db.create_view("news", NEWS_VIEW)
    db.execute(f"CREATE INDEX IF NOT EXISTS articles_published_utc ON articles ({PUBLISHED_UTC})")
