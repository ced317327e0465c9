"""Topic rules: keywords written once, matched in every Russian, Ukrainian and English form.

A user writes ``электронное правительство`` or ``е-врядування`` once; every case
and number of it matches (the forms come from pymorphy3's ru and uk
dictionaries). English words match by their Snowball stem, so ``e-government``
also finds ``e-governments``. A word written with two or more capitals
(``WeGO``, ``МФЦ``, ``ИИ``) is an acronym and matches exactly that spelling; a
word ending in ``*`` matches any word it begins. A phrase matches its words in
order, next to each other.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from aggregator.digest.settings import TopicRule

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2212"), "-")
APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u02bc\u2018`"), "'")
TOKEN_RE = re.compile(r"\w+(?:['-]\w+)*")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[a-z]")


def fold(word: str) -> str:
    """Case and ё folded: how every non-acronym word is compared."""
    return word.lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Words of a text in their original case, dashes and apostrophes unified."""
    text = unicodedata.normalize("NFKC", text).translate(DASHES).translate(APOSTROPHES)
    return TOKEN_RE.findall(text)


@dataclass(frozen=True)
class _Token:
    exact: str
    folded: str


WordTest = Callable[[_Token], bool]


@lru_cache(maxsize=1)
def _analyzers() -> tuple:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru"), pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=1)
def _english_stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def english_stem(word: str) -> str:
    head, dash, last = word.rpartition("-")
    return head + dash + _english_stemmer().stemWord(last)


def word_forms(word: str) -> frozenset[str]:
    """Every form of a Cyrillic word in the ru and uk dictionaries (folded).

    A word known to one dictionary takes its forms only from it; a word neither
    knows gets the forms both predict.
    """
    word = fold(word)
    analyzers = _analyzers()
    known = [a for a in analyzers if a.word_is_known(word)] or list(analyzers)
    forms = {word}
    for analyzer in known:
        for parse in analyzer.parse(word):
            forms.update(fold(form.word) for form in parse.lexeme)
    head, dash, last = word.rpartition("-")
    if dash and CYRILLIC_RE.search(last):
        forms.update(head + dash + form for form in word_forms(last))
    return frozenset(forms)


def is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def word_test(word: str) -> WordTest:
    """How one keyword word recognises a word of the text."""
    if word.endswith("*"):
        prefix = fold(word[:-1])
        return lambda token: token.folded.startswith(prefix)
    if is_acronym(word):
        return lambda token: token.exact == word
    folded = fold(word)
    if CYRILLIC_RE.search(folded):
        forms = word_forms(folded)
        return lambda token: token.folded in forms
    if LATIN_RE.search(folded):
        stem = english_stem(folded)
        return lambda token: token.folded == folded or english_stem(token.folded) == stem
    return lambda token: token.folded == folded


@dataclass(frozen=True)
class Phrase:
    text: str
    tests: tuple[WordTest, ...]

    def found_in(self, tokens: Sequence[_Token]) -> bool:
        if not self.tests:
            return False
        first, rest = self.tests[0], self.tests[1:]
        last_start = len(tokens) - len(self.tests)
        for start in range(last_start + 1):
            if first(tokens[start]) and all(
                    test(tokens[start + 1 + i]) for i, test in enumerate(rest)):
                return True
        return False


def compile_phrase(keyword: str) -> Phrase:
    words: list[str] = []
    for part in keyword.split():
        words.extend(tokenize(part))          # «МФЦ» -> МФЦ
        if part.endswith("*") and words:
            words[-1] += "*"
    return Phrase(keyword, tuple(word_test(w) for w in words))


class TopicMatcher:
    """Which topics a text belongs to, in the order the topics are declared."""

    def __init__(self, topics: Iterable[TopicRule]) -> None:
        self.topics = list(topics)
        self._rules = [([compile_phrase(k) for k in topic.keywords],
                        [compile_phrase(k) for k in topic.exclude]) for topic in self.topics]

    def match(self, *texts: str | None) -> list[str]:
        """The ids of the topics whose keywords appear in the texts (and no exclusion)."""
        tokens = [_Token(word, fold(word)) for text in texts if text for word in tokenize(text)]
        found = []
        for topic, (keywords, exclude) in zip(self.topics, self._rules):
            if any(p.found_in(tokens) for p in keywords) and not any(
                    p.found_in(tokens) for p in exclude):
                found.append(topic.id)
        return found
