"""The digest's reads: the articles first seen in its window, and the earlier articles of
the stories it lists, each with what the digest shows of its source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.rows import named
from storage.store import Store

CHUNK = 500                      # story ids per statement, well under SQLite's 999 markers


@dataclass(frozen=True, slots=True)
class DigestArticle:
    id: int
    story_id: int | None         # articles.cluster_id (None: stored before stories existed)
    source_id: str
    url: str
    title: str | None
    text: str | None
    published_at: str | None     # as stored (ISO 8601)
    first_seen_at: str
    source_name: str             # the source's name, or its id when it is not in `sources`
    region: str                  # "" when unknown
    timezone: str | None         # the source's zone, for reading a published_at without offset


COLUMNS = ("a.id, a.cluster_id AS story_id, a.source_id, a.url, a.title, a.text,"
           " a.published_at, a.first_seen_at, COALESCE(s.name, a.source_id) AS source_name,"
           " COALESCE(s.region, '') AS region, s.timezone"
           " FROM articles a LEFT JOIN sources s ON s.id = a.source_id")


def seen_between(store: Store, start: str, end: str) -> list[DigestArticle]:
    """The articles the store first saw in [start, end) (UTC ISO strings), oldest id first."""
    return [DigestArticle(**row) for row in named(
        store.db.conn, f"SELECT {COLUMNS} WHERE a.first_seen_at >= ? AND a.first_seen_at < ?"
                       " ORDER BY a.id", (start, end))]


def of_stories(store: Store, story_ids: Sequence[int], before: str) -> list[DigestArticle]:
    """The articles of these stories that the store first saw before ``before``."""
    found = []
    for chunk in range(0, len(story_ids), CHUNK):
        ids = list(story_ids[chunk:chunk + CHUNK])
        marks = ",".join("?" * len(ids))
        found += [DigestArticle(**row) for row in named(
            store.db.conn, f"SELECT {COLUMNS} WHERE a.cluster_id IN ({marks})"
                           " AND a.first_seen_at < ?", [*ids, before])]
    return found
