"""Stories: are reprints grouped and look-alikes kept apart, and does adding stay cheap?

1. Quality: gold texts (../shared/bench-data: scrapinghub-aeb, wcxb), 1-3 edited reprints
   of 300 of them under other sources, and look-alikes to keep apart: (a) a site's
   articles under one template line and "about us" paragraph, (b) two short articles
   from two sources sharing a long paragraph, (c) same-host or same-tag articles. Prints
   pairwise precision/recall of the stories a fresh Store makes, and a few misses.
2. Scale: one store grows with distinct synthetic stories (200 sources, ~10% reprints);
   at each size a batch is timed: ms per article, file size, peak RSS; then a reopen.

    python benchmarks/stories.py                  # sizes 1000,10000,100000
    python benchmarks/stories.py --quick          # sizes 1000,5000 (under two minutes)
    python benchmarks/stories.py --skip-quality --sizes 1000,10000 --profile 1000
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import pstats
import random
import re
import resource
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator import reprints  # noqa: E402
from benchmarks.quality import DATA, load_aeb, load_wcxb  # noqa: E402
from storage import stories  # noqa: E402
from storage.store import ArticleRecord, Store  # noqa: E402

SEED = 2026
MENU_TOP = ["Главная | Новости | Контакты", "Головна | Новини | Контакти", "Home | News | Contacts"]
MENU_END = ["© 2026 Агентство. Все права защищены.", "Share this story", "Поделиться:",
            "Читайте также: все новости региона", "© 2026 Regional News. All rights reserved."]
FOOTERS = [  # a reprinting agency prints its footer under every article
    "Об агентстве. {n} — региональное информационное агентство, основано в {y} году. Мы "
    "публикуем новости органов власти, муниципалитетов и учреждений региона. При перепечатке "
    "ссылка на {n} обязательна. Редакция: +7 (800) {y}-17-{k}, news@agency{k}.example.",
    "About {n}: an independent regional news agency founded in {y}. We cover regional and "
    "municipal government, courts and public services. Republishing is welcome with a link "
    "to the original story. Newsroom: +44 20 {y} {k}, desk@agency{k}.example."]
AGENCY_FOOTERS = {a: FOOTERS[a // 2 % 2].format(n=f"Agency-{a:02d}", y=1990 + a, k=a)
                  for a in range(0, 48, 2)}   # every other agency prints one
SITE_LINES = ["Пресс-служба сообщает:", "Пресс-служба администрации {n} сообщает следующее:",
              "The press office of {n} reports:"]
SITE_BOILERPLATE = (
    "About {n}. The official website of the {n} administration publishes decisions, "
    "announcements and press releases of the regional government and its departments. "
    "Materials may be reproduced with a reference to the source. Press office: "
    "press@{n}, phone +1 555 {k}. Office hours: Monday to Friday, 9:00-18:00.")
EDITS = ("menu", "lead", "drop", "add", "headline", "typos", "quotes")
REQUOTE = str.maketrans({"“": "«", "”": "»", "„": "«", '"': "«", "«": '"', "»": '"',
                         "—": "-", "–": "-", "ё": "е", "Ё": "Е"})
SENTENCE = re.compile(r"(?<=[.!?])\s+")
THRESHOLDS = ("NUM_PERM", "SHINGLE_WORDS", "CANDIDATE_JACCARD", "BANDS", "ROWS",
              "MIN_PARAGRAPH_CHARS", "PARAGRAPH_FOUND", "SAME_STORY_SHARE", "SAME_STORY_PARAGRAPHS")


@dataclass
class Base:
    key: str
    host: str
    paras: list[str]
    tags: frozenset[str] = frozenset()


@dataclass
class Item:
    t: float                        # insertion order
    source: str
    paras: list[str]
    truth: int                      # index of the gold text: the story
    kind: str                       # orig, site (a), short (b), topic (c) or reprint
    edits: list[str] = field(default_factory=list)


def load_bases() -> list[Base]:
    """Gold texts as blank-line paragraphs (single newlines where a text has no blank line)
    with specific wcxb tags as topics; short texts and near-copies are left out."""
    bases, seen = [], set()
    for s in itertools.chain(load_aeb(1), load_wcxb(1)):   # lazily: the pages are big
        text = (s.text or "").replace("\r\n", "\n")
        parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
        paras = [" ".join(p.split()) for p in parts if p.strip()]
        norm = reprints.normalize_text(" ".join(paras))
        if len(norm) < 300 or norm in seen:
            continue
        seen.add(norm)
        gold, tags = DATA / "wcxb" / "dev-articles" / "ground-truth" / f"{s.key}.json", []
        if s.set == "wcxb" and gold.exists():
            tags = json.loads(gold.read_text())["_internal"]["page_type"].get("tags", [])
        bases.append(Base(s.key, urlsplit(s.url or "").hostname or s.key, paras,
                          frozenset(t.lower() for t in tags)))
    kept, owners = [], {}   # a teaser of a kept text, one page on two country sites: one story
    for b in bases:         # (shingles sampled 1 in 8 by a stable hash: a small index)
        own = {h for h in map(zlib.crc32, map(str.encode, reprints.shingles(
            "\n\n".join(b.paras)))) if h % 8 == 0}
        shared = Counter(k for s in own for k in owners.get(s, ()))
        if not any(n >= 0.5 * min(len(own), kept[k][1]) for k, n in shared.items()):
            for s in own:
                owners.setdefault(s, []).append(len(kept))
            kept.append((b, len(own)))
    print(f"gold texts: {len(bases)} of 300+ chars, {len(bases) - len(kept)} near-copies dropped")
    counts = Counter(t for b, _ in kept for t in b.tags)
    for b, _ in kept:
        b.tags = frozenset(t for t in b.tags if 2 <= counts[t] <= 12)
    return [b for b, _ in kept]


def typos(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < 0.02:
            j = rng.randrange(len(w) - 1)
            swap = rng.random() < 0.5
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:] if swap else w[:j] + w[j + 1:]
    return " ".join(words)


def make_reprint(paras: list[str], rng: random.Random, vocab: list[str],
                 sentences: list[str]) -> tuple[list[str], list[str]]:
    """1-3 random edits of the kinds a reprinting site makes; returns the ones applied."""
    out, done = list(paras), []
    for edit in rng.sample(EDITS, rng.randint(1, 3)):
        limit = 0.4 * sum(map(len, out))   # edits leave most of the story: a lead, a detail
        minor = [i for i in range(1, len(out)) if len(out[i]) <= limit]
        if edit == "lead":      # the first paragraph, or its first sentences if 40%+ of the text
            parts, cut = [out[0]] if len(out[0]) <= limit else SENTENCE.split(out[0]), 1
            while cut < len(parts) and len(" ".join(parts[:cut + 1])) <= limit:
                cut += 1
            if len(" ".join(parts[:cut])) > limit:
                continue
            lead, edit = rng.choice(sentences), "lead-sentence"
            if rng.random() < 0.5:
                lead, edit = " ".join(rng.choice(vocab) if rng.random() < 0.5 else w
                                      for w in " ".join(parts[:cut]).split()), "lead-words"
            out[0] = " ".join([lead, *parts[cut:]])
        elif edit == "drop" and len(out) >= 3 and minor:
            del out[rng.choice(minor)]
        elif edit == "add":
            extra = " ".join(rng.sample(sentences, rng.randint(1, 2)))
            extra = rng.choice(("Справка: ", "For reference: ")) + extra
            out.insert(rng.randint(1, len(out)), extra)
        elif edit in ("typos", "quotes"):
            out = [typos(p, rng) if edit == "typos" else p.translate(REQUOTE) for p in out]
        elif edit == "menu":
            out = [*rng.sample(MENU_TOP, rng.randint(0, 1)), *out, *rng.sample(MENU_END, 2)]
        elif edit != "headline":        # titles are not compared: a no-op for the text
            continue
        done.append(edit)
    return out, done


def build_quality_set(bases: list[Base], rng: random.Random, n_reprinted: int) -> list[Item]:
    """Originals, look-alikes and reprints in the order a crawl meets them."""
    order = rng.sample(range(len(bases)), len(bases))
    by_host: dict[str, list[int]] = {}
    for i in order:
        by_host.setdefault(bases[i].host, []).append(i)
    hosts = sorted(h for h, ids in by_host.items() if len(ids) >= 2)
    grouped = {i for h in hosts for i in by_host[h]}
    rest = [i for i in order if i not in grouped]
    pool, short, originals = rest[:60], rest[60:140], rest[140:] + sorted(grouped)
    sentences = [s for i in pool for p in bases[i].paras for s in SENTENCE.split(p)
                 if 40 <= len(s) <= 250]
    shared = [p for i in pool for p in bases[i].paras if 200 <= len(p) <= 400]
    vocab = sorted({w for b in bases for p in b.paras for w in p.split() if w.isalpha()})
    items = []
    for i in originals:
        b = bases[i]
        k = hosts.index(b.host) if i in grouped else -1
        if k % 2 == 0:                  # (a) on every other host; the others are (c)
            paras = [SITE_LINES[k % 3].format(n=b.host), *b.paras,
                     SITE_BOILERPLATE.format(n=b.host, k=k)]
            items.append(Item(rng.random(), "site:" + b.host, paras, i, "site"))
        else:
            kind = "topic" if i in grouped else "orig"
            items.append(Item(rng.random(), f"{b.host}/{i}", list(b.paras), i, kind))
    for j in range(min(len(short) // 2, len(shared))):   # (b): one long paragraph in common
        for i in short[2 * j:2 * j + 2]:
            own: list[str] = []
            for p in bases[i].paras[:3]:
                own += [p] if sum(map(len, own)) < 150 else []
            paras = [*own, shared[j]] if rng.random() < 0.7 else [shared[j], *own]
            items.append(Item(rng.random(), f"short-{i}", paras, i, "short", [f"pair{j}"]))
    for orig in rng.sample(items[:len(originals)], n_reprinted):
        for agency in rng.sample(range(24), rng.randint(1, 3)):
            paras, done = make_reprint(bases[orig.truth].paras, rng, vocab, sentences)
            if agency in AGENCY_FOOTERS:
                paras, done = [*paras, AGENCY_FOOTERS[agency]], [*done, "footer"]
            items.append(Item(orig.t + rng.uniform(0.0005, 0.05), f"agency-{agency:02d}",
                              paras, orig.truth, "reprint", done))
    return sorted(items, key=lambda it: it.t)


def pairs(labels: list) -> int:
    return sum(c * (c - 1) // 2 for c in Counter(labels).values())


def explain(pair: tuple[int, int], items: list[Item], bases: list[Base]) -> str:
    """Both articles, and where the pair went wrong: estimated Jaccard, whether an LSH band
    is shared (a candidate), and the paragraph proof with no boilerplate known."""
    a, b = ("\n\n".join(items[x].paras) for x in pair)
    sa, sb = reprints.signature(a), reprints.signature(b)
    band = "yes" if set(reprints.band_keys(sa)) & set(reprints.band_keys(sb)) else "no"
    return " / ".join(
        f"#{x} {items[x].kind}[{','.join(items[x].edits) or '-'}] {items[x].source} "
        f"gold={bases[items[x].truth].key[:8]} {len(items[x].paras)}p "
        f"{sum(map(len, items[x].paras))}c" for x in pair
    ) + (f": J~{reprints.estimated_jaccard(sa, sb):.2f} band={band} "
         f"proof={reprints.same_story(a, b)}")


def quality(bases: list[Base], tmp: Path, n_reprinted: int, examples: int, seed: int) -> None:
    items = build_quality_set(bases, random.Random(seed), n_reprinted)
    store, results, started = Store(tmp / "quality.db"), [], time.perf_counter()
    for n, it in enumerate(items):
        results.append(store.save_article(ArticleRecord(
            source_id=it.source, url=f"https://bench.example/q/{n}", aliases=[], title=None,
            text="\n\n".join(it.paras))))
    elapsed = time.perf_counter() - started
    cluster = dict(store.db.execute("SELECT id, cluster_id FROM articles").fetchall())
    store.close()
    got, truth = [cluster[r.article_id] for r in results], [it.truth for it in items]
    tp, pred, true = pairs(list(zip(got, truth, strict=True))), pairs(got), pairs(truth)
    kinds = Counter(it.kind for it in items)
    alone = [bases[it.truth] for it in items if it.kind != "reprint"]
    topic = sum(a.host == b.host or bool(a.tags & b.tags)
                for a, b in itertools.combinations(alone, 2))
    sites = len({it.source for it in items if it.kind == "site"})
    print(f"quality (seed {seed}): {len(items)} articles {dict(kinds)} saved in {elapsed:.1f}s")
    print(f"  look-alikes: (a) {kinds['site']} articles of {sites} template sites, "
          f"(b) {kinds['short'] // 2} short pairs, (c) {topic} same-host/tag pairs")
    print("  thresholds: " + " ".join(f"{k}={getattr(reprints, k)}" for k in THRESHOLDS)
          + f" MAX_CANDIDATES={stories.MAX_CANDIDATES}")
    print(f"  pairs {len(items) * (len(items) - 1) // 2}: true-same {true}, predicted-same "
          f"{pred}, TP {tp} FP {pred - tp} FN {true - tp}")
    print(f"  precision {tp / pred if pred else 1:.4f} (target >= 0.99)   "
          f"recall {tp / true if true else 1:.4f} (target >= 0.95)")
    first: dict[int, int] = {}
    by_edit: dict[str, list[int]] = {}
    missed = []
    for n, it in enumerate(items):
        m = first.setdefault(it.truth, n)
        if it.kind == "reprint":
            for edit in it.edits or ["none"]:
                by_edit.setdefault(edit, [0, 0])[got[n] == got[m]] += 1
            missed += [(n, m)] if got[n] != got[m] else []
    print("  reprints in their original's story, by edit: " + ", ".join(
        f"{e} {v[1]}/{sum(v)}" for e, v in sorted(by_edit.items())))
    at = {r.article_id: n for n, r in enumerate(results)}
    wrong = [(n, at[r.reprint_of]) for n, r in enumerate(results)
             if r.reprint_of is not None and items[at[r.reprint_of]].truth != items[n].truth]
    print(f"  wrong joins (make FP): {len(wrong)}; reprints out of their story (make FN): "
          f"{len(missed)}")
    for label, cases in (("FP", wrong), ("FN", missed)):
        for pair in cases[:examples]:
            print(f"    {label} {explain(pair, items, bases)}")


class Synthetic:
    """Distinct stories: a gold text with each word replaced, with probability 0.5 (seeded
    by the story number), by a random corpus word; no two share a paragraph."""

    def __init__(self, bases: list[Base]) -> None:
        index: dict[str, int] = {}
        self.ids, self.cuts = [], []
        for b in bases:
            words = [re.findall(r"\w+", p) for p in b.paras]
            self.ids.append(np.array([index.setdefault(w, len(index)) for p in words for w in p]))
            self.cuts.append(np.cumsum([len(p) for p in words])[:-1])
        self.vocab = np.array(list(index), dtype=object)
        self.sentences = [s for b in bases[:100] for p in b.paras for s in SENTENCE.split(p)
                          if 40 <= len(s) <= 250]
        self.words = [str(w) for w in self.vocab[::max(1, len(self.vocab) // 5000)]]

    def story(self, k: int) -> list[str]:
        b, rng = k % len(self.ids), np.random.default_rng(k)
        ids = self.ids[b]
        new = rng.integers(len(self.vocab), size=len(ids))
        ids = np.where(rng.random(len(ids)) < 0.5, new, ids)
        return [" ".join(p) for p in np.split(self.vocab[ids], self.cuts[b]) if len(p)]

    def stream(self, sources: int = 200) -> Iterator[tuple[ArticleRecord, bool]]:
        """(record, is reprint), endlessly: ~10% reprints of a recent story by another
        source; every 4th source prints a footer under all its articles."""
        made, n = 0, 0
        while True:
            rng = random.Random(n)
            if made > 50 and rng.random() < 0.1:
                k = rng.randrange(max(0, made - 2000), made)
                source, reprint = (k + rng.randrange(1, sources)) % sources, True
                paras = make_reprint(self.story(k), rng, self.words, self.sentences)[0]
            else:
                k, made = made, made + 1
                source, paras, reprint = k % sources, self.story(k), False
            if source % 4 == 0:
                paras = [*paras, f"{AGENCY_FOOTERS[source % 24 * 2]} Source {source}."]
            yield ArticleRecord(source_id=f"src{source:03d}", url=f"https://bench.example/s/{n}",
                                aliases=[], title=None, text="\n\n".join(paras)), reprint
            n += 1


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(bases: list[Base], tmp: Path, sizes: list[int], batch: int, profile: int) -> None:
    path, synthetic, count, begun = tmp / "scale.db", Synthetic(bases), 0, time.time()
    store, stream = Store(path), synthetic.stream()
    chars = np.mean([len(" ".join(synthetic.story(k))) for k in range(len(bases))])
    print(f"scale: stories of {chars:.0f} chars on average, peak RSS before {rss_mb():.0f} MB, "
          f"{batch} articles timed at each size")
    print(f"  {'size':>7} {'fill s':>7} {'ms/art':>7} {'p95 ms':>7} {'reprints found':>15} "
          f"{'false joins':>11} {'file MB':>8} {'peak RSS MB':>11}")
    for size in sizes:
        started = time.perf_counter()
        for _ in range(size - count):
            store.save_article(next(stream)[0])
        fill, count = time.perf_counter() - started, max(count, size)
        times, found, false, reprinted = [], 0, 0, 0
        for _ in range(batch):
            rec, is_reprint = next(stream)
            t0 = time.perf_counter()
            joined = store.save_article(rec).reprint_of is not None
            times.append((time.perf_counter() - t0) * 1000)
            reprinted, found, false = (reprinted + is_reprint, found + (is_reprint and joined),
                                       false + (joined and not is_reprint))
        count += batch
        size_mb = sum(p.stat().st_size for p in tmp.glob("scale.db*")) / 2**20
        print(f"  {size:>7} {fill:>7.1f} {np.mean(times):>7.2f} {np.percentile(times, 95):>7.2f} "
              f"{f'{found}/{reprinted}':>15} {false:>11} {size_mb:>8.1f} {rss_mb():>11.0f}")
    store.close()
    t0 = time.perf_counter()
    store = Store(path)
    opened = time.perf_counter() - t0
    store.save_article(next(stream)[0])
    print(f"  reopen at {count} articles: Store(path) {opened * 1000:.1f} ms, then one save "
          f"{(time.perf_counter() - t0 - opened) * 1000:.1f} ms; scale part "
          f"{time.time() - begun:.0f}s")
    if profile:
        prof = cProfile.Profile()
        prof.runcall(lambda: [store.save_article(next(stream)[0]) for _ in range(profile)])
        print(f"  profile of {profile} saves at {count + 1} articles:")
        pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(18)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1000,5000")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--batch", type=int, default=500, help="articles timed at each size")
    parser.add_argument("--reprinted", type=int, default=300, help="gold texts given reprints")
    parser.add_argument("--seed", type=int, default=SEED, help="of the quality set")
    parser.add_argument("--examples", type=int, default=6, help="wrong joins and misses shown")
    parser.add_argument("--profile", type=int, default=0, help="profile this many saves at the end")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    sizes = [1000, 5000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    started, bases = time.time(), load_bases()
    with tempfile.TemporaryDirectory(prefix="newsagg-stories-") as tmp:
        if not args.skip_quality:
            quality(bases, Path(tmp), args.reprinted, args.examples, args.seed)
        if not args.skip_scale:
            scale(bases, Path(tmp), sizes, args.batch, args.profile)
    print(f"total {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
