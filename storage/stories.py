"""Stories in the store: each article joins the story of its earlier reprint, or starts one.

The LSH index is two tables, so it lives as long as the database and every process
that writes the store sees it: ``story_signatures`` (one MinHash per article, to
re-band or compare without re-reading texts) and ``story_bands`` (bucket -> article,
one row per band). Adding an article costs a fixed number of index probes and reads
the texts of a few candidates only; the store's size does not enter.

Source boilerplate ("About the agency...", a template's closing paragraph) is
counted in ``source_paragraphs``: a paragraph a source has printed under another of
its articles cannot prove that two texts are one story, and it is left out of the
signature, or every notice under a long footer would share the footer's buckets and
each lookup would read all of them.

All methods run inside the caller's transaction (the store's ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from aggregator import reprints
from storage.rows import named, one

MAX_CANDIDATES = 20              # verified best first; more would be a template, not a story
MAX_BUCKET_ROWS = 1000           # a safety cap on what one lookup reads from the buckets


@dataclass(frozen=True)
class Placement:
    story_id: int
    reprint_of: int | None       # the earlier article whose story it joined


class StoryIndex:
    """Near-duplicate lookups and story assignment over one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def place(self, article_id: int, source_id: str, text: str,
              normalized: str | None = None) -> Placement:
        """Index a new article and put it in the story of its best-matching reprint.
        ``normalized``: ``reprints.normalize_text(text)``, when the caller has it already."""
        own_keys = reprints.keys_of(text)
        boilerplate = self._boilerplate(source_id, own_keys, counted=False)
        values = reprints.signature(reprints.without(text, boilerplate),
                                    None if boilerplate else normalized)
        keys = reprints.band_keys(values)
        match = self._best_match(article_id, values, keys, text, boilerplate)
        self._index(article_id, values, keys)
        self._count_paragraphs(source_id, own_keys)
        story_id = article_id if match is None else self.conn.execute(
            "SELECT cluster_id FROM articles WHERE id = ?", (match,)).fetchone()[0]
        self.conn.execute("UPDATE articles SET cluster_id = ? WHERE id = ?",
                          (story_id, article_id))
        return Placement(story_id, match)

    def revise(self, article_id: int, source_id: str, text: str) -> None:
        """A revision keeps its row and its story; only its signature and bands move."""
        boilerplate = self._boilerplate(source_id, reprints.keys_of(text), counted=True)
        values = reprints.signature(reprints.without(text, boilerplate))
        self.conn.execute("DELETE FROM story_bands WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM story_signatures WHERE article_id = ?", (article_id,))
        self._index(article_id, values, reprints.band_keys(values))

    # -- internals ----------------------------------------------------------------
    def _best_match(self, article_id: int, values: np.ndarray, keys: list[int], text: str,
                    boilerplate: set[int]) -> int | None:
        marks = ",".join("?" * len(keys))
        rows = named(
            self.conn,
            f"SELECT DISTINCT b.article_id, s.minhash FROM story_bands b "
            f"JOIN story_signatures s ON s.article_id = b.article_id "
            f"WHERE b.bucket IN ({marks}) AND b.article_id != ? LIMIT {MAX_BUCKET_ROWS}",
            (*keys, article_id)
        ).fetchall()
        ranked = sorted(((reprints.estimated_jaccard(values, reprints.unpack(row["minhash"])),
                          row["article_id"]) for row in rows), reverse=True)[:MAX_CANDIDATES]
        for _, other in ranked:
            found = one(self.conn, "SELECT text, source_id FROM articles WHERE id = ?",
                        (other,))
            if found is None:
                continue
            theirs = boilerplate | self._boilerplate(
                found["source_id"], reprints.keys_of(found["text"]), counted=True)
            if reprints.same_story(text, found["text"], theirs):
                return other
        return None

    def _index(self, article_id: int, values: np.ndarray, keys: list[int]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_signatures (article_id, minhash) "
                          "VALUES (?, ?)", (article_id, reprints.pack(values)))
        self.conn.executemany("INSERT OR IGNORE INTO story_bands (bucket, article_id) "
                              "VALUES (?, ?)", [(key, article_id) for key in keys])

    def placement_of(self, article_id: int) -> Placement:
        """The story a stored article is in (a known article joins nothing new)."""
        story_id = self.conn.execute("SELECT cluster_id FROM articles WHERE id = ?",
                                     (article_id,)).fetchone()[0]
        return Placement(story_id, None)

    def _boilerplate(self, source_id: str, keys: list[int], counted: bool) -> set[int]:
        """Those of a text's paragraph keys its source has printed under another of its
        articles (``counted``: this text's own paragraphs are already in the counts)."""
        if not keys:
            return set()
        marks = ",".join("?" * len(keys))
        return {key for (key,) in self.conn.execute(
            f"SELECT key FROM source_paragraphs WHERE source_id = ? AND key IN ({marks}) "
            f"AND articles >= ?", (source_id, *keys, 2 if counted else 1))}

    def _count_paragraphs(self, source_id: str, keys: list[int]) -> None:
        self.conn.executemany(
            "INSERT INTO source_paragraphs (source_id, key, articles) VALUES (?, ?, 1) "
            "ON CONFLICT (source_id, key) DO UPDATE SET articles = articles + 1",
            [(source_id, key) for key in set(keys)])
