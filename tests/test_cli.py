"""`newsagg demo` and `newsagg browse` as a user runs them: real subprocesses, the files
and the server they say they made, and the commands they tell the user to try."""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aggregator.config import load_config
from tests.conftest import run_newsagg

BIN = Path(sys.executable).parent


def db_titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT title FROM articles ORDER BY id")]


# -- newsagg demo ---------------------------------------------------------------------

def hints(stdout: str) -> list[str]:
    """The commands printed under 'Look at it with:'."""
    tail = stdout.split("Look at it with:\n", 1)[1]
    return [line.strip() for line in tail.splitlines() if line.startswith("  ")]


def run_hint(hint: str, cwd: Path) -> subprocess.CompletedProcess:
    """A printed hint, run as a user would type it (its quoting read by shlex)."""
    args = shlex.split(hint)
    if args[0] == "newsagg":
        return run_newsagg(*args[1:], cwd=cwd, timeout=60)
    assert args[0] == "sqlite-utils", hint
    return subprocess.run([str(BIN / "sqlite-utils"), *args[1:]], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def table_rows(output: str) -> list[str]:
    """The data lines of `sqlite-utils --table` output (after the header and dashes)."""
    return [line for line in output.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`newsagg demo` in an empty directory holding a stale demo.db it must replace."""
    where = tmp_path_factory.mktemp("demo-cli")
    (where / "demo.db").write_bytes(b"not a database")
    (where / "demo.db-wal").write_bytes(b"junk")
    result = run_newsagg("demo", cwd=where, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    return where, result


def test_demo_prints_the_summary_and_stores_what_it_counts(demo_dir):
    where, result = demo_dir
    assert re.search(r"Demo web: 5 sites on 127\.0\.0\.1 \(http://127\.0\.0\.1:\d+", result.stderr)
    total = next(line for line in result.stdout.splitlines() if line.startswith("total"))
    new = int(total.split()[2])
    db = where / re.search(r"Stored in (\S+)\. Look", result.stdout).group(1)
    assert db == where / "demo.db"
    assert len(db_titles(db)) == new == 19           # the stale file was replaced
    assert not (where / "demo.db-wal").exists() or (where / "demo.db-wal").read_bytes() != b"junk"


def test_demo_writes_the_digest_and_sources_it_names(demo_dir):
    where, result = demo_dir
    found = re.search(r"^Digest: (\d+) stories \((.+)\) in (\S+)$", result.stdout, re.M)
    stories, topics, digest_file = int(found.group(1)), found.group(2), where / found.group(3)
    assert digest_file == where / "demo-digest.html"
    page = digest_file.read_text(encoding="utf-8")
    assert page.count('<a name="story-') == stories == 18
    text = html.unescape(page)
    for topic in topics.split(", "):
        name, count = topic.rsplit(" ", 1)
        assert name in text and int(count) > 0
    assert sum(title in text for title in db_titles(where / "demo.db")) >= stories
    config = load_config(where / "demo-sources.toml")
    assert len(config.sources) == 5
    assert all(s.homepage.startswith("http://127.0.0.1:") for s in config.sources)


def test_every_hint_the_demo_prints_runs_and_finds_something(demo_dir):
    where, result = demo_dir
    printed = hints(result.stdout)
    assert len(printed) == 4, printed
    titles = set(db_titles(where / "demo.db"))
    latest, search, shared, digest = (run_hint(h, where) for h in printed)
    for ran, hint in zip((latest, search, shared, digest), printed, strict=True):
        assert ran.returncode == 0, (hint, ran.stderr[-2000:])
    assert len(table_rows(latest.stdout)) == len(titles)
    searched = set(re.findall(r"^ *\d+\. (.+?)  \[", search.stdout, re.M))   # newsagg search
    assert len(searched) >= 3 and searched <= titles, (printed[1], search.stdout)
    assert len(table_rows(shared.stdout)) >= 1             # the reprinted press release
    assert "18 new stories from 5 sources" in digest.stdout
    assert "Губернатор открыл Центр цифровых государственных услуг" in digest.stdout


def test_demo_elsewhere_makes_the_directory_and_quotes_its_hints(tmp_path):
    """A --db in a new directory with a space: the files go beside it, and the hints,
    copied as printed from another directory, still name it."""
    db = tmp_path / "my demo" / "store.db"
    result = run_newsagg("demo", "--db", str(db), cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(db_titles(db)) == 19
    assert (db.parent / "store-digest.html").is_file()
    assert (db.parent / "store-sources.toml").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for hint in hints(result.stdout):
        ran = run_hint(hint, elsewhere)
        assert ran.returncode == 0 and ran.stdout.strip(), (hint, ran.stderr[-2000:])
    assert not list(elsewhere.iterdir())               # nothing was made where it ran


# -- newsagg browse -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Browse:
    """`newsagg browse` on a free port, up once it answers; stopped with Ctrl-C (SIGINT)."""

    def __init__(self, db: Path, tmp: Path, *extra: str) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.err = tmp / "browse.err"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp)}
        with self.err.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "aggregator", "browse", "--db", str(db),
                 "--host", "127.0.0.1", "--port", str(self.port), *extra],
                stdout=subprocess.DEVNULL, stderr=err, env=env)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.err.read_text()[-2000:]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"newsagg browse did not answer in {timeout} s")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
                pytest.fail("newsagg browse did not stop on SIGINT within 15 s")
        return self.proc.returncode


@pytest.fixture
def browse(crawled_copy, tmp_path):
    server = Browse(crawled_copy, tmp_path)
    try:
        server.wait_up()
        yield server
    finally:
        server.stop()


def test_browse_serves_the_store_at_the_address_it_prints(browse, crawled_copy):
    printed = re.search(r"newsagg browse: (http://\S+) \(Ctrl-C stops\)",
                        browse.err.read_text())
    assert printed and printed.group(1) == f"{browse.base}/news/news"
    status, page = fetch(printed.group(1))
    assert status == 200
    titles = db_titles(crawled_copy)
    assert len(titles) == 19
    assert all(title in html.unescape(page) for title in titles)
    status, body = fetch(f"{browse.base}/news/news.json?_shape=array&_size=100")
    assert status == 200
    assert sorted(row["title"] for row in json.loads(body)) == sorted(titles)


def test_browse_opens_an_article_page_and_keeps_sql_off(browse, crawled_copy):
    with sqlite3.connect(crawled_copy) as conn:
        article_id, title = conn.execute(
            "SELECT id, title FROM articles WHERE text LIKE '%генератори%'").fetchone()
    status, page = fetch(f"{browse.base}/news/articles/{article_id}")
    assert status == 200 and title in html.unescape(page)
    status, _ = fetch(f"{browse.base}/news.json?sql=select+count(*)+from+articles")
    assert status == 403


def test_browse_stops_on_ctrl_c_and_leaves_nothing_behind(crawled_copy, tmp_path):
    server = Browse(crawled_copy, tmp_path, "--allow-sql")
    try:
        server.wait_up()
        status, body = fetch(
            f"{server.base}/news.json?sql=select+count(*)+as+n+from+articles&_shape=array")
        assert status == 200 and json.loads(body) == [{"n": 19}]
    finally:
        code = server.stop()
    assert code == 0, server.err.read_text()[-2000:]
    assert not list(tmp_path.glob("newsagg-browse-*"))        # its template folder
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


def test_browse_of_a_missing_database_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.db"
    result = run_newsagg("browse", "--db", str(missing), "--port", str(free_port()),
                         timeout=20)
    assert result.returncode == 3
    assert result.stderr.startswith(f"newsagg: error: {missing}: no such database")
    assert not missing.exists()
