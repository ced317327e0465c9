"""The labelled query set of benchmarks/search.py: the texts, the queries and their gold.

The gold must not come from what is measured, so nothing here imports aggregator.search:
Russian and Ukrainian word forms come from pymorphy3 lexemes (an analyzer of our own),
English ones from suffix rules (-s/-es/-ies/-ed/-ing with e-drop and doubling), which
are not Snowball's stems. An article is gold for a query when its title or text holds
some form of every query word (a prefix: a word starting with it; a phrase: forms of its
words next to each other).
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.searchforms import en_forms, fold, lexeme, unambiguous

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench-data"
SEED = 18
TEXTS_VERSION = 1                   # raised when load_docs changes what it loads
KINDS = ("word", "words", "prefix", "phrase")
PER_KIND = {"word": 40, "words": 20, "prefix": 12, "phrase": 14}
TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'"})
EN_STOP = frozenset("""the and for that with this from have been were which their there
would could should about after other these those into more than also they them what when
where while will your said says only some such most very over just like being because""".split())


@dataclass(frozen=True)
class Doc:
    key: str
    set: str
    lang: str
    title: str | None
    text: str
    source_id: str
    url: str


@dataclass(frozen=True)
class Term:
    """One query term: kind word (forms[0]), prefix (written[0]) or phrase (forms, in order)."""

    kind: str
    written: tuple[str, ...]
    forms: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Query:
    lang: str
    kind: str
    terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        """As a user types it to `newsagg search`."""
        return " ".join(t.written[0] + "*" if t.kind == "prefix" else
                        f'"{" ".join(t.written)}"' if t.kind == "phrase" else t.written[0]
                        for t in self.terms)

    @property
    def fts(self) -> str:
        """The same query for plain FTS5: the words as written, AND-ed."""
        return " AND ".join(f'"{t.written[0]}"*' if t.kind == "prefix" else
                            '"' + " ".join(t.written) + '"' for t in self.terms)


@dataclass
class Tokens:
    """A document's folded words, title and text apart (a phrase does not span them)."""

    parts: list[list[str]]
    vocab: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.vocab = {w for part in self.parts for w in part}


def tokens(text: str | None) -> list[str]:
    """Lower case, ё as е, typographic apostrophes as '."""
    return TOKEN_RE.findall((text or "").lower().replace("ё", "е").translate(APOSTROPHES))


def language(text: str) -> str | None:
    """ru, uk or en by script: Cyrillic with more Ukrainian-only letters than Russian-only
    ones is uk; Latin text with English function words is en; anything else None."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return None
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    if cyrillic > 0.6 * len(letters):
        uk = sum(c in "іїєґ" for c in letters)
        return "uk" if uk > sum(c in "ыэъё" for c in letters) else "ru"
    latin = sum("a" <= c <= "z" for c in letters)
    words = tokens(text)
    english = sum(w in EN_STOP or w in ("of", "to", "in", "is", "a") for w in words)
    return "en" if latin > 0.8 * len(letters) and english >= 0.08 * len(words) else None


# -- texts ---------------------------------------------------------------------------
def _aeb() -> Iterator[tuple[str, str | None, str, str | None]]:
    truth = json.loads((DATA / "scrapinghub-aeb" / "ground-truth.json").read_text())
    for key in sorted(truth):
        yield key, None, truth[key]["articleBody"], None


def _wcxb() -> Iterator[tuple[str, str | None, str, str | None]]:
    for path in sorted((DATA / "wcxb" / "dev-articles" / "ground-truth").glob("*.json")):
        gold = json.loads(path.read_text())["ground_truth"]
        yield path.stem, gold.get("title"), gold.get("main_content") or "", None


def _extracted(folder: str) -> Iterator[tuple[str, str | None, str, str | None]]:
    """The Cyrillic pages of a set with no gold text: our extractor's text, and the
    language the set's subset list gives."""
    from aggregator.extract import extract_article
    from benchmarks.quality import decode

    base = DATA / folder
    for url, item in json.loads((base / "subset-ru-uk.json").read_text())["pages"].items():
        page = extract_article(decode(base / item["file"]), url)
        yield url, page.title, page.text or "", item["lang"]


def _demo() -> list[Doc]:
    """The demo web's articles, crawled offline into a throw-away store, in a fixed order
    and named by source and path (the crawl's order and the ports vary from run to run)."""
    from aggregator.demo.run import run_demo

    with tempfile.TemporaryDirectory(prefix="newsagg-search-demo-") as tmp:
        db = Path(tmp) / "demo.db"
        run_demo(db)
        conn = sqlite3.connect(db)
        rows = conn.execute("SELECT source_id, url, title, text, language FROM articles"
                            ).fetchall()
        conn.close()
    found = []
    for source_id, url, title, text, lang in rows:
        path = urlsplit(url).path
        found.append(Doc(f"{source_id}{path}", "demo", lang or language(text) or "", title,
                         text, source_id, f"https://{source_id}.demo.invalid{path}"))
    return sorted(found, key=lambda d: d.key)


def load_docs() -> list[Doc]:
    """Every ru, uk and en text of the bench sets and the demo, each text once."""
    found: list[Doc] = []
    seen: set[str] = set()
    sets = {"aeb": _aeb(), "wcxb": _wcxb(), "htmldate": _extracted("htmldate-eval"),
            "trafilatura": _extracted("trafilatura-eval")}
    for name, rows in sets.items():
        for n, (key, title, text, given) in enumerate(rows):
            lang = given or language(text)
            if lang is None or len(tokens(text)) < 30:
                continue
            found.append(Doc(key, name, lang, title, text, name,
                             f"https://{name}.bench.invalid/{n}"))
    found += _demo()
    out = []
    for doc in found:
        norm = " ".join(tokens(doc.text))
        if norm not in seen and doc.lang in ("ru", "uk", "en"):
            seen.add(norm)
            out.append(doc)
    return out


def cached_docs(store_dir: Path) -> list[Doc]:
    """load_docs, kept in store_dir between runs (the demo crawl and the extraction of
    the Cyrillic pages take a while); TEXTS_VERSION names the loader that made them."""
    path = store_dir / f"texts-v{TEXTS_VERSION}.json"
    if path.exists():
        return [Doc(**row) for row in json.loads(path.read_text())]
    docs = load_docs()
    store_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([dataclasses.asdict(d) for d in docs], ensure_ascii=False))
    return docs


# -- queries -------------------------------------------------------------------------
class Builder:
    """Queries drawn from the texts of one language with a seeded random generator."""

    def __init__(self, lang: str, docs: list[Doc], toks: list[Tokens], vocab: set[str],
                 rng: random.Random) -> None:
        self.lang, self.docs, self.toks, self.vocab, self.rng = lang, docs, toks, vocab, rng

    def forms(self, word: str) -> frozenset[str]:
        return en_forms(word, self.vocab) if self.lang == "en" else lexeme(word, self.lang)

    def candidates(self, doc: int) -> list[str]:
        words = self.toks[doc].parts[-1]
        if self.lang == "en":
            return [w for w in words if len(w) >= 5 and w.isascii() and w.isalpha()
                    and w not in EN_STOP]
        return [w for w in words if len(w) >= 4 and w.isalpha() and not w.isascii()]

    def inflect(self, word: str) -> str | None:
        """Another form of the word, one the index must reduce to the same word."""
        if self.lang == "en":
            options = sorted(w for w in (self.forms(word) & self.vocab) - {word}
                             if len(w) >= 4 and w not in EN_STOP)
            return self.rng.choice(options) if options else None
        parse = unambiguous(word, self.lang)
        if parse is None:
            return None
        options = sorted({fold(f.word) for f in parse.lexeme} - {word})
        options = [o for o in options
                   if o.isalpha() and unambiguous(o, self.lang, parse.normal_form)]
        return self.rng.choice(options) if options else None

    def word_term(self, written: str) -> Term:
        return Term("word", (written,), (self.forms(written),))

    def make(self, kind: str) -> Query | None:
        doc = self.rng.randrange(len(self.docs))
        words = self.candidates(doc)
        if not words:
            return None
        if kind == "word":
            form = self.inflect(self.rng.choice(words))
            return Query(self.lang, kind, (self.word_term(form),)) if form else None
        if kind == "words":
            chosen = self.rng.sample(sorted(set(words)), min(len(set(words)),
                                                             self.rng.choice((2, 2, 3))))
            forms = [self.inflect(w) for w in chosen]
            if None in forms or len({self.forms(f) for f in forms if f}) < len(forms):
                return None
            return Query(self.lang, kind, tuple(self.word_term(f) for f in forms if f))
        if kind == "prefix":
            long = [w for w in words if len(w) >= 8]
            if not long:
                return None
            word = self.rng.choice(long)
            return Query(self.lang, kind, (Term("prefix", (word[:max(5, len(word) - 3)],)),))
        return self.phrase(doc)

    def phrase(self, doc: int) -> Query | None:
        """Two neighbours of a text: ru/uk an adjective and its noun in another case, en
        two content words with the second in another form."""
        part = self.toks[doc].parts[-1]
        start = self.rng.randrange(max(1, len(part) - 1))
        for i in range(start, min(len(part) - 1, start + 200)):
            pair = self._phrase_at(part[i], part[i + 1])
            if pair:
                return Query(self.lang, "phrase", (Term("phrase", pair, tuple(
                    self.forms(w) for w in pair)),))
        return None

    def _phrase_at(self, first: str, second: str) -> tuple[str, str] | None:
        if self.lang == "en":
            if not all(len(w) >= 4 and w.isalpha() and w.isascii() and w not in EN_STOP
                       for w in (first, second)):
                return None
            other = self.inflect(second)
            return (first, other) if other else None
        adj, noun = unambiguous(first, self.lang), unambiguous(second, self.lang)
        if adj is None or noun is None or adj.tag.POS != "ADJF" or noun.tag.POS != "NOUN":
            return None
        if adj.tag.case != noun.tag.case or adj.tag.number != noun.tag.number:
            return None
        for case in self.rng.sample(["nomn", "gent", "datv", "ablt", "loct"], 5):
            if case == noun.tag.case:
                continue
            a, n = adj.inflect({case}), noun.inflect({case})
            if a is None or n is None or not (a.word.isalpha() and n.word.isalpha()):
                continue
            if unambiguous(a.word, self.lang, adj.normal_form) and \
                    unambiguous(n.word, self.lang, noun.normal_form):
                return fold(a.word), fold(n.word)
        return None


def build_queries(docs: list[Doc], toks: list[Tokens], seed: int = SEED) -> list[Query]:
    """PER_KIND queries of each kind for ru, uk and en, the same for one seed."""
    rng = random.Random(seed)
    vocab = set().union(*(t.vocab for t in toks))
    out: list[Query] = []
    for lang in ("ru", "uk", "en"):
        mine = [i for i, d in enumerate(docs) if d.lang == lang]
        builder = Builder(lang, [docs[i] for i in mine], [toks[i] for i in mine], vocab, rng)
        for kind in KINDS:
            made: dict[str, Query] = {}
            for _attempt in range(PER_KIND[kind] * 40):
                query = builder.make(kind)
                if query is not None:
                    made.setdefault(query.text, query)
                if len(made) == PER_KIND[kind]:
                    break
            out += made.values()
    return out


# -- gold ----------------------------------------------------------------------------
def _has_phrase(part: list[str], forms: tuple[frozenset[str], ...]) -> bool:
    n = len(forms)
    return any(all(part[i + k] in forms[k] for k in range(n))
               for i in range(len(part) - n + 1) if part[i] in forms[0])


def term_found(term: Term, doc: Tokens) -> bool:
    if term.kind == "word":
        return not term.forms[0].isdisjoint(doc.vocab)
    if term.kind == "prefix":
        return any(w.startswith(term.written[0]) for w in doc.vocab)
    return any(_has_phrase(part, term.forms) for part in doc.parts)


def why(term: Term, doc: Tokens) -> str:
    """The words of a text that make it gold for a term (for --verbose)."""
    if term.kind == "word":
        return ",".join(sorted(term.forms[0] & doc.vocab))
    if term.kind == "prefix":
        return ",".join(sorted(w for w in doc.vocab if w.startswith(term.written[0]))[:3])
    return "phrase"


def gold(query: Query, toks: list[Tokens], ids: list[int]) -> set[int]:
    """The article ids whose text holds every term of the query."""
    return {ids[i] for i, doc in enumerate(toks)
            if all(term_found(t, doc) for t in query.terms)}


def doc_tokens(docs: list[Doc]) -> list[Tokens]:
    return [Tokens([tokens(d.title), tokens(d.text)]) for d in docs]


def describe(docs: list[Doc], queries: list[Query]) -> str:
    langs = Counter(d.lang for d in docs)
    sets = Counter(f"{d.set}:{d.lang}" for d in docs)
    kinds = Counter(f"{q.lang}/{q.kind}" for q in queries)
    return (f"texts: {dict(langs)} ({', '.join(f'{k} {v}' for k, v in sorted(sets.items()))})\n"
            f"queries: {len(queries)} ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
