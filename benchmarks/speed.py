"""Crawl speed against this machine's limits: does newsagg use every core?

Builds a local web of N real article pages (the HTML of ../shared/bench-data: aeb,
wcxb, trafilatura-eval, htmldate-eval), spread over 8 sites, each with an RSS feed, a
sitemap and paginated listings, served on 127.0.0.1-127.0.0.8 (HTTP/1.1 keep-alive)
with no politeness delays, and measures in one run:

1. the ceiling: trafilatura.bare_extraction(with_metadata=True) over the same pages,
   one process (= one core);
2. Scrapy alone fetching every article page through the sitemaps, doing nothing;
3. `newsagg crawl` end to end into a fresh database: pages/s, CPU of every process,
   peak memory of all of them together;
4. a second `newsagg crawl` of the unchanged web: time and requests by kind;
5. the ratios the targets are about.

    python benchmarks/speed.py                 # N = 2000
    python benchmarks/speed.py --pages 10000   # pages are reused across sites, each copy distinct
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.quality import load_aeb, load_htmldate, load_trafilatura_eval, load_wcxb  # noqa: E402

SITES = 8
PER_LISTING = 50
FEED_ITEMS = 50
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "NEWSAGG_PROGRESS_INTERVAL=0",
        "-s", "LOG_LEVEL=WARNING"]
ARTICLE_RE = re.compile(r"^/a/(\d+)$")
BODY_RE = re.compile(r"<body[^>]*>", re.I)


def load_pages(n: int) -> list[str]:
    """N distinct pages: the sets' pages, then copies made distinct by a first line."""
    unique = [s.html for s in itertools.chain(load_aeb(1), load_wcxb(1),
                                              load_trafilatura_eval(1), load_htmldate(1))]
    pages = []
    for k in range(n):
        html = unique[k % len(unique)]
        copy = k // len(unique)
        if copy:   # a later copy: another site's reprint, with its own dateline
            html = BODY_RE.sub(rf"\g<0><p>Выпуск {copy}.</p>", html, count=1)
        pages.append(html)
    return pages


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops connections when a crawler opens more at
    # once; the client then retries after a second, which is no measure of anything.
    request_queue_size = 128


class Web:
    """SITES sites, each on its own loopback address (a host of its own to Scrapy, with
    its own download slot) and port; article k lives on site k % SITES."""

    def __init__(self, pages: list[str]) -> None:
        self.bodies = [p.encode("utf-8") for p in pages]
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.servers = [_Server((f"127.0.0.{site + 1}", 0), self._handler(site))
                        for site in range(SITES)]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def base(self, site: int) -> str:
        host, port = self.servers[site].server_address[:2]
        return f"http://{host}:{port}"

    def articles(self, site: int) -> list[int]:
        return list(range(site, len(self.bodies), SITES))

    def sources_toml(self) -> str:
        return "".join(
            f'[[source]]\nid = "site{s}"\nname = "Site {s}"\nhomepage = "{self.base(s)}/"\n'
            f'language = "en"\ntimezone = "UTC"\nfeeds = ["{self.base(s)}/feed.xml"]\n'
            f'sitemaps = ["{self.base(s)}/sitemap.xml"]\nlistings = ["{self.base(s)}/news"]\n'
            f'article_pattern = "/a/\\\\d+$"\nmax_listing_pages = 3\n\n' for s in range(SITES))

    def page(self, site: int, path: str) -> tuple[bytes, str] | None:
        base = self.base(site)
        ids = self.articles(site)
        stamp = "2026-11-20T10:00:00+00:00"
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}/a/{i}</loc><lastmod>{stamp}</lastmod></url>"
                           for i in ids)
            return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.'
                    f'sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode(), "text/xml"
        if path == "/feed.xml":
            items = "".join(f"<item><title>Article {i}</title><link>{base}/a/{i}</link>"
                            f"<guid>{base}/a/{i}</guid></item>" for i in ids[-FEED_ITEMS:])
            return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {site}'
                    f"</title><link>{base}/</link>{items}</channel></rss>").encode(), \
                "application/rss+xml"
        if path.startswith("/news"):
            page = int(path.partition("page=")[2] or 1)
            chunk = ids[(page - 1) * PER_LISTING: page * PER_LISTING]
            links = "".join(f'<li><a href="/a/{i}">Article {i}</a></li>' for i in chunk)
            more = f'<a rel="next" href="/news?page={page + 1}">Next</a>' \
                if page * PER_LISTING < len(ids) else ""
            return (f"<html><body><ul>{links}</ul>{more}</body></html>").encode(), "text/html"
        match = ARTICLE_RE.match(path)
        if match and int(match[1]) < len(self.bodies) and int(match[1]) % SITES == site:
            return self.bodies[int(match[1])], "text/html; charset=utf-8"
        return None

    def _handler(self, site: int):
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"          # keep-alive, as real servers do
            disable_nagle_algorithm = True         # else headers and body wait on delayed ACKs

            def do_GET(self) -> None:
                found = web.page(site, self.path)
                kind = "article" if ARTICLE_RE.match(self.path) else \
                    self.path.split("?")[0].strip("/").split(".")[0] or "home"
                with web.lock:
                    web.requests[kind] += 1
                body, ctype = found or (b"not found", "text/plain")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()


def ceiling(pages: list[str]) -> float:
    """trafilatura with metadata, pages/s, in this process (one core)."""
    import trafilatura

    trafilatura.bare_extraction(pages[0], with_metadata=True)        # imports, caches
    start = time.perf_counter()
    for html in pages:
        trafilatura.bare_extraction(html, with_metadata=True)
    return len(pages) / (time.perf_counter() - start)


SCRAPY_ALONE = '''
from scrapy.spiders import SitemapSpider
class Alone(SitemapSpider):
    name = "alone"
    sitemap_urls = {urls!r}
    def parse(self, response):
        return None
'''


class Watch:
    """Samples a process tree every 0.2 s: CPU seconds and peak memory (PSS) by role, and
    the peak of all processes together. Roles: the crawl process (Scrapy, pipeline, store),
    the extraction workers (children of the forkserver) and helpers (forkserver,
    resource tracker)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.cpu: dict[int, tuple[str, float]] = {}
        self.peak_by_role: Counter[str] = Counter()
        self.peak_rss = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _role(self, proc: psutil.Process) -> str:
        if proc.pid == self.root.pid:
            return "crawl"
        parent = proc.parent()
        if parent is not None and parent.pid != self.root.pid:
            return "workers"
        return "helpers"

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total, by_role = 0, Counter()
            for proc in procs:
                try:
                    times = proc.cpu_times()
                    # PSS: pages shared by the forkserver's children are counted once
                    rss = proc.memory_full_info().pss
                    role = self._role(proc)
                except psutil.NoSuchProcess:
                    continue
                self.cpu[proc.pid] = (role, times.user + times.system)
                total += rss
                by_role[role] += rss
            self.peak_rss = max(self.peak_rss, total)
            for role, rss in by_role.items():
                self.peak_by_role[role] = max(self.peak_by_role[role], rss)

    def done(self) -> None:
        self.stop.set()
        self.thread.join()


def run(command: list[str], web: Web) -> dict:
    """Run a command to its end; wall time, CPU of its tree, peak RSS, requests made."""
    web.requests.clear()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    watch = Watch(process.pid)
    _, err = process.communicate(timeout=7200)
    wall = time.perf_counter() - started
    watch.done()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed:\n{err[-3000:]}")
    by_role: Counter[str] = Counter()
    for role, seconds in watch.cpu.values():
        by_role[role] += seconds
    return {"wall": wall, "cpu": sum(by_role.values()), "by_role": dict(by_role),
            "peak_mb": watch.peak_rss / 2**20,
            "peak_by_role": {k: v / 2**20 for k, v in watch.peak_by_role.items()},
            "requests": dict(web.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--skip-ceiling", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    pages = load_pages(args.pages)
    web = Web(pages)
    print(f"{len(pages)} article pages on {SITES} sites (127.0.0.1-{SITES}), {cores} cores, "
          f"{sum(map(len, web.bodies)) / 2**20:.0f} MB of HTML")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            top = ceiling(pages) if not args.skip_ceiling else float("nan")
            print(f"ceiling   trafilatura.bare_extraction(with_metadata=True): {top:.1f} pages/s "
                  f"on one core ({top * cores:.0f} pages/s for {cores} cores at best)")

            spider = tmp_path / "alone.py"
            spider.write_text(SCRAPY_ALONE.format(
                urls=[f"{web.base(s)}/sitemap.xml" for s in range(SITES)]))
            alone = run([sys.executable, "-m", "scrapy", "runspider", str(spider), *FAST,
                         "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                         "-s", "ROBOTSTXT_OBEY=False", "-s", "TELNETCONSOLE_ENABLED=False"],
                        web)
            fetched = alone["requests"].get("article", 0)
            print(f"scrapy    alone: {fetched} pages in {alone['wall']:.1f} s, "
                  f"{fetched / alone['wall']:.0f} pages/s")

            sources = tmp_path / "sources.toml"
            sources.write_text(web.sources_toml(), encoding="utf-8")
            db = tmp_path / "news.db"
            crawl = [sys.executable, "-m", "aggregator", "crawl", "--sources", str(sources),
                     "--db", str(db), *FAST]
            first = run(crawl, web)
            with sqlite3.connect(db) as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            rate = first["requests"].get("article", 0) / first["wall"]
            print(f"newsagg   first crawl: {first['requests'].get('article', 0)} article pages, "
                  f"{stored} stored, {first['wall']:.1f} s, {rate:.1f} pages/s; "
                  f"CPU {first['cpu']:.0f} s = {first['cpu'] / first['wall']:.2f} cores busy")
            print("          CPU by role: " + ", ".join(
                f"{k} {v:.0f} s" for k, v in sorted(first["by_role"].items())))
            print(f"          peak memory (PSS) {first['peak_mb']:.0f} MB; by role: " + ", ".join(
                f"{k} {v:.0f} MB" for k, v in sorted(first["peak_by_role"].items())))
            second = run(crawl, web)
            print(f"newsagg   second crawl (unchanged web): {second['wall']:.1f} s, requests "
                  f"{dict(sorted(second['requests'].items()))}")
            print()
            print(f"end to end / one-core ceiling: {rate / top:.2f}x (target >= 1.6)")
            print(f"re-crawl / first crawl: {second['wall'] / first['wall'] * 100:.1f}% "
                  f"(target <= 5%), article pages requested again: "
                  f"{second['requests'].get('article', 0)} (target 0)")
            print(f"peak memory, all processes: {first['peak_mb']:.0f} MB (target <= 500 MB "
                  f"at 10,000 pages)")
    finally:
        web.close()


if __name__ == "__main__":
    main()
