"""How well a portal is onboarded from its homepage alone, over the CMS fixture web
(tests/cmsweb.py: Bitrix, DLE, WordPress, Joomla, Drupal, a government CMS, feed-only,
listings-only, news-sitemap-only, a listing mixed with tag/author/event pages).

Per site: `discover` (what `newsagg sources add` runs) from the homepage with the crawl's
fetcher, its [[source]] table written to a sources file, then `newsagg crawl` of that
file into a fresh database in its own process, and the store compared with the site's
ground truth: found (the proposal works), articles stored / present, non-article pages
(tag, author, listing...) the inferred article_pattern matches and non-articles stored,
other pages stored (in neither set), requests the discovery
made, seconds of discovery and of the crawl; then the totals.

    python benchmarks/onboarding.py
    python benchmarks/onboarding.py --site bitrix --site dle --verbose
    python benchmarks/onboarding.py --json results.json
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.errors import FetchError, NothingFoundError  # noqa: E402
from aggregator.onboard.discover import discover  # noqa: E402
from aggregator.onboard.fetch import PoliteFetcher  # noqa: E402
from aggregator.urls import normalize_url  # noqa: E402
from storage.selection import seen_between  # noqa: E402
from storage.store import Store  # noqa: E402
from tests.cmsweb import CmsSite, CmsWeb  # noqa: E402
from tests.faultweb import FaultWeb  # noqa: E402

# The crawl need not be polite to its own loopback servers (as tests/conftest.py's FAST).
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY_JITTER=0"]
CRAWL_TIMEOUT_S = 180


@dataclass
class Result:
    site: str
    works: bool = False
    pattern: str | None = None
    kinds: str = ""                 # what the table declares: feeds, sitemaps, listings
    articles_present: int = 0
    articles_found: int = 0
    non_articles_matched: int = 0   # non-article URLs the inferred pattern matches
    non_articles_stored: int = 0
    other_stored: int = 0           # stored pages that are in neither truth set
    requests: int = 0
    discover_s: float = 0.0
    crawl_s: float = 0.0
    problem: str = ""
    tried: tuple[str, ...] = ()


def onboard(site: CmsSite, tmp: Path, delay: float) -> Result:
    """One site: discover, write its table, crawl it, score the store."""
    result = Result(site.name, articles_present=len(site.articles))
    fetcher = PoliteFetcher.from_settings({"DOWNLOAD_DELAY": delay})
    started = time.perf_counter()
    try:
        proposal = discover(site.homepage, fetcher=fetcher, source_id=site.name)
    except (FetchError, NothingFoundError) as exc:
        result.discover_s = time.perf_counter() - started
        result.requests, result.problem = fetcher.requests, f"discover: {exc}"
        return result
    result.discover_s = time.perf_counter() - started
    table = proposal.table
    result.works, result.requests, result.tried = proposal.works, proposal.requests, tuple(
        proposal.tried)
    result.pattern = table.get("article_pattern")
    if result.pattern:
        shape = re.compile(result.pattern)
        result.non_articles_matched = sum(bool(shape.search(u)) for u in site.non_articles)
    result.kinds = "+".join(k for k in ("feeds", "sitemaps", "listings") if table.get(k))
    if not result.kinds:
        result.problem = "the table declares no feed, sitemap or listing: nothing to crawl"
        return result

    sources = FaultWeb.write_sources(tmp / f"{site.name}.toml", table)
    db = tmp / f"{site.name}.db"
    started = time.perf_counter()
    crawl = subprocess.run(
        [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
         "--db", str(db), *FAST], capture_output=True, text=True, timeout=CRAWL_TIMEOUT_S,
        cwd=ROOT)
    result.crawl_s = time.perf_counter() - started
    if crawl.returncode != 0:
        result.problem = f"crawl exit {crawl.returncode}: {crawl.stderr.strip()[-500:]}"
        return result
    with Store(db) as store:
        stored = {normalize_url(a.url) for a in seen_between(store, "0000", "9999")
                  if a.source_id == site.name}
    truth = {normalize_url(u) for u in site.articles}
    non = {normalize_url(u) for u in site.non_articles}
    result.articles_found = len(stored & truth)
    result.non_articles_stored = len(stored & non)
    result.other_stored = len(stored - truth - non)
    return result


def perfect(r: Result) -> bool:
    return (r.works and r.articles_found == r.articles_present and not r.non_articles_stored
            and not r.other_stored)


def report(results: list[Result], verbose: bool) -> str:
    lines = [f"{'site':<13} {'found':<5} {'articles':>9} {'matched':>7} {'non-art':>7} "
             f"{'other':>5} "
             f"{'requests':>8} {'disc s':>6} {'crawl s':>7}  declares / article_pattern"]
    for r in results:
        lines.append(
            f"{r.site:<13} {'yes' if r.works else 'NO':<5} "
            f"{f'{r.articles_found}/{r.articles_present}':>9} {r.non_articles_matched:>7} "
            f"{r.non_articles_stored:>7} "
            f"{r.other_stored:>5} {r.requests:>8} {r.discover_s:>6.2f} {r.crawl_s:>7.2f}  "
            f"{r.kinds or '-'} {r.pattern or '-'}")
        if r.problem:
            lines.append(f"{'':<13} problem: {r.problem}")
        if verbose or not perfect(r):
            lines.extend(f"{'':<13} tried: {step}" for step in r.tried)
    found = sum(r.articles_found for r in results)
    present = sum(r.articles_present for r in results)
    lines.append(
        f"{'TOTAL':<13} {f'{sum(r.works for r in results)}/{len(results)}':<5} "
        f"{f'{found}/{present}':>9} {sum(r.non_articles_matched for r in results):>7} "
        f"{sum(r.non_articles_stored for r in results):>7} "
        f"{sum(r.other_stored for r in results):>5} {sum(r.requests for r in results):>8} "
        f"{sum(r.discover_s for r in results):>6.2f} {sum(r.crawl_s for r in results):>7.2f}")
    lines.append(f"sites onboarded perfectly (found, every article, nothing else): "
                 f"{sum(perfect(r) for r in results)}/{len(results)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", default=[],
                        help="only this site (repeatable); default: every site")
    parser.add_argument("--delay", type=float, default=0.05,
                        help="seconds between discovery requests to one host (default 0.05)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--verbose", action="store_true",
                        help="print what discovery tried for every site, not only failures")
    args = parser.parse_args(argv)
    with CmsWeb() as web, tempfile.TemporaryDirectory(prefix="newsagg-onboarding-") as tmp:
        unknown = [name for name in args.site if name not in web.sites]
        if unknown:
            parser.error(f"no such site: {', '.join(unknown)} "
                         f"(the sites: {', '.join(web.sites)})")
        names = args.site or list(web.sites)
        results = []
        for name in names:
            results.append(onboard(web.sites[name], Path(tmp), args.delay))
            print(f"  {name}: done", file=sys.stderr, flush=True)
    print(report(results, args.verbose))
    if args.json:
        rows: list[dict[str, Any]] = [asdict(r) for r in results]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
