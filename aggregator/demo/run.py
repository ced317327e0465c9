"""`newsagg demo` as one library call, so the command stays a thin click layer and the
steps (serve, crawl, digest, hints) can be run and checked without a terminal.

The hints it prints are commands a newcomer copies: tests/test_cli.py runs each one on
the database it names and checks that it finds what it promises.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aggregator.config import load_config
from aggregator.crawl.run import QUIET_LOCAL_SETTINGS, CrawlResult, run_crawl
from aggregator.demo.server import DemoWeb
from aggregator.digest.deliver import parse_digest_date
from aggregator.digest.render import render
from aggregator.digest.select import Digest, build_digest
from storage.canned import HINT_LATEST, HINT_SHARED_STORIES
from storage.store import Store

# The demo's articles say «правительства», «правительству», never «правительство»: the
# word-form search finds them all.
SEARCH_HINT = "правительство"


@dataclass
class DemoRun:
    """What one demo run left behind, and the crawl and digest it made."""

    db_path: Path
    sources_file: Path
    digest_file: Path
    crawl: CrawlResult
    digest: Digest

    def next_steps(self) -> str:
        """Where the digest went and the commands that look at the store."""
        db, sources = shlex.quote(str(self.db_path)), shlex.quote(str(self.sources_file))
        topics = ", ".join(f"{s.name} {len(s.items)}" for s in self.digest.sections)
        return f"""
Digest: {self.digest.stories} stories ({topics}) in {self.digest_file}
Stored in {self.db_path}. Look at it with:
  sqlite-utils {db} "{HINT_LATEST}" --table
  newsagg search {SEARCH_HINT} --db {db}
  sqlite-utils {db} "{HINT_SHARED_STORIES}" --table
  newsagg digest --sources {sources} --db {db} --date next --format text"""


def demo_files(db_path: str | Path) -> tuple[Path, Path]:
    """The sources file and the digest written beside the database: demo.db ->
    demo-sources.toml, demo-digest.html."""
    db = Path(db_path)
    return db.with_name(f"{db.stem}-sources.toml"), db.with_name(f"{db.stem}-digest.html")


def run_demo(db_path: str | Path, *, verbose: bool = False,
             notify: Callable[[str], None] | None = None,
             crawled: Callable[[CrawlResult], None] | None = None) -> DemoRun:
    """Serve the demo web on 127.0.0.1, crawl it into a fresh database (an old one and
    its WAL files are removed first), and write the open window's digest as HTML.

    ``notify`` gets a line naming the demo sites' addresses while they are served;
    ``crawled`` gets the crawl's result before the digest is made, so its summary is
    shown even when the digest fails. Errors are the library's own (aggregator.errors).
    """
    db = Path(db_path)
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    sources_file, digest_file = demo_files(db)
    with DemoWeb() as web:
        web.write_sources(sources_file)
        if notify:
            notify(f"Demo web: {len(web.site_ids)} sites on 127.0.0.1 "
                   f"({', '.join(web.base_url(s) for s in web.site_ids)})")
        settings = {**QUIET_LOCAL_SETTINGS, "LOG_LEVEL": "INFO" if verbose else "WARNING"}
        crawl = run_crawl(sources_file, db, settings=settings)
    if crawled:
        crawled(crawl)
    digest_settings = load_config(sources_file).digest
    with Store(db) as store:
        found = build_digest(store, digest_settings, parse_digest_date("next", digest_settings))
    digest_file.write_text(render(found, digest_settings, "html"), encoding="utf-8")
    return DemoRun(db, sources_file, digest_file, crawl, found)
