"""What hostile documents cost: memory and time, against ordinary ones in the same run.

1. Readers, each in a fresh interpreter (peak memory is its VmHWM): extract_article on an
   ordinary article and on a 10 MB one of 20,000 paragraphs (and trafilatura alone on the
   10 MB page, what an unbounded extraction costs); parse_feed on an ordinary RSS feed
   and on a 200 KB feed whose DTD expands quadratically (and feedparser alone on it, as
   newsagg read feeds before, with its address space capped at 2 GiB); parse_sitemap on
   an ordinary sitemap, a billion-laughs one and a 1 MB .gz that inflates to 1 GB.
2. `newsagg crawl` of a FaultWeb site on 127.0.0.1 with N ordinary articles, and of the
   same site with the bombs added (the feed bomb, the billion laughs, the 10 MB article,
   a page that kills its extraction worker): wall time, peak memory (PSS) of all the
   crawl's processes and by role, the reactor's longest stall, what was counted.

    python benchmarks/faults.py              # N = 300
    python benchmarks/faults.py --pages 1000
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.speed import Watch  # noqa: E402
from tests.faultpages import (  # noqa: E402
    article_html,
    billion_laughs,
    huge_article,
    quadratic_entity_feed,
    rss,
    urlset,
)
from tests.faultweb import FaultWeb, ok, site_source  # noqa: E402
from tests.faultworkers import KILL_MARKER  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "NEWSAGG_PROGRESS_INTERVAL=0", "-v"]
CHILD = r"""
import json, sys, time
kind, path = sys.argv[1], sys.argv[2]
body = open(path, "rb").read()


def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024


if kind == "extract":
    from aggregator.extract import extract_article as work
    run = lambda: work(body.decode("utf-8"), "http://127.0.0.1/news/1")
elif kind == "trafilatura":
    import trafilatura
    run = lambda: trafilatura.bare_extraction(body.decode("utf-8"), with_metadata=True)
elif kind == "feed":
    from aggregator.crawl.discovery import parse_feed
    run = lambda: parse_feed(body, "http://127.0.0.1/rss")
elif kind == "feedparser":
    import feedparser
    run = lambda: feedparser.parse(body)
else:
    from aggregator.crawl.discovery import parse_sitemap
    run = lambda: parse_sitemap(body, "http://127.0.0.1/sitemap.xml")
base = peak_mb()
start = time.perf_counter()
try:
    run()
    outcome = "ok"
except MemoryError:
    outcome = "MemoryError"
except Exception as exc:
    outcome = type(exc).__name__
print(json.dumps({"seconds": time.perf_counter() - start, "base": base, "peak": peak_mb(),
                  "outcome": outcome}))
"""
ADDRESS_SPACE = 2 << 30


def gzip_bomb() -> bytes:
    """A .gz of ~1 MB that inflates to ~1 GB of sitemap entries."""
    entry = b"<url><loc>http://127.0.0.1/news/1</loc></url>" * 20_000
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = packer.compress(entry) + packer.flush()
    head = zlib.compressobj(9, zlib.DEFLATED, 31)
    opening = head.compress(b"<urlset>") + head.flush()
    return opening + member * 1_100


def reader(kind: str, body: bytes) -> dict:
    with tempfile.NamedTemporaryFile() as doc:
        doc.write(body)
        doc.flush()
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(CHILD), kind, doc.name], cwd=ROOT,
            capture_output=True, text=True, timeout=600,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS,
                                                  (ADDRESS_SPACE, ADDRESS_SPACE)))
    if done.returncode != 0:
        return {"seconds": float("nan"), "base": float("nan"), "peak": float("nan"),
                "outcome": f"died ({done.stderr.strip().splitlines()[-1][:60]})"}
    return json.loads(done.stdout)


def readers() -> None:
    ordinary = article_html(1, body_paragraphs=[f"Абзац {i}: " + "слово " * 60
                                                for i in range(40)]).encode()
    cases = [
        ("extract_article", "ordinary article (16 KB)", "extract", ordinary),
        ("extract_article", "10 MB article, 20,000 paragraphs", "extract", huge_article()),
        ("trafilatura alone", "10 MB article, 20,000 paragraphs", "trafilatura",
         huge_article()),
        ("parse_feed", "ordinary RSS, 100 items", "feed",
         rss([f"http://127.0.0.1/news/{i}" for i in range(100)])),
        ("parse_feed", "200 KB quadratic-entity feed", "feed",
         quadratic_entity_feed("http://127.0.0.1/news/1")),
        ("feedparser alone", "200 KB quadratic-entity feed", "feedparser",
         quadratic_entity_feed("http://127.0.0.1/news/1")),
        ("parse_sitemap", "ordinary sitemap, 1,000 URLs", "sitemap",
         urlset([f"http://127.0.0.1/news/{i}" for i in range(1000)])),
        ("parse_sitemap", "billion laughs", "sitemap", billion_laughs()),
        ("parse_sitemap", "1 MB .gz inflating to 1 GB", "sitemap", gzip_bomb()),
    ]
    print(f"{'reader':<18} {'document':<36} {'seconds':>8} {'peak MB':>8} "
          f"{'+ over start':>12}  outcome")
    for name, label, kind, body in cases:
        got = reader(kind, body)
        print(f"{name:<18} {label:<36} {got['seconds']:8.2f} {got['peak']:8.0f} "
              f"{got['peak'] - got['base']:12.0f}  {got['outcome']}")


def build_site(web: FaultWeb, pages: int, bombs: bool, tmp: Path) -> Path:
    site = web.site("bombs" if bombs else "plain")
    links = [site.url(f"/news/{i}") for i in range(pages)]
    feeds = [site.url("/feed.xml")]
    sitemaps = []
    if bombs:
        links += [site.url("/news/huge"), site.url("/news/killer")]
        site.route("/news/huge", ok(huge_article()))
        site.route("/news/killer", ok(article_html(10**6).replace(
            "</body>", KILL_MARKER + "</body>")))
        site.route("/bomb.xml", ok(quadratic_entity_feed(links[0]), "application/rss+xml"))
        site.route("/laughs.xml", ok(billion_laughs(), "application/xml"))
        feeds.append(site.url("/bomb.xml"))
        sitemaps.append(site.url("/laughs.xml"))
    site.route("/feed.xml", ok(rss(links), "application/rss+xml"))
    for i in range(pages):
        site.route(f"/news/{i}", ok(article_html(i)))
    return web.write_sources(tmp / f"{site.name}.toml",
                             site_source(site, feeds=feeds, sitemaps=sitemaps))


def crawl(sources: Path, db: Path) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources), "--db",
         str(db), *FAST, "-s", "NEWSAGG_EXTRACTOR=tests.faultworkers.extract_or_crash"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    watch = Watch(process.pid)
    out, err = process.communicate(timeout=3600)
    watch.done()
    lag = re.search(r"'newsagg/reactor_lag_max': ([\d.]+)", err)
    problems = out.split("notices):", 1)[1].strip() if "notices):" in out else "-"
    return {"wall": time.perf_counter() - started, "peak": watch.peak_rss / 2**20,
            "by_role": {k: v / 2**20 for k, v in watch.peak_by_role.items()},
            "lag": float(lag.group(1)) if lag else float("nan"), "exit": process.returncode,
            "problems": " ".join(problems.split())}


def crawls(pages: int) -> None:
    print(f"\n`newsagg crawl` of {pages} ordinary articles on 127.0.0.1, without and with "
          "the bombs (2 workers)")
    with tempfile.TemporaryDirectory() as tmp, FaultWeb() as web:
        for bombs in (False, True):
            sources = build_site(web, pages, bombs, Path(tmp))
            got = crawl(sources, Path(tmp) / f"{bombs}.db")
            roles = ", ".join(f"{role} {mb:.0f}" for role, mb in sorted(got["by_role"].items()))
            print(f"{'with bombs' if bombs else 'ordinary':<11} exit {got['exit']}  "
                  f"{got['wall']:6.1f} s  peak PSS {got['peak']:4.0f} MB ({roles})  "
                  f"longest reactor stall {got['lag']:.2f} s")
            print(f"{'':<11} counted: {got['problems']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--skip-readers", action="store_true")
    args = parser.parse_args()
    if not args.skip_readers:
        readers()
    crawls(args.pages)


if __name__ == "__main__":
    main()
