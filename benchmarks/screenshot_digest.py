"""Render the HTML digest in headless Chromium to PNGs, to look at it as a reader would.

Not a test and not a benchmark: a visual check of the e-mail layout at a phone's
width and a desktop mail client's. By default it runs `newsagg demo` into a
temporary directory and shoots the demo's digest; give --db and --sources to
shoot a digest of your own store.

    python benchmarks/screenshot_digest.py                       # demo -> screenshots/
    python benchmarks/screenshot_digest.py --db news.db --sources sources.toml --date 2026-11-30

Needs Chromium (Debian: apt-get install chromium).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = {"phone": (390, 2400), "desktop": (900, 1800)}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("Chromium not found: apt-get install chromium (or put it on PATH)")


def digest_html(args: argparse.Namespace, workdir: Path) -> Path:
    if args.db is None:
        db = workdir / "demo.db"
        subprocess.run([sys.executable, "-m", "aggregator", "demo", "--db", str(db)],
                       check=True, stdout=subprocess.DEVNULL)
        return workdir / "demo-digest.html"
    out = workdir / "digest.html"
    command = [sys.executable, "-m", "aggregator", "digest", "--db", args.db,
               "--format", "html", "--out", str(out)]
    if args.sources:
        command += ["--sources", args.sources]
    if args.date:
        command += ["--date", args.date]
    subprocess.run(command, check=True)
    return out


def shoot(browser: str, page: Path, png: Path, width: int, height: int) -> None:
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}",
                    page.resolve().as_uri()],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store to shoot a digest of (default: a fresh demo)")
    parser.add_argument("--sources", help="sources file with the [digest] and [[topic]] tables")
    parser.add_argument("--date", help="digest date, YYYY-MM-DD or 'next'")
    parser.add_argument("--out-dir", default="screenshots", help="where the PNGs go")
    args = parser.parse_args()
    browser = chromium()
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsagg-shot-") as tmp:
        page = digest_html(args, Path(tmp))
        for name, (width, height) in WIDTHS.items():
            png = out_dir / f"digest-{name}.png"
            shoot(browser, page, png, width, height)
            print(f"{png}  ({width}x{height})")


if __name__ == "__main__":
    main()
