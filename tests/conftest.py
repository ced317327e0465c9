"""Shared fixtures: the demo web on 127.0.0.1 and `newsagg` run as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from aggregator.demo.server import DemoWeb

DEMO_DIR = Path(__file__).resolve().parent.parent / "aggregator" / "demo"
# Tests do not need to be polite to their own loopback server.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY_JITTER=0"]


def run_newsagg(*args: str, timeout: float = 240, env: dict | None = None,
                **kwargs) -> subprocess.CompletedProcess:
    """`newsagg ARGS` in a fresh process (Scrapy's reactor runs once per process)."""
    env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "aggregator", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, **kwargs)


@pytest.fixture(scope="session")
def expected() -> dict:
    return tomllib.loads((DEMO_DIR / "expected.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_web():
    with DemoWeb() as web:
        yield web


@pytest.fixture(scope="session")
def demo_sources(demo_web, tmp_path_factory) -> Path:
    return demo_web.write_sources(tmp_path_factory.mktemp("demo") / "sources.toml")


@pytest.fixture(scope="session")
def first_crawl(demo_web, demo_sources, tmp_path_factory):
    """The demo web crawled once into a fresh database (shared, never modified)."""
    db = tmp_path_factory.mktemp("crawl") / "news.db"
    demo_web.revision = 1
    result = run_newsagg("crawl", "--sources", str(demo_sources), "--db", str(db), *FAST,
                         "-s", "NEWSAGG_PROGRESS_INTERVAL=0.1")
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result


@pytest.fixture
def crawled_copy(first_crawl, tmp_path) -> Path:
    """A private copy of the first crawl's database, for tests that crawl again."""
    db = tmp_path / "news.db"
    shutil.copy(first_crawl[0], db)
    return db
