"""Word-form search (storage.search) against plain FTS5: recall@20 and precision@20 on a
labelled query set, query latency at 5k and 50k articles, and what the index costs.

The texts are the ru, uk and en texts of ../shared/bench-data (aeb and wcxb gold texts;
the Cyrillic pages of htmldate-eval and trafilatura-eval through extract_article) and the
demo web's articles (crawled offline). Queries are drawn from them with a fixed seed
(benchmarks/searchdata.py): 1-3 words in another form than the one written, prefixes
(`word*`) and two-word phrases, per language. The gold is computed without the index:
an article is gold when it holds some form of every query word (pymorphy3 lexemes for ru
and uk, ё as е; for en the word's -s/-es/-ies/-ed/-ing inflections, see searchdata).
Plain FTS5 (unicode61, the words as written, AND-ed, bm25) runs on the same store.

recall@20 = |top20 ∩ gold| / min(20, |gold|); precision@20 = |top20 ∩ gold| / |top20|,
averaged over the queries that return something (those that return nothing are counted
in "none"); queries with an empty gold are left out and counted.

    python benchmarks/search.py --quick            # latency at 5k only
    python benchmarks/search.py                    # at 5k and 50k
    python benchmarks/search.py --verbose          # also the worst queries, and why

The texts and the stores (901 articles, 5k, 50k) are kept in --store-dir and reused while
the texts and the lemmatiser are the same: a first run builds them (the store saves ~30
articles/s here, most of it the story index, so 50k takes about half an hour); --quick
then takes about a minute on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import searchcost as cost  # noqa: E402
from benchmarks import searchdata  # noqa: E402
from benchmarks.searchdata import SEED, Doc, Query, Tokens, gold, why  # noqa: E402
from storage.search import Hit, search  # noqa: E402
from storage.store import Store  # noqa: E402

INFLECTED = ("word", "words", "phrase")
TARGET_RECALL = TARGET_PRECISION = 0.95
TARGET_MEDIAN_MS, TARGET_INDEX_SHARE, TARGET_SAVE_MS = 50.0, 0.25, 2.0


@dataclass
class Scored:
    query: Query
    gold: set[int]
    ours: list[Hit]
    plain: list[int]

    @property
    def ours_ids(self) -> list[int]:
        return [h.id for h in self.ours]


def recall(hits: Sequence[int], wanted: set[int]) -> float:
    return len(set(hits[:20]) & wanted) / min(20, len(wanted))


def precision(hits: Sequence[int], wanted: set[int]) -> float | None:
    return len(set(hits[:20]) & wanted) / len(hits[:20]) if hits else None


def _mean(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.mean(known):.3f}" if known else "  -  "


def score_row(name: str, rows: list[Scored]) -> str:
    if not rows:
        return f"{name:<22} {0:>4}"
    r_ours = [recall(s.ours_ids, s.gold) for s in rows]
    r_plain = [recall(s.plain, s.gold) for s in rows]
    p_ours = [precision(s.ours_ids, s.gold) for s in rows]
    p_plain = [precision(s.plain, s.gold) for s in rows]
    gold_median = statistics.median(len(s.gold) for s in rows)
    none = f"{p_ours.count(None)}/{p_plain.count(None)}"
    return (f"{name:<22} {len(rows):>4} {gold_median:>6.0f}   {_mean(list(r_ours))}  "
            f"{_mean(list(r_plain))}    {_mean(p_ours)}  {_mean(p_plain)}   {none:>7}")


def mean_of(rows: list[Scored], metric: Callable[[Sequence[int], set[int]], float | None]
            ) -> float:
    known = [v for v in (metric(s.ours_ids, s.gold) for s in rows) if v is not None]
    return statistics.mean(known) if known else 0.0


def quality(store: Store, path: Path, queries: list[Query], toks: list[Tokens],
            ids: list[int]) -> list[Scored]:
    conn = sqlite3.connect(path)
    scored, empty = [], 0
    for query in queries:
        wanted = gold(query, toks, ids)
        if not wanted:
            empty += 1
            continue
        scored.append(Scored(query, wanted, search(store, query.text, limit=20),
                             cost.baseline_hits(conn, query.fts)))
    conn.close()
    print(f"\n== recall@20 and precision@20 on {len(ids)} articles "
          f"({empty} queries with an empty gold left out)")
    print(f"{'set':<22} {'n':>4} {'|gold|':>6}   R ours  R fts5    P ours  P fts5   "
          "none o/f")
    for lang in ("ru", "uk", "en"):
        for kind in ("word", "words", "prefix", "phrase"):
            print(score_row(f"{lang} {kind}", [s for s in scored if s.query.lang == lang
                                               and s.query.kind == kind]))
        print(score_row(f"{lang} all", [s for s in scored if s.query.lang == lang]))
    print(score_row("ru+uk inflected", inflected(scored)))
    print(score_row("all", scored))
    return scored


def inflected(scored: list[Scored]) -> list[Scored]:
    return [s for s in scored if s.query.lang in ("ru", "uk") and s.query.kind in INFLECTED]


def worst(scored: list[Scored], docs: list[Doc], toks: list[Tokens], ids: list[int],
          count: int) -> None:
    """The queries our search does worst on: what it missed (the words that made the
    article gold) and what it found wrongly (the words its snippet marked)."""
    where = {article: i for i, article in enumerate(ids)}

    def badness(s: Scored) -> tuple[float, float]:
        return recall(s.ours_ids, s.gold), precision(s.ours_ids, s.gold) or 0.0

    print(f"\n== the {count} worst queries for our search (recall, then precision)")
    for s in sorted(scored, key=badness)[:count]:
        r, p = badness(s)
        print(f"{s.query.lang} {s.query.kind:<6} {s.query.text!r}: gold {len(s.gold)}, "
              f"R {r:.2f} P {p:.2f}, fts5 R {recall(s.plain, s.gold):.2f}")
        missed = sorted(set(sorted(s.gold)[:20]) - set(s.ours_ids))[:3]
        for article in missed:
            doc = where[article]
            found = " + ".join(why(t, toks[doc]) for t in s.query.terms)
            print(f"    missed {docs[doc].set}/{docs[doc].key[:40]}: has {found}")
        for hit in [h for h in s.ours if h.id not in s.gold][:3]:
            marked = sorted(set(re.findall(r"\[([^\]]+)\]", hit.snippet)))
            print(f"    wrong  {docs[where[hit.id]].set}/{docs[where[hit.id]].key[:40]}: "
                  f"marked {', '.join(marked[:6]) or '(title only)'}")


def cli_check(path: Path, scored: list[Scored], every_kind: bool) -> str:
    """`newsagg search --format json` in a subprocess gives the library's ids, in order."""
    exe = Path(sys.executable).with_name("newsagg")
    command = str(exe) if exe.exists() else shutil.which("newsagg") or "newsagg"
    kinds = ("word", "words", "prefix", "phrase") if every_kind else ("words", "phrase")
    picked = list({(s.query.lang, s.query.kind): s for s in scored
                   if s.query.kind in kinds}.values())
    same = 0
    for s in picked:
        out = subprocess.run([command, "search", s.query.text, "--db", str(path),
                              "--format", "json", "--limit", "20"],
                             capture_output=True, text=True, timeout=60, check=True)
        same += [row["id"] for row in json.loads(out.stdout)] == s.ours_ids
    return f"{same}/{len(picked)} queries (one per language and kind: {', '.join(kinds)})"


def labelled_store(docs: list[Doc], store_dir: Path, log: Callable[[str], None]
                   ) -> tuple[Path, list[int]]:
    """Every text once (cached like the big stores, which start from it), and the
    article id of each."""
    path = cost.big_store(docs, len(docs), store_dir, log)
    conn = sqlite3.connect(path)
    by_url = dict(conn.execute("SELECT url, id FROM articles").fetchall())
    conn.close()
    return path, [by_url[doc.url] for doc in docs]


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="latency at 5k only")
    parser.add_argument("--sizes", default="5000,50000", help="store sizes timed")
    parser.add_argument("--store-dir", type=Path, default=Path("/tmp/newsagg-bench-search"),
                        help="where the big stores are kept between runs")
    parser.add_argument("--saves", type=int, default=0,
                        help="articles saved for the save-time cost (default 300, quick 100)")
    parser.add_argument("--seed", type=int, default=SEED, help="of the query set")
    parser.add_argument("--verbose", action="store_true", help="print the worst queries")
    parser.add_argument("--worst", type=int, default=12, help="how many, with --verbose")
    args = parser.parse_args()
    sizes_wanted = [5000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    saves = args.saves or (100 if args.quick else 300)
    started = time.perf_counter()

    def log(line: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f}s] {line}", flush=True)

    docs = searchdata.cached_docs(args.store_dir)
    toks = searchdata.doc_tokens(docs)
    queries = searchdata.build_queries(docs, toks, args.seed)
    print(searchdata.describe(docs, queries))
    with tempfile.TemporaryDirectory(prefix="newsagg-bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        log(f"save cost: {saves} articles, into stores with and without the index in turns")
        saved = cost.save_costs(docs, saves, tmp)
        path, ids = labelled_store(docs, args.store_dir, log)
        with Store(path) as store:
            scored = quality(store, path, queries, toks, ids)
            if args.verbose:
                worst(scored, docs, toks, ids, args.worst)
            print(f"\n`newsagg search --format json` = storage.search.search: "
                  f"{cli_check(path, scored, not args.quick)}")
        timed: dict[int, dict[str, tuple[float, float]]] = {}
        shares: dict[int, tuple[int, int, int]] = {}
        pairs = [(q.text, q.fts) for q in queries]
        for n in sizes_wanted:
            big = cost.big_store(docs, n, args.store_dir, log)
            timed[n] = cost.latency(big, pairs)
            shares[n] = cost.sizes(big)
    print(f"\n== latency over the {len(pairs)} queries (ms; ours: storage.search.search with"
          " snippets; fts5: bm25 + snippet())")
    print(f"{'articles':>9}   ours median  p95    fts5 median  p95    index/rest of store")
    for n in sizes_wanted:
        (om, op), (fm, fp) = timed[n]["ours"], timed[n]["fts5"]
        index, _baseline, rest = shares[n]
        print(f"{n:>9}   {om:>11.1f} {op:>5.1f}   {fm:>11.1f} {fp:>5.1f}    "
              f"{index / 2**20:.1f} / {rest / 2**20:.1f} MiB = {index / rest:.1%}")
    med = {k: statistics.median(v) for k, v in saved.items()}
    added = med["given"] - med["plain"]
    added_store = med["store"] - med["plain2"]
    print(f"\n== save_article, ms per article, {saves} articles (the first texts; lemma caches"
          " start empty), medians")
    print(f"without the index {med['plain']:.2f}; with it, lemmas made beforehand as the crawl"
          f" does {med['given']:.2f} (added {added:.2f}; making them took {med['lemmatise']:.2f}"
          " in the extraction worker)")
    print(f"without the index {med['plain2']:.2f}; with it, the store lemmatising "
          f"{med['store']:.2f} (added {added_store:.2f})")
    top = max(sizes_wanted)
    rec_infl, prec_infl = mean_of(inflected(scored), recall), mean_of(inflected(scored),
                                                                       precision)
    prec_all = mean_of(scored, precision)
    share = shares[top][0] / shares[top][2]
    median = timed[top]["ours"][0]
    print("\n== targets")
    print(f"recall@20, ru+uk inflected  {rec_infl:.3f}  >= {TARGET_RECALL}   "
          f"{mark(rec_infl >= TARGET_RECALL)}")
    print(f"precision@20, ru+uk infl.   {prec_infl:.3f}  >= {TARGET_PRECISION}   "
          f"{mark(prec_infl >= TARGET_PRECISION)}")
    print(f"precision@20, all queries   {prec_all:.3f}  >= {TARGET_PRECISION}   "
          f"{mark(prec_all >= TARGET_PRECISION)}")
    at = "" if top >= 50000 else f" (at {top}: 50k not run)"
    print(f"median query at {top:<6}     {median:.1f} ms < {TARGET_MEDIAN_MS:.0f} ms   "
          f"{mark(median < TARGET_MEDIAN_MS)}{at}")
    print(f"index / rest of store       {share:.1%} <= {TARGET_INDEX_SHARE:.0%}     "
          f"{mark(share <= TARGET_INDEX_SHARE)}")
    print(f"added per save (crawl)      {added:.2f} ms <= {TARGET_SAVE_MS} ms   "
          f"{mark(added <= TARGET_SAVE_MS)}")
    print(f"added per save (no lemmas)  {added_store:.2f} ms <= {TARGET_SAVE_MS} ms   "
          f"{mark(added_store <= TARGET_SAVE_MS)}")
    print(f"total {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
