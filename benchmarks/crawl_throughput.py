"""Crawl throughput: extraction inline on the reactor thread vs in the worker pool.

Serves real news pages (wcxb dev-articles from ../shared/bench-data) on
127.0.0.1 behind a sitemap, then runs `newsagg crawl` over them once with
NEWSAGG_EXTRACT_WORKERS=0 (inline, one core) and once with the default pool
(one worker per core), in the same run, and prints pages/s for both.

    python benchmarks/crawl_throughput.py [--pages 400] [--repeat 1]
"""

from __future__ import annotations

import argparse
import gzip
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench-data" / "wcxb" / "dev-articles" / "html"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "NEWSAGG_PROGRESS_INTERVAL=0", "-s", "LOG_LEVEL=WARNING"]


def load_pages(limit: int) -> list[bytes]:
    files = sorted(DATA.glob("*.html.gz"))[:limit]
    if not files:
        sys.exit(f"no pages found under {DATA}")
    return [gzip.decompress(f.read_bytes()) for f in files]


def serve(pages: list[bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path == "/sitemap.xml":
                urls = "".join(f"<url><loc>{base}/a/{i}</loc></url>" for i in range(len(pages)))
                body = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                        f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()
                kind = "application/xml"
            elif self.path.startswith("/a/") and self.path[3:].isdigit() \
                    and int(self.path[3:]) < len(pages):
                body, kind = pages[int(self.path[3:])], "text/html"
            else:
                body, kind = b"not found", "text/plain"
                self.send_response(404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def crawl(base: str, workdir: Path, label: str, workers: str | None) -> tuple[float, int]:
    sources = workdir / "sources.toml"
    sources.write_text(
        f'[[source]]\nid = "bench"\nname = "Bench"\nhomepage = "{base}/"\nlanguage = "en"\n'
        f'timezone = "UTC"\nsitemaps = ["{base}/sitemap.xml"]\narticle_pattern = "/a/\\\\d+"\n',
        encoding="utf-8")
    db = workdir / f"{label}.db"
    extra = ["-s", f"NEWSAGG_EXTRACT_WORKERS={workers}"] if workers is not None else []
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "aggregator", "crawl", "--sources",
                             str(sources), "--db", str(db), *FAST, *extra],
                            capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{label}: crawl failed:\n{result.stderr[-3000:]}")
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return elapsed, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    pages = load_pages(args.pages)
    server, base = serve(pages)
    cores = os.cpu_count() or 1
    print(f"{len(pages)} pages from {DATA.relative_to(ROOT.parent)}; {cores} cores")
    print(f"{'mode':<28} {'seconds':>8} {'pages/s':>8} {'stored':>7}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(args.repeat):
                for label, workers in (("inline (workers=0)", "0"),
                                       (f"pool (workers={cores}, default)", None)):
                    seconds, stored = crawl(base, Path(tmp), f"{n}-{workers}", workers)
                    print(f"{label:<28} {seconds:>8.1f} {len(pages) / seconds:>8.1f} "
                          f"{stored:>7}", flush=True)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
