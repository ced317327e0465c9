"""Telling Russian, Ukrainian and English apart from the text itself.

A letter-and-word count is enough for these three and costs microseconds;
the source's declared languages restrict the answer when it declares any.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
UK_LETTERS = set("іїєґ")
RU_LETTERS = set("ыэъё")
UK_WORDS = {"що", "це", "та", "які", "який", "яка", "до", "від", "для", "також", "як",
            "був", "була", "було", "року", "він", "вона", "ще", "між", "щодо", "є", "її"}
RU_WORDS = {"что", "это", "и", "как", "который", "которые", "был", "была", "было", "года",
            "он", "она", "еще", "ещё", "между", "также", "его", "для", "от", "при"}


def detect_language(text: str, allowed: Sequence[str] = ()) -> str | None:
    """ISO 639-1 code of the text's language, limited to `allowed` when given."""
    sample = text[:4000].lower()
    words = WORD_RE.findall(sample)
    if not words:
        return allowed[0] if len(allowed) == 1 else None
    cyrillic = sum(1 for w in words if "\u0400" <= w[0] <= "\u04ff")
    latin = sum(1 for w in words if w[0].isascii())
    scores: dict[str, float] = {"en": float(latin)}
    if cyrillic:
        uk = sum(ch in UK_LETTERS for ch in sample) * 2 + sum(w in UK_WORDS for w in words)
        ru = sum(ch in RU_LETTERS for ch in sample) * 2 + sum(w in RU_WORDS for w in words)
        total = max(uk + ru, 1)
        scores["uk"] = cyrillic * uk / total
        scores["ru"] = cyrillic * ru / total if uk + ru else float(cyrillic)
    if allowed:
        if cyrillic and "uk" not in allowed:    # a source that declares only one of the
            scores["ru"] = float(cyrillic)      # two: its Cyrillic text is that one
        if cyrillic and "ru" not in allowed:
            scores["uk"] = float(cyrillic)
        scores = {lang: scores.get(lang, 0.0) for lang in allowed}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 or len(scores) == 1 else None
