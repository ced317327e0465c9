"""Reprints: the same story's text carried by several sources, told from look-alikes.

A press release is reprinted with another headline, a trimmed lead, an added
"for reference" paragraph, typos fixed. Two steps find its earlier copies:

1. Candidates: MinHash signatures of normalized word shingles (datasketch), banded
   as in LSH. The bands live in SQLite (see :mod:`storage.stories`), so the index
   survives restarts and a lookup stays a few index probes however big the store.
2. Proof: a candidate is the same story only when most of the shorter text is found,
   paragraph by paragraph, in the other one, in at least two paragraphs that are not
   the source's boilerplate. A shared template line or a long "about us" paragraph
   is one paragraph, however long: never enough.

Everything here is pure (text in, numbers out); the store does the I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

NUM_PERM = 128                   # MinHash permutations: error of a Jaccard estimate ~0.09
SHINGLE_WORDS = 4                # word shingles; a typo changes at most this many
CANDIDATE_JACCARD = 0.3          # LSH threshold: reprints with menus or a new lead still meet
MIN_PARAGRAPH_CHARS = 40         # shorter lines ("Пресс-служба сообщает") prove nothing
PARAGRAPH_FOUND = 0.5            # share of a paragraph's shingles the other text must hold
SAME_STORY_SHARE = 0.5           # share of the shorter text found in the other one
SAME_STORY_PARAGRAPHS = 2        # ...in at least this many paragraphs (if it has them)
SEED = 1

BANDS, ROWS = _optimal_param(CANDIDATE_JACCARD, NUM_PERM, 0.5, 0.5)
# Drawn once: making them is a tenth of a signature's cost (the seed fixes them).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations

_QUOTES = re.compile(r"[«»“”„\"'‘’`]")
_DASHES = re.compile(r"[‐‑‒–—―-]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize_text(text: str) -> str:
    """Case, ё/е, quotes, dashes and whitespace folded: what a reprint may change freely."""
    norm = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    norm = _QUOTES.sub("", norm)
    norm = _DASHES.sub("-", norm)
    return _SPACE.sub(" ", norm).strip()


def shingles(text: str, normalized: str | None = None) -> set[str]:
    """Word shingles of the normalized text (the whole text when it is shorter);
    ``normalized``: ``normalize_text(text)``, when the caller has it already."""
    words = _WORD.findall(normalized if normalized is not None else normalize_text(text))
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str, normalized: str | None = None) -> np.ndarray:
    """The text's MinHash values (uint64, NUM_PERM of them)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS)
    minhash.update_batch([s.encode("utf-8") for s in shingles(text, normalized)])
    return minhash.hashvalues


def band_keys(values: np.ndarray) -> list[int]:
    """One bucket key per LSH band (the band's number hashed in), as signed 64-bit
    integers: one SQLite index over all bands."""
    return [int.from_bytes(hashlib.blake2b(values[i * ROWS:(i + 1) * ROWS].tobytes(),
                                           digest_size=8, salt=i.to_bytes(8, "little")
                                           ).digest(), "little", signed=True)
            for i in range(BANDS)]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def paragraphs(text: str) -> list[str]:
    return [p for p in (p.strip() for p in text.split("\n\n")) if p]


def paragraph_key(paragraph: str) -> int:
    """A paragraph's identity for boilerplate counting, as a signed 64-bit integer."""
    digest = hashlib.blake2b(normalize_text(paragraph).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def same_story(text: str, other: str, boilerplate: Collection[int] = ()) -> bool:
    """Whether two texts are one story: most of the shorter one, paragraph by paragraph,
    is in the other, and not only the paragraphs its sources print under every story.

    ``boilerplate``: paragraph keys known to recur in a source's unrelated stories.
    """
    mine = _substance(text, boilerplate)
    theirs = _substance(other, boilerplate)
    if not mine or not theirs:
        return False
    shorter, longer = sorted((mine, theirs), key=lambda ps: sum(len(p) for p in ps))
    longer_shingles = set().union(*(shingles(p) for p in longer))
    found = [p for p in shorter if _share_in(p, longer_shingles) >= PARAGRAPH_FOUND]
    needed = min(SAME_STORY_PARAGRAPHS, len(shorter))
    share = sum(len(p) for p in found) / sum(len(p) for p in shorter)
    return len(found) >= needed and share >= SAME_STORY_SHARE


def _substance(text: str, boilerplate: Collection[int]) -> list[str]:
    """The paragraphs that can prove a story: long enough, not a source's boilerplate."""
    return [p for p in paragraphs(text)
            if len(p) >= MIN_PARAGRAPH_CHARS and paragraph_key(p) not in boilerplate]


def _share_in(paragraph: str, other: set[str]) -> float:
    own = shingles(paragraph)
    return len(own & other) / len(own) if own else 0.0


def without(text: str, boilerplate: Collection[int]) -> str:
    """The text minus its known boilerplate paragraphs (the whole text if nothing is left)."""
    if not boilerplate:
        return text
    kept = [p for p in paragraphs(text) if paragraph_key(p) not in boilerplate]
    return "\n\n".join(kept) if kept else text


def keys_of(text: str) -> list[int]:
    """Keys of the text's paragraphs long enough to count."""
    return [paragraph_key(p) for p in paragraphs(text) if len(p) >= MIN_PARAGRAPH_CHARS]


def pack(values: np.ndarray) -> bytes:
    return values.astype("<u8").tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)

