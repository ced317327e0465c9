"""Bombs: a feed or sitemap under the size cap parses in little time and flat memory.

Each document is parsed in a fresh interpreter that prints its parse time and peak RSS
(VmHWM: ru_maxrss would carry over the forking pytest process's peak through exec); the
child's address space is capped at 1 GiB, so a bomb fails fast instead of taking the
machine down. The time bounds are loose on purpose: they tell seconds of work from
minutes, on a loaded machine too.
"""

import json
import resource
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from tests.faultpages import billion_laughs, quadratic_entity_feed

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30
CHILD = """
import json, sys, time
from aggregator.crawl.discovery import parse_feed, parse_sitemap


def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


body = open(sys.argv[2], "rb").read()
base = peak_mb()
start = time.perf_counter()
if sys.argv[1] == "feed":
    links, truncated = parse_feed(body, "http://127.0.0.1:8000/news/rss"), None
else:
    doc = parse_sitemap(body, "http://127.0.0.1:8000/sitemap.xml")
    links, truncated = doc.links, doc.truncated
print(json.dumps({"seconds": time.perf_counter() - start, "base_mb": base,
                  "peak_mb": peak_mb(),
                  "count": len(links), "urls": [link.url for link in links[:3]],
                  "truncated": truncated}))
"""


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def parse_in_child(tmp_path: Path, kind: str, body: bytes) -> dict:
    path = tmp_path / "document"
    path.write_bytes(body)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), kind, str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=40, check=True,
                         preexec_fn=limit_memory).stdout
    return json.loads(out)


def gzip_members(*parts: tuple[bytes, int]) -> bytes:
    """A multi-member .gz: each (data, n) compressed once and repeated n times, so a
    few hundred KB inflate to a gigabyte."""
    return b"".join(_gzip(data) * n for data, n in parts)


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def test_quadratic_entity_feed(tmp_path):
    body = quadratic_entity_feed("http://127.0.0.1:8000/news/1", size=270_000)
    assert 190_000 < len(body) < 210_000
    # Before: 2.9 GB and 61 s at 150 KB (here a MemoryError under the 1 GiB limit).
    got = parse_in_child(tmp_path, "feed", body)
    assert got["urls"] == ["http://127.0.0.1:8000/news/1"]
    assert got["seconds"] < 10 and got["peak_mb"] < 150, got


@pytest.mark.parametrize("root", ["urlset", "sitemapindex"])
def test_billion_laughs_sitemap(tmp_path, root):
    got = parse_in_child(tmp_path, "sitemap", billion_laughs(root))
    assert got["seconds"] < 10 and got["peak_mb"] < 150, got
    if root == "urlset":      # the entity reference stays as written, never expanded
        assert got["urls"] == ["http://127.0.0.1/&lol9;"]


def test_gzip_bomb_stops_at_50_mb_keeping_what_it_read(tmp_path):
    head = b'<?xml version="1.0"?><urlset><url><loc>http://127.0.0.1:8000/news/1</loc></url>'
    body = gzip_members((head, 1), (b" " * (1 << 20), 1024), (b"</urlset>", 1))
    assert len(body) < 2 << 20                      # 2 MB that inflate to 1 GB
    got = parse_in_child(tmp_path, "sitemap", body)
    assert got["urls"] == ["http://127.0.0.1:8000/news/1"]
    assert "larger than 50 MB uncompressed" in got["truncated"]
    # Streamed: the 50 MB are never held (before: read whole into memory, then refused).
    assert got["peak_mb"] - got["base_mb"] < 25 and got["seconds"] < 10, got


def test_gzip_bomb_of_entries_stops_at_50000(tmp_path):
    entries = b"<url><loc>http://127.0.0.1:8000/news/1</loc></url>" * 100_000
    body = gzip_members((b"<urlset>", 1), (entries, 100), (b"</urlset>", 1))   # 10M entries
    got = parse_in_child(tmp_path, "sitemap", body)
    assert got["count"] == 50_000
    assert "more than 50000 entries" in got["truncated"]
    assert got["peak_mb"] < 150 and got["seconds"] < 10, got
