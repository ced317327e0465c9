"""What a digest costs, and what matching word forms buys over matching the keyword as written.

Stores N real article texts (the gold texts of ../shared/bench-data: scrapinghub-aeb and
wcxb) under 40 sources, all first seen in one digest window, then times in the same run:
the topic matcher's start (dictionaries and keyword forms), selecting and grouping the
digest, and rendering HTML and text. The baseline is the naive matcher a user would
otherwise get: each keyword searched as written, case-folded, as a substring. It prints
how many articles each matcher puts in a topic of the project's sources.toml.

    python benchmarks/digest.py                 # 1,000 articles
    python benchmarks/digest.py --articles 3000
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.config import load_config  # noqa: E402
from aggregator.digest.render import render  # noqa: E402
from aggregator.digest.select import build_digest, window  # noqa: E402
from aggregator.digest.topics import TopicMatcher, fold  # noqa: E402
from benchmarks.quality import load_aeb, load_wcxb  # noqa: E402
from storage.store import ArticleRecord, Store  # noqa: E402

DAY = date(2026, 11, 30)
SOURCES = 40


def texts(limit: int) -> list[tuple[str, str]]:
    """(title, text) pairs: the first line of a gold text stands in for its title."""
    found = []
    for sample in itertools.chain(load_aeb(1), load_wcxb(1)):
        text = (sample.text or "").strip()
        if len(text) < 300:
            continue
        found.append((text.split("\n", 1)[0][:120], text))
        if len(found) == limit:
            break
    return found


def timed(func, repeat: int = 3) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    settings = load_config(ROOT / "sources.toml").digest
    pages = texts(args.articles)
    print(f"{len(pages)} gold texts, {sum(len(t) for _, t in pages) / 1e6:.1f} M characters, "
          f"{len(settings.topics)} topics with "
          f"{sum(len(t.keywords) for t in settings.topics)} keywords")

    start, _ = window(DAY, settings)
    seen = (start + timedelta(hours=1)).astimezone(UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "news.db") as store:
        store.sync_sources({"id": f"s{i}", "name": f"Source {i}", "homepage": "https://x.example/",
                            "language": "ru", "timezone": "Europe/Moscow", "region": "Region",
                            "country": "RU", "feeds": [], "sitemaps": [], "listings": [],
                            "article_pattern": None, "max_listing_pages": 1, "enabled": 1}
                           for i in range(SOURCES))
        fill = time.perf_counter()
        for i, (title, text) in enumerate(pages):
            url = f"https://s{i % SOURCES}.example/news/{i}"
            store.save_article(ArticleRecord(
                source_id=f"s{i % SOURCES}", url=url, aliases=[url], title=title, text=text,
                published_at="2026-11-29T10:00:00+03:00", seen_at=seen))
        fill = time.perf_counter() - fill

        begin = time.perf_counter()
        matcher = TopicMatcher(settings.topics)
        warm = time.perf_counter() - begin
        build_s, digest = timed(lambda: build_digest(store, settings, DAY, matcher))
        html_s, html = timed(lambda: render(digest, settings, "html"))
        text_s, _ = timed(lambda: render(digest, settings, "text"))
        match_s, ours = timed(lambda: [matcher.match(t, x) for t, x in pages])

    naive_rules = [(t.id, [fold(k) for k in t.keywords]) for t in settings.topics]
    naive_s, naive = timed(lambda: [
        [tid for tid, words in naive_rules if any(w in fold(f"{t}\n{x}") for w in words)]
        for t, x in pages])

    n = len(pages)
    print(f"store filled in {fill:.1f} s (not part of the digest)")
    print(f"matcher start (pymorphy3 dictionaries, keyword forms): {warm * 1000:.0f} ms")
    print(f"build_digest:  {build_s * 1000:8.0f} ms  ({build_s / n * 1000:.2f} ms per article;"
          f" {digest.stories} stories, {len(digest.sections)} sections)")
    print(f"render html:   {html_s * 1000:8.0f} ms  ({len(html) / 1024:.0f} KiB)")
    print(f"render text:   {text_s * 1000:8.0f} ms")
    print(f"topic match:   {match_s / n * 1000:8.2f} ms per article (naive substring "
          f"{naive_s / n * 1000:.2f} ms)")
    print()
    print(f"{'topic':<12}{'word forms':>12}{'as written':>12}{'both':>8}{'only forms':>12}"
          f"{'only as written':>17}")
    for topic in settings.topics:
        a = {i for i, found in enumerate(ours) if topic.id in found}
        b = {i for i, found in enumerate(naive) if topic.id in found}
        print(f"{topic.id:<12}{len(a):>12}{len(b):>12}{len(a & b):>8}{len(a - b):>12}"
              f"{len(b - a):>17}")


if __name__ == "__main__":
    main()
