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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aggregator.config.digest import TopicRule

DASH_RE = re.compile("[\u2010\u2011\u2012\u2013\u2212]")
APOSTROPHE_RE = re.compile("[\u2019\u02bc\u2018`]")
TOKEN_RE = re.compile(r"\w+(?:['-]\w+)*")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[a-z]")


def fold(word: str) -> str:
    """Case and ё folded: how every non-acronym word is compared."""
    return word.lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Words of a text in their original case, dashes and apostrophes unified."""
    text = DASH_RE.sub("-", unicodedata.normalize("NFKC", text))
    return TOKEN_RE.findall(APOSTROPHE_RE.sub("'", text))


@lru_cache(maxsize=1)
def _analyzers() -> tuple:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru"), pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=1)
def _english_stemmer() -> Any:   # snowballstemmer has no types
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


class Words:
    """The words of the texts searched, with the sets that make most keywords one lookup."""

    def __init__(self, *texts: str | None) -> None:
        text = "\n".join(t for t in texts if t)
        self.exact = tokenize(text)
        self.folded = tokenize(fold(text))
        if len(self.folded) != len(self.exact):      # a letter whose lower case splits
            self.folded = [fold(word) for word in self.exact]
        self.exact_set = frozenset(self.exact)
        self.folded_set = frozenset(self.folded)
        self._stems: frozenset[str] | None = None

    @property
    def stems(self) -> frozenset[str]:
        if self._stems is None:
            self._stems = frozenset(english_stem(w) for w in self.folded_set if LATIN_RE.search(w))
        return self._stems


@dataclass(frozen=True)
class WordTest:
    """How one keyword word recognises a word of the text: by its forms, stem, prefix,
    exact spelling (acronyms) or folded spelling."""

    kind: str
    value: str
    forms: frozenset[str] = frozenset()

    @classmethod
    def of(cls, word: str) -> WordTest:
        if word.endswith("*"):
            return cls("prefix", fold(word[:-1]))
        if is_acronym(word):
            return cls("acronym", word)
        folded = fold(word)
        if CYRILLIC_RE.search(folded):
            return cls("forms", folded, word_forms(folded))
        if LATIN_RE.search(folded):
            return cls("stem", english_stem(folded), frozenset([folded]))
        return cls("folded", folded)

    def anywhere(self, words: Words) -> bool:
        if self.kind == "prefix":
            return any(w.startswith(self.value) for w in words.folded_set)
        if self.kind == "acronym":
            return self.value in words.exact_set
        if self.kind == "forms":
            return not self.forms.isdisjoint(words.folded_set)
        if self.kind == "stem":
            return self.value in words.stems or not self.forms.isdisjoint(words.folded_set)
        return self.value in words.folded_set

    def at(self, words: Words, index: int) -> bool:
        folded = words.folded[index]
        if self.kind == "prefix":
            return folded.startswith(self.value)
        if self.kind == "acronym":
            return words.exact[index] == self.value
        if self.kind == "stem":
            return folded in self.forms or english_stem(folded) == self.value
        if self.kind == "forms":
            return folded in self.forms
        return folded == self.value


@dataclass(frozen=True)
class Phrase:
    text: str
    tests: tuple[WordTest, ...]

    def found_in(self, words: Words) -> bool:
        if not self.tests or not all(test.anywhere(words) for test in self.tests):
            return False
        return len(self.tests) == 1 or self.find(words) is not None

    def find(self, words: Words) -> int | None:
        """Where the phrase first starts in the words (an index), or None."""
        if not self.tests:
            return None
        first, rest = self.tests[0], self.tests[1:]
        for start in range(len(words.exact) - len(self.tests) + 1):
            if first.at(words, start) and all(
                    test.at(words, start + 1 + i) for i, test in enumerate(rest)):
                return start
        return None

    def found_form(self, words: Words) -> str | None:
        """The words of the text that matched, as written there (None: not found)."""
        if not all(test.anywhere(words) for test in self.tests):
            return None
        start = self.find(words)
        if start is None:
            return None
        return " ".join(words.exact[start:start + len(self.tests)])


def compile_phrase(keyword: str) -> Phrase:
    words: list[str] = []
    for part in keyword.split():
        words.extend(tokenize(part))          # «МФЦ» -> МФЦ
        if part.endswith("*") and words:
            words[-1] += "*"
    return Phrase(keyword, tuple(WordTest.of(w) for w in words))


@dataclass(frozen=True)
class TopicHit:
    """Why a text belongs to a topic: the keyword as the config wrote it, and the words
    of the text that matched it (``found``: None when they read the same, folded)."""

    topic_id: str
    keyword: str
    found: str | None = None


class TopicMatcher:
    """Which topics a text belongs to, in the order the topics are declared."""

    def __init__(self, topics: Iterable[TopicRule]) -> None:
        self.topics = list(topics)
        self._rules = [([compile_phrase(k) for k in topic.keywords],
                        [compile_phrase(k) for k in topic.exclude]) for topic in self.topics]

    def match(self, *texts: str | None) -> list[str]:
        """The ids of the topics whose keywords appear in the texts (and no exclusion)."""
        return [hit.topic_id for hit in self.hits(*texts)]

    def hits(self, *texts: str | None) -> list[TopicHit]:
        """The topics found, each with the first of its keywords (in declared order) that
        appears and the form the text has it in; a topic whose exclusion appears is not."""
        words = Words(*texts)
        hits = []
        for topic, (keywords, exclude) in zip(self.topics, self._rules, strict=True):
            for phrase in keywords:
                form = phrase.found_form(words)
                if form is None:
                    continue
                if not any(p.found_in(words) for p in exclude):
                    written = " ".join(_words_of(phrase.text))      # «цифров*» -> цифров
                    hits.append(TopicHit(topic.id, phrase.text,
                                         None if fold(form) == fold(written) else form))
                break
        return hits


def _words_of(keyword: str) -> list[str]:
    return [word for part in keyword.split() for word in tokenize(part)]
