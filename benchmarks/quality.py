"""Text and date quality of extract_article on public ground truth, beside trafilatura.

Runs aggregator.extract.article.extract_article and, in the same run, trafilatura's
defaults (text: trafilatura.extract; dates: htmldate's find_date with
original_date=True) over the sets in ../shared/bench-data, scores both with
each benchmark's own metric and prints one table, then pages/s.

    python benchmarks/quality.py            # every page (a few minutes)
    python benchmarks/quality.py --quick    # every 4th page (under two minutes)
    python benchmarks/quality.py --show-ru  # also list the Russian/Ukrainian pages
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from w3lib.encoding import html_to_unicode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "bench-data"

from benchmarks.metrics import bag_of_words_score, date_score, shingle_score, snippet_score  # noqa: E402


@dataclass
class Sample:
    """One benchmark page and its ground truth."""

    set: str
    key: str
    url: str | None
    html: str
    text: str | None = None                       # full gold text
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    date: str | None = None                       # gold day, None = undated
    dated_set: bool = False                       # whether the set scores dates
    ru_uk: bool = False


def decode(path: Path) -> str:
    """Bytes to text as the crawler does it: BOM, <meta charset>, then a guess."""
    body = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return html_to_unicode(None, body)[1]


def load_aeb(stride: int) -> Iterator[Sample]:
    base = DATA / "scrapinghub-aeb"
    truth = json.loads((base / "ground-truth.json").read_text())
    ru = json.loads((base / "subset-ru-uk.json").read_text())["pages"]
    for key in sorted(truth)[::stride]:
        yield Sample("scrapinghub-aeb", key, truth[key].get("url"),
                     decode(base / "html" / f"{key}.html.gz"), text=truth[key]["articleBody"],
                     ru_uk=key in ru)


def load_trafilatura_eval(stride: int) -> Iterator[Sample]:
    base = DATA / "trafilatura-eval"
    data = json.loads((base / "evaldata.json").read_text())
    for url in sorted(data)[::stride]:
        item = data[url]
        path = base / "cache" / f"{item['file']}.gz"
        if not path.exists():
            path = base / "eval" / f"{item['file']}.gz"
        yield Sample("trafilatura-eval", url, url, decode(path),
                     with_snippets=item.get("with", []), without_snippets=item.get("without", []))


def load_wcxb(stride: int) -> Iterator[Sample]:
    base = DATA / "wcxb" / "dev-articles"
    for path in sorted((base / "ground-truth").glob("*.json"))[::stride]:
        doc = json.loads(path.read_text())
        gold = doc["ground_truth"]
        yield Sample("wcxb", path.stem, doc.get("url"),
                     decode(base / "html" / f"{path.stem}.html.gz"), text=gold.get("main_content"),
                     date=gold.get("publish_date"), dated_set=True)


def load_htmldate(stride: int) -> Iterator[Sample]:
    base = DATA / "htmldate-eval"
    ru = json.loads((base / "subset-ru-uk.json").read_text())["pages"]
    entries = []
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        for url, item in json.loads((base / name).read_text()).items():
            entries.append((url, item))
    for url, item in sorted(entries)[::stride]:
        path = next(p for p in (base / d / f"{item['file']}.gz"
                                for d in ("test_set", "eval", "cache")) if p.exists())
        gold = item.get("date")
        gold = gold if isinstance(gold, str) and len(gold) == 10 else None
        yield Sample("htmldate-eval", url, url, decode(path), date=gold, dated_set=True,
                     ru_uk=url in ru)


LOADERS = {"scrapinghub-aeb": load_aeb, "trafilatura-eval": load_trafilatura_eval,
           "wcxb": load_wcxb, "htmldate-eval": load_htmldate}


def run_ours(samples: list[Sample]) -> tuple[list[tuple[str | None, str | None]], float]:
    from aggregator.extract import extract_article
    forget_date_results()
    out, started = [], time.perf_counter()
    for s in samples:
        page = extract_article(s.html, s.url)
        out.append((page.text, page.published_at))
    return out, time.perf_counter() - started


def run_baseline_text(samples: list[Sample]) -> tuple[list[str | None], float]:
    import trafilatura
    out, started = [], time.perf_counter()
    for s in samples:
        out.append(trafilatura.extract(s.html, url=s.url))
    return out, time.perf_counter() - started


def run_baseline_dates(samples: list[Sample]) -> list[str | None]:
    from htmldate import find_date
    return [find_date(s.html, original_date=True, url=s.url) for s in samples]


def run_bare_with_metadata(samples: list[Sample]) -> float:
    import trafilatura
    forget_date_results()
    started = time.perf_counter()
    for s in samples:
        trafilatura.bare_extraction(s.html, url=s.url, with_metadata=True)
    return time.perf_counter() - started


def forget_date_results() -> None:
    """Empty htmldate's caches of results (not of parsers) before a timed run.

    Both sides call htmldate on the same pages; without this the second run finds
    the first one's date strings already parsed and looks faster than it is.
    """
    from htmldate import extractors, validators
    for cached in (extractors.try_date_expr, validators._parse_and_validate,
                   validators.filter_ymd_candidate):
        cached.cache_clear()


def warm_up() -> None:
    """Load both sides' lazy parts (dateparser's locales, trafilatura's models) untimed."""
    import trafilatura

    from aggregator.extract import extract_article
    for s in load_htmldate(97):
        extract_article(s.html, s.url)
        trafilatura.bare_extraction(s.html, url=s.url, with_metadata=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 4th page of each set")
    parser.add_argument("--show-ru", action="store_true", help="list the ru/uk date pages")
    args = parser.parse_args()
    stride = 4 if args.quick else 1
    started = time.perf_counter()
    rows, speed_ours, speed_bare, speed_pages = [], 0.0, 0.0, 0
    ru_lines = []
    warm_up()
    for name, loader in LOADERS.items():
        samples = list(loader(stride))
        ours, t_ours = run_ours(samples)
        texts = [t for t, _ in ours]
        days = [d for _, d in ours]
        if name in ("scrapinghub-aeb", "wcxb", "trafilatura-eval"):
            base_texts, _ = run_baseline_text(samples)
            ours_read = list(zip(texts, samples, strict=True))
            base_read = list(zip(base_texts, samples, strict=True))
            if name == "scrapinghub-aeb":
                ours_s = shingle_score((t, s.text) for t, s in ours_read)
                base_s = shingle_score((t, s.text) for t, s in base_read)
                ru = [(t, s.text) for t, s in ours_read if s.ru_uk]
                if ru:
                    ru_s = shingle_score(ru)
                    rows.append((f"{name} ru/uk ({len(ru)})", "F1", f"{ru_s.f1:.3f}", "", ""))
            elif name == "wcxb":
                # One page has no main_content in the ground truth: not scored for text.
                ours_s = bag_of_words_score((t, s.text) for t, s in ours_read
                                            if s.text is not None)
                base_s = bag_of_words_score((t, s.text) for t, s in base_read
                                            if s.text is not None)
            else:
                ours_s = snippet_score((t, s.with_snippets, s.without_snippets)
                                       for t, s in ours_read)
                base_s = snippet_score((t, s.with_snippets, s.without_snippets)
                                       for t, s in base_read)
            rows.append((name, "F1 (P / R)",
                         f"{ours_s.f1:.3f} ({ours_s.precision:.3f} / {ours_s.recall:.3f})",
                         f"{base_s.f1:.3f} ({base_s.precision:.3f} / {base_s.recall:.3f})",
                         f"empty: {ours_s.empty} vs {base_s.empty} of {ours_s.pages}"))
            if name in ("scrapinghub-aeb", "wcxb"):
                speed_ours += t_ours
                speed_bare += run_bare_with_metadata(samples)
                speed_pages += len(samples)
        if samples[0].dated_set:
            base_days = run_baseline_dates(samples)
            ours_d = date_score((d, s.date) for d, s in zip(days, samples, strict=True))
            base_d = date_score((d, s.date) for d, s in zip(base_days, samples, strict=True))
            rows.append((name, "acc_dated", f"{ours_d.acc_dated:.3f}", f"{base_d.acc_dated:.3f}",
                         f"{ours_d.dated} dated pages"))
            if ours_d.undated:
                rows.append((name, "undated left undated",
                              f"{ours_d.left_undated} of {ours_d.undated}",
                              f"{base_d.left_undated} of {base_d.undated}", ""))
            ru = [(d, s) for d, s in zip(days, samples, strict=True) if s.ru_uk]
            if ru:
                right = sum((d or "")[:10] == s.date for d, s in ru if s.date)
                base_right = sum((b or "") == s.date
                                 for b, s in zip(base_days, samples, strict=True) if s.ru_uk)
                rows.append((f"{name} ru/uk", "right days", f"{right} of {len(ru)}",
                             f"{base_right} of {len(ru)}", ""))
                ru_lines += [f"  {s.url}\n    gold {s.date}  ours {d}" for d, s in ru]
    print(f"bench-data: {DATA}  ({'every 4th page' if args.quick else 'all pages'})\n")
    widths = [max(len(str(r[i])) for r in [*rows, HEADER]) for i in range(5)]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nspeed on {speed_pages} pages (aeb + wcxb): extract_article "
          f"{speed_pages / speed_ours:.1f} pages/s, trafilatura.bare_extraction"
          f"(with_metadata=True) {speed_pages / speed_bare:.1f} pages/s, ratio "
          f"{speed_bare / speed_ours:.2f}x")
    if args.show_ru:
        print("\nRussian/Ukrainian date pages:\n" + "\n".join(ru_lines))
    print(f"\n({time.perf_counter() - started:.0f} s)")


HEADER = ("set", "metric", "newsagg extract_article", "baseline (trafilatura/htmldate)",
          "notes")

if __name__ == "__main__":
    main()
