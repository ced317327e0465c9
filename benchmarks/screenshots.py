"""Render what readers see in headless Chromium to PNGs: the digest e-mail and the
Datasette pages of `newsagg browse`.

Not a test and not a benchmark: a visual check. By default it runs `newsagg demo` in a
temporary directory and shoots the demo; give --db (and --sources for the digest) to
shoot your own store. The PNGs go to screenshots/ (not committed).

    python benchmarks/screenshots.py                   # digest and browse, of the demo
    python benchmarks/screenshots.py digest            # the digest at phone and desktop width
    python benchmarks/screenshots.py browse --db news.db

Needs Chromium (Debian: apt-get install chromium).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DIGEST_SIZES = {"phone": (390, 2400), "desktop": (900, 1800)}
BROWSE_SIZE = (1280, 1100)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("Chromium not found: apt-get install chromium (or put it on PATH)")


def newsagg(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], check=True, **kwargs)


def shoot(browser: str, url: str, png: Path, width: int, height: int) -> None:
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}", url],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    print(f"{png}  ({width}x{height})")


def demo_store(workdir: Path) -> Path:
    db = workdir / "demo.db"
    newsagg("demo", "--db", str(db), stdout=subprocess.DEVNULL)
    return db


def shoot_digest(args: argparse.Namespace, browser: str, workdir: Path, out: Path) -> None:
    if args.db is None:
        demo_store(workdir)
        page = workdir / "demo-digest.html"
    else:
        page = workdir / "digest.html"
        command = ["digest", "--db", args.db, "--format", "html", "--out", str(page)]
        command += ["--sources", args.sources] if args.sources else []
        command += ["--date", args.date] if args.date else []
        newsagg(*command)
    for name, (width, height) in DIGEST_SIZES.items():
        shoot(browser, page.resolve().as_uri(), out / f"digest-{name}.png", width, height)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shoot_browse(args: argparse.Namespace, browser: str, workdir: Path, out: Path) -> None:
    db = Path(args.db) if args.db else demo_store(workdir)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "aggregator", "browse", "--db", str(db),
                               "--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{db.stem}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        width, height = BROWSE_SIZE
        shoot(browser, f"{base}/news",
              out / "browse-articles.png", width, height)
        shoot(browser, f"{base}/articles/1", out / "browse-article.png", width, height)
        shoot(browser, f"{base}/health", out / "browse-health.png", width, 700)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=("all", "digest", "browse"), default="all")
    parser.add_argument("--db", help="store to shoot (default: a fresh demo)")
    parser.add_argument("--sources", help="sources file with the [digest] and [[topic]] tables")
    parser.add_argument("--date", help="digest date, YYYY-MM-DD or 'next'")
    parser.add_argument("--out-dir", default="screenshots", help="where the PNGs go")
    args = parser.parse_args()
    browser = chromium()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsagg-shot-") as tmp:
        if args.what in ("all", "digest"):
            shoot_digest(args, browser, Path(tmp), out)
        if args.what in ("all", "browse"):
            shoot_browse(args, browser, Path(tmp), out)


if __name__ == "__main__":
    main()
