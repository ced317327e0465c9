"""Words to lemmas: what the search index stores and what a query is matched by.

Cyrillic words go through pymorphy3's ru and uk dictionaries: a word one dictionary
knows takes that dictionary's lemma, a word both know (or neither) takes both lemmas
when they differ, so a query and a text need only one lemma in common. Latin words are
reduced to their Snowball (English) stem. Case and ё are folded, and so are Latin
letters that look like Cyrillic ones inside a word mixing both scripts («Прaвительство»
typed with a Latin «a»).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
APOSTROPHE_RE = re.compile("[\u2019\u02bc\u2018`]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[a-z]")
# Raised whenever a change here gives a word another lemma: indexes built before are rebuilt.
RULES_VERSION = 2
_LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "snowballstemmer",
              "PyStemmer")

# Function words, as written (folded): they occur in every text, so indexing them costs
# about a third of the index and finds nothing. Words that are also names or acronyms
# ("it": IT, "us": US, "who": WHO) are kept.
STOP_WORDS = frozenset("""
a an the and or but nor of to in on at by for with from into onto as is are was were be
been being am that this these those its he she they we you i me him her his their them
our your my has have had do does did not no so than then there which what when will would
can could shall should may might also if about over such
и в во на с со к ко по о об обо от до за из изо у для не ни а но что как это так же ли бы
б то или при без через над под про уже еще его ее их он она они оно мы вы я ты также
только чтобы где когда
і й та із зі від з ні але що як це чи би або під її їх він вона вони воно ви ти тільки
ще вже щоб де коли
""".split())

# Lower-case letters that look alike in both scripts.
_LATIN = "aeopcxykmthbi"
_CYRILLIC = "аеорсхукмтнві"
TO_CYRILLIC = str.maketrans(_LATIN, _CYRILLIC)
TO_LATIN = str.maketrans(_CYRILLIC, _LATIN)


@lru_cache(maxsize=1)
def lemmatiser_version() -> str:
    """Our rules' version and the dictionaries' and stemmer's: what makes lemmas repeatable."""
    from importlib.metadata import version

    return " ".join([f"rules={RULES_VERSION}", *(f"{lib}={version(lib)}" for lib in _LIBRARIES)])


@lru_cache(maxsize=1)
def analyzers() -> dict[str, Any]:
    """The ru and uk pymorphy3 analyzers, loaded once (each takes a fraction of a second)."""
    import pymorphy3

    return {"ru": pymorphy3.MorphAnalyzer(lang="ru"), "uk": pymorphy3.MorphAnalyzer(lang="uk")}


@lru_cache(maxsize=1)
def _english_stemmer() -> Any:      # snowballstemmer has no types
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def fold(word: str) -> str:
    """Lower case, ё as е, and look-alike letters of a mixed-script word in its main script."""
    word = word.lower().replace("ё", "е")
    cyrillic = len(CYRILLIC_RE.findall(word))
    latin = len(LATIN_RE.findall(word))
    if cyrillic and latin:
        word = word.translate(TO_CYRILLIC if cyrillic >= latin else TO_LATIN)
    return word


def words(text: str) -> list[re.Match[str]]:
    """The words of a text (letters and digits, apostrophes inside kept), with positions."""
    return list(WORD_RE.finditer(APOSTROPHE_RE.sub("'", text)))


@lru_cache(maxsize=10_000)
def word_lemmas(word: str) -> tuple[str, ...]:
    """The lemma(s) of one folded word: one usually, two when ru and uk both claim it,
    none for a function word."""
    if word in STOP_WORDS:
        return ()
    if CYRILLIC_RE.search(word):
        morph = analyzers()
        usable = list(morph.values())
        known = [a for a in usable if a.word_is_known(word)] or usable
        found: list[str] = []
        for analyzer in known:
            lemma = analyzer.parse(word)[0].normal_form.replace("ё", "е")
            if lemma not in found:
                found.append(lemma)
        return tuple(found)
    if LATIN_RE.search(word):
        return (_english_stemmer().stemWord(word),)
    return (word,)


# A worker's working vocabulary: 21,700 forms held 7.2 MB with word_lemmas' cache full
# (tracemalloc, aeb's texts); a word past it costs a lookup again (about 50 µs, DAWG2).
@lru_cache(maxsize=30_000)
def _lemmas_as_written(word: str) -> tuple[str, ...]:
    """word_lemmas of a word as the text spells it: a repeated word costs one lookup."""
    return word_lemmas(fold(word))


def lemma_tokens(text: str) -> list[str]:
    """Every word of ``text`` as its lemma(s), in order: what the index stores."""
    tokens: list[str] = []
    for word in WORD_RE.findall(APOSTROPHE_RE.sub("'", text)):
        tokens.extend(_lemmas_as_written(word))
    return tokens


def index_strings(title: str | None, text: str | None) -> tuple[str, str]:
    """What the search index holds for an article's title and text: their lemmas,
    space-separated (made in the extraction workers, or by the store)."""
    return " ".join(lemma_tokens(title or "")), " ".join(lemma_tokens(text or ""))
