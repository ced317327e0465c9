"""Word forms for the search benchmark's gold, without aggregator.search: pymorphy3
lexemes (an analyzer of our own) for ru and uk, regular suffix rules for en (not
Snowball's stems, which also join derived words: "experiments" and "experiences").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

CONTENT_POS = ("NOUN", "ADJF")


@lru_cache(maxsize=2)
def morph(lang: str) -> Any:         # pymorphy3 has no types
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=100_000)
def lexeme(word: str, lang: str) -> frozenset[str]:
    """Every form of the word's lemma(s) in pymorphy3's lexemes, folded."""
    return frozenset(fold(f.word) for p in morph(lang).parse(word) for f in p.lexeme)


def unambiguous(word: str, lang: str, lemma: str | None = None) -> Any | None:
    """The parse of a known noun or adjective that no other lemma claims (and, given
    ``lemma``, that is a form of it), else None: a query word means one word."""
    analyzer = morph(lang)
    if not analyzer.word_is_known(word):
        return None
    parses = analyzer.parse(word)
    first = parses[0]
    if first.tag.POS not in CONTENT_POS or any(p.normal_form != first.normal_form
                                               for p in parses):
        return None
    return first if lemma is None or first.normal_form == lemma else None


def en_inflections(base: str) -> set[str]:
    out = {base, base + "s", base + "es", base + "ed", base + "ing"}
    if base.endswith("e"):
        out |= {base + "d", base[:-1] + "ing"}
    if base.endswith("y"):
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if base[-1] not in "aeiouywx":
        out |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return out


def en_bases(word: str) -> set[str]:
    bases = {word}
    if word.endswith(("ies", "ied")):
        bases.add(word[:-3] + "y")
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
        bases.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        bases.add(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            bases |= {stem, stem + "e"}
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "sflz":
                bases.add(stem[:-1])
    return {b for b in bases if len(b) >= 3}


def en_forms(word: str, vocab: set[str]) -> frozenset[str]:
    """The word's regular inflections, from every base the corpus attests (the base, or
    one of its inflections other than the word itself, occurs in some text)."""
    out = {word}
    for base in en_bases(word):
        forms = en_inflections(base)
        if base == word or base in vocab or (forms - {word}) & vocab:
            out |= forms
    return frozenset(out)
