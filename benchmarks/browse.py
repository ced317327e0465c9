"""How fast `newsagg browse` answers on a store of N articles, against Datasette's defaults.

Stores N articles (the aeb and wcxb gold texts, numbered to stay distinct) under 40
sources, then asks Datasette's test client (no network) for each page five times and
prints the median. The baseline in the same run is the same Datasette with its default
settings (facets suggested for every column), which is what `datasette news.db` gives.

    python benchmarks/browse.py                 # 5,000 articles
    python benchmarks/browse.py --articles 20000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.browse.site import make_datasette  # noqa: E402
from benchmarks.digest import texts  # noqa: E402
from storage.store import ArticleRecord, Store  # noqa: E402

PAGES = ["/news/news", "/news/news.json?_search=government",
         "/news/news.json?_sort_desc=published_utc", "/news/latest.json", "/news/latest.atom",
         "/news/since_last_digest.json", "/news/shared_stories.json", "/news/health.json",
         "/news/articles/1"]


def fill(db: Path, n: int) -> None:
    pages = texts(1000)
    now = datetime.now(UTC)
    with Store(db) as store:
        store.sync_sources({
            "id": f"s{i}", "name": f"Source {i}", "homepage": "https://x.example/",
            "language": "ru", "timezone": "Europe/Moscow", "region": f"Region {i % 7}",
            "country": "RU", "feeds": [], "sitemaps": [], "listings": [],
            "article_pattern": None, "max_listing_pages": 1, "enabled": 1} for i in range(40))
        for i in range(n):
            title, text = pages[i % len(pages)]
            url = f"https://s{i % 40}.example/{i}"
            store.save_article(ArticleRecord(
                source_id=f"s{i % 40}", url=url, aliases=[url], title=title,
                text=f"Выпуск {i}. {text} Номер {i}.",
                published_at=(now - timedelta(hours=i)).isoformat(timespec="seconds"),
                seen_at=(now - timedelta(minutes=i)).isoformat(timespec="seconds")))


async def timings(ds) -> list[float]:
    await ds.invoke_startup()
    medians = []
    for path in PAGES:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            response = await ds.client.get(path)
            runs.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        medians.append(statistics.median(runs))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        start = time.perf_counter()
        fill(db, args.articles)
        print(f"{args.articles} articles stored in {time.perf_counter() - start:.0f} s, "
              f"{db.stat().st_size / 1e6:.0f} MB")
        ours = asyncio.run(timings(make_datasette(db)))
        theirs = asyncio.run(timings(make_datasette(db, settings={"suggest_facets": True})))
    print(f"{'page':<42}{'newsagg ms':>12}{'suggesting ms':>15}")
    for path, a, b in zip(PAGES, ours, theirs, strict=True):
        print(f"{path:<42}{a * 1000:>12.1f}{b * 1000:>15.1f}")


if __name__ == "__main__":
    main()
