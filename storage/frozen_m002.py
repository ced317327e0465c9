"""What migration m002_stories ran to put the articles stored before stories existed into
stories: ``StoryIndex.place()`` and the reprint functions it called (storage/stories.py and
aggregator/reprints.py), frozen as they were when m002 shipped (commit 25cd872).

A migration that has shipped must do on every database what it did on the first, however
today's story detection changes (its thresholds, its boilerplate rule, its signatures).
So this module imports nothing of the project's reprint code, and is never edited: the
test that a database at m001 gets the same stories as today's code places says when the
two part, and then it is today's code that moved.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Collection

import numpy as np
from datasketch import MinHash
from sqlite_utils import Database

from storage.rows import named, one

NUM_PERM = 128
SHINGLE_WORDS = 4
MIN_PARAGRAPH_CHARS = 40
PARAGRAPH_FOUND = 0.5
SAME_STORY_SHARE = 0.5
SAME_STORY_PARAGRAPHS = 2
SEED = 1
BANDS, ROWS = 37, 3              # datasketch's _optimal_param(0.3, 128, 0.5, 0.5) then
MAX_CANDIDATES = 20
MAX_BUCKET_ROWS = 1000

_QUOTES = re.compile(r"[«»“”„\"'‘’`]")
_DASHES = re.compile(r"[‐‑‒–—―-]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def place_stored_articles(db: Database) -> None:
    """Each stored article, oldest first, into the story of its earlier reprint, or its own."""
    index = _Index(db.conn, MinHash(num_perm=NUM_PERM, seed=SEED).permutations)
    for row in named(db.conn, "SELECT id, source_id, text FROM articles ORDER BY id"
                     ).fetchall():
        index.place(row["id"], row["source_id"], row["text"] or "")


class _Index:
    """StoryIndex.place() and what it called, on m002's connection."""

    def __init__(self, conn: sqlite3.Connection, permutations: np.ndarray) -> None:
        self.conn = conn
        self.permutations = permutations

    def place(self, article_id: int, source_id: str, text: str) -> None:
        own_keys = _keys_of(text)
        boilerplate = self._boilerplate(source_id, own_keys, counted=False)
        values = self._signature(_without(text, boilerplate))
        keys = _band_keys(values)
        match = self._best_match(article_id, values, keys, text, boilerplate)
        self._index(article_id, values, keys)
        self._count_paragraphs(source_id, own_keys)
        story_id = article_id
        if match is not None:
            found = one(self.conn, "SELECT cluster_id FROM articles WHERE id = ?", (match,))
            assert found is not None                 # a match is a stored article
            story_id = found["cluster_id"]
        self.conn.execute("UPDATE articles SET cluster_id = ? WHERE id = ?",
                          (story_id, article_id))

    def _signature(self, text: str) -> np.ndarray:
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=self.permutations)
        minhash.update_batch([s.encode("utf-8") for s in _shingles(text)])
        values: np.ndarray = minhash.hashvalues
        return values

    def _best_match(self, article_id: int, values: np.ndarray, keys: list[int], text: str,
                    boilerplate: set[int]) -> int | None:
        marks = ",".join("?" * len(keys))
        rows = named(
            self.conn,
            f"SELECT DISTINCT b.article_id, s.minhash FROM story_bands b "
            f"JOIN story_signatures s ON s.article_id = b.article_id "
            f"WHERE b.bucket IN ({marks}) AND b.article_id != ? LIMIT {MAX_BUCKET_ROWS}",
            (*keys, article_id)).fetchall()
        ranked = sorted(((_estimated_jaccard(values, _unpack(row["minhash"])),
                          row["article_id"]) for row in rows), reverse=True)[:MAX_CANDIDATES]
        for _, other in ranked:
            found = one(self.conn, "SELECT text, source_id FROM articles WHERE id = ?",
                        (other,))
            if found is None:
                continue
            theirs = boilerplate | self._boilerplate(found["source_id"],
                                                     _keys_of(found["text"]), counted=True)
            if _same_story(text, found["text"], theirs):
                return other
        return None

    def _index(self, article_id: int, values: np.ndarray, keys: list[int]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_signatures (article_id, minhash) "
                          "VALUES (?, ?)", (article_id, values.astype("<u8").tobytes()))
        self.conn.executemany("INSERT OR IGNORE INTO story_bands (bucket, article_id) "
                              "VALUES (?, ?)", [(key, article_id) for key in keys])

    def _boilerplate(self, source_id: str, keys: list[int], counted: bool) -> set[int]:
        if not keys:
            return set()
        marks = ",".join("?" * len(keys))
        return {row["key"] for row in named(
            self.conn,
            f"SELECT key FROM source_paragraphs WHERE source_id = ? AND key IN ({marks}) "
            f"AND articles >= ?", (source_id, *keys, 2 if counted else 1))}

    def _count_paragraphs(self, source_id: str, keys: list[int]) -> None:
        self.conn.executemany(
            "INSERT INTO source_paragraphs (source_id, key, articles) VALUES (?, ?, 1) "
            "ON CONFLICT (source_id, key) DO UPDATE SET articles = articles + 1",
            [(source_id, key) for key in set(keys)])


def _normalize_text(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    norm = _QUOTES.sub("", norm)
    norm = _DASHES.sub("-", norm)
    return _SPACE.sub(" ", norm).strip()


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(_normalize_text(text))
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _band_keys(values: np.ndarray) -> list[int]:
    return [int.from_bytes(hashlib.blake2b(values[i * ROWS:(i + 1) * ROWS].tobytes(),
                                           digest_size=8, salt=i.to_bytes(8, "little")
                                           ).digest(), "little", signed=True)
            for i in range(BANDS)]


def _estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def _unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def _paragraphs(text: str) -> list[str]:
    return [p for p in (p.strip() for p in text.split("\n\n")) if p]


def _paragraph_key(paragraph: str) -> int:
    digest = hashlib.blake2b(_normalize_text(paragraph).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _keys_of(text: str) -> list[int]:
    return [_paragraph_key(p) for p in _paragraphs(text) if len(p) >= MIN_PARAGRAPH_CHARS]


def _without(text: str, boilerplate: Collection[int]) -> str:
    if not boilerplate:
        return text
    kept = [p for p in _paragraphs(text) if _paragraph_key(p) not in boilerplate]
    return "\n\n".join(kept) if kept else text


def _same_story(text: str, other: str, boilerplate: Collection[int]) -> bool:
    mine = _substance(text, boilerplate)
    theirs = _substance(other, boilerplate)
    if not mine or not theirs:
        return False
    shorter, longer = sorted((mine, theirs), key=lambda ps: sum(len(p) for p in ps))
    longer_shingles = set().union(*(_shingles(p) for p in longer))
    found = [p for p in shorter if _share_in(p, longer_shingles) >= PARAGRAPH_FOUND]
    needed = min(SAME_STORY_PARAGRAPHS, len(shorter))
    share = sum(len(p) for p in found) / sum(len(p) for p in shorter)
    return len(found) >= needed and share >= SAME_STORY_SHARE


def _substance(text: str, boilerplate: Collection[int]) -> list[str]:
    return [p for p in _paragraphs(text)
            if len(p) >= MIN_PARAGRAPH_CHARS and _paragraph_key(p) not in boilerplate]


def _share_in(paragraph: str, other: set[str]) -> float:
    own = _shingles(paragraph)
    return len(own & other) / len(own) if own else 0.0
