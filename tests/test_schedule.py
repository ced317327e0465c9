"""`newsagg schedule` as a real process: crawls on second-level triggers against the demo
web on 127.0.0.1, the digest to a real SMTP server, restarts, the lock, the time limit."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aggregator.demo.server import DemoWeb
from tests.conftest import FAST, run_newsagg
from tests.mailserver import MailServer, free_port
from tests.sourcefiles import demo_digest, with_tables

ZONE = "Europe/Moscow"


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def clock(delta: float) -> str:
    """HH:MM:SS in the digest's zone, ``delta`` seconds from now."""
    return (datetime.now(ZoneInfo(ZONE)) + timedelta(seconds=delta)).strftime("%H:%M:%S")


def start_scheduler(sources: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "aggregator", "schedule", "--sources", str(sources),
         "--db", str(db), "-v", *FAST], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def stop(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err


def wait_for(condition, timeout: float = 90, every: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except sqlite3.OperationalError:     # the scheduler is still creating the database
            pass
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout} s: {condition.__doc__ or condition}")


def sources_file(demo_sources: Path, target: Path, server: MailServer | int, *,
                 digest: dict, schedule: dict) -> Path:
    port = server if isinstance(server, int) else server.port
    return with_tables(demo_sources, target, digest=demo_digest(**digest),
                       smtp={"host": "127.0.0.1", "port": port, "security": "none",
                             "timeout": 5},
                       schedule={"timezone": ZONE, **schedule})


def test_crawls_on_their_triggers_then_the_digest_then_a_clean_stop(demo_sources, tmp_path):
    db = tmp_path / "news.db"
    with MailServer("none") as server:
        sources = sources_file(demo_sources, tmp_path / "s.toml", server,
                               digest={"time": clock(20)},
                               schedule={"crawl": "*/3 * * * * *", "max_parallel_crawls": 2})
        scheduler = start_scheduler(sources, db)
        try:
            def crawled_twice() -> bool:
                """every source crawled twice"""
                if not db.exists():
                    return False
                done = rows(db, "SELECT source_id, COUNT(*) n FROM job_runs WHERE job = 'crawl'"
                                " AND outcome = 'ok' GROUP BY source_id")
                return len(done) == 5 and all(r["n"] >= 2 for r in done)
            wait_for(crawled_twice)
            wait_for(lambda: len(server.received) == 1)

            second = run_newsagg("schedule", "--sources", str(sources), "--db", str(db),
                                 timeout=60)
            assert second.returncode == 6
            assert "a scheduler is already running for this database (pid" in second.stderr
        finally:
            code, err = stop(scheduler)
    assert code == 0, err[-3000:]
    assert "scheduler stopped" in err

    text = server.received[0].message.get_body(("plain",)).get_content()
    assert "18 new stories from 5 sources" in text
    runs = rows(db, "SELECT * FROM job_runs ORDER BY id")
    assert not [r for r in runs if r["outcome"] == "running"]
    assert [r["outcome"] for r in runs if r["job"] == "digest"] == ["ok"]
    for source in {r["source_id"] for r in runs if r["job"] == "crawl"}:
        spans = [(r["started_at"], r["finished_at"]) for r in runs
                 if r["job"] == "crawl" and r["source_id"] == source]
        for (_, end), (start, _) in pairwise(spans):
            assert start >= end, f"{source}: two crawls at once"
    assert rows(db, "SELECT status FROM digests") == [{"status": "sent"}]


def test_a_digest_missed_while_down_is_sent_once_after_restarts(crawled_copy, demo_sources,
                                                                 tmp_path):
    with MailServer("none") as server:
        sources = sources_file(demo_sources, tmp_path / "s.toml", server,
                               digest={"time": clock(-5)},          # passed while down
                               schedule={"crawl": "0 0 1 1 *"})      # no crawl due
        first = start_scheduler(sources, crawled_copy)
        try:
            wait_for(lambda: len(server.received) == 1, timeout=60)
        finally:
            stop(first)
        for _ in range(2):
            again = start_scheduler(sources, crawled_copy)
            time.sleep(4)
            code, err = stop(again)
            assert code == 0, err[-3000:]
        assert len(server.received) == 1
    assert [r["job"] for r in rows(crawled_copy, "SELECT job FROM job_runs")] == ["digest"]


def test_a_digest_that_could_not_be_sent_is_tried_again(crawled_copy, demo_sources,
                                                       tmp_path):
    port = free_port()                                  # the relay is down at first
    sources = sources_file(demo_sources, tmp_path / "s.toml", port,
                           digest={"time": clock(-5)},
                           schedule={"crawl": "0 0 1 1 *", "digest_retry": 2})
    scheduler = start_scheduler(sources, crawled_copy)
    try:
        wait_for(lambda: rows(crawled_copy, "SELECT outcome FROM job_runs WHERE job = 'digest'")
                 == [{"outcome": "error"}], timeout=60)
        with MailServer("none", port=port) as server:
            wait_for(lambda: len(server.received) == 1, timeout=60)
            time.sleep(3)
            assert len(server.received) == 1
    finally:
        code, err = stop(scheduler)
    assert code == 0, err[-3000:]
    outcomes = [r["outcome"] for r in rows(crawled_copy, "SELECT outcome FROM job_runs")]
    assert outcomes[0] == "error" and outcomes[-1] == "ok"
    assert "cannot connect" in err and "trying again" in err


def test_a_crawl_that_missed_many_turns_runs_once(crawled_copy, demo_sources, tmp_path):
    with sqlite3.connect(crawled_copy) as conn:      # the last crawl was three hours ago
        conn.execute("UPDATE crawl_runs SET started_at = ?, finished_at = ?",
                     ((datetime.now(ZoneInfo("UTC")) - timedelta(hours=3)).isoformat(
                         timespec="seconds"),) * 2)
    with MailServer("none") as server:
        sources = sources_file(demo_sources, tmp_path / "s.toml", server,
                               digest={"time": clock(3 * 3600)},
                               schedule={"crawl": "0 0 * * * *", "digest": False})  # hourly
        scheduler = start_scheduler(sources, crawled_copy)
        try:
            wait_for(lambda: len(rows(crawled_copy, "SELECT id FROM job_runs WHERE job ="
                                      " 'crawl' AND outcome != 'running'")) == 5)
            time.sleep(3)
        finally:
            code, err = stop(scheduler)
    assert code == 0, err[-3000:]
    crawls = rows(crawled_copy, "SELECT source_id, outcome FROM job_runs WHERE job = 'crawl'")
    assert sorted(r["source_id"] for r in crawls) == ["chernigiv", "itmo", "kharkiv", "ulgov",
                                                      "wego"]
    assert {r["outcome"] for r in crawls} == {"ok"}
    assert "was missed; crawling once now" in err


@pytest.fixture
def slow_web():
    """Each answer 6 s late: a crawl is still downloading when its time limit comes (at
    3 s, a 7-page source finished in 13 s, and once exactly at the 15 s limit)."""
    with DemoWeb(delay=6) as web:
        yield web


def test_a_crawl_over_its_time_limit_is_stopped_cleanly(slow_web, tmp_path):
    db = tmp_path / "news.db"
    sources = slow_web.write_sources(tmp_path / "demo.toml")
    with MailServer("none") as server:
        sources = sources_file(sources, tmp_path / "s.toml", server,
                               digest={"time": clock(3 * 3600)},
                               schedule={"crawl": "0 0 1 1 *", "digest": False,
                                         # long enough for the crawl to open its
                                         # spider on a loaded machine (3 s was not,
                                         # 8 s once in CI while other jobs ran)
                                         "crawl_timeout": 15, "stop_grace": 30})
        scheduler = start_scheduler(sources, db)
        try:
            wait_for(lambda: db.exists() and len(rows(
                db, "SELECT id FROM job_runs WHERE outcome = 'timeout'")) >= 1, timeout=120)
        finally:
            code, err = stop(scheduler)
    assert code == 0, err[-3000:]
    timed_out = rows(db, "SELECT * FROM job_runs WHERE outcome = 'timeout'")
    assert "stopped after the 15 s time limit" in timed_out[0]["detail"]
    # Scrapy closed on SIGTERM and recorded what it had done before the limit
    assert rows(db, "SELECT finish_reason FROM crawl_runs WHERE source_id = ?",
                (timed_out[0]["source_id"],)) == [{"finish_reason": "shutdown"}]


COUNTS_SIGTERMS = """
import signal, sys, time
def note(*_):
    with open(sys.argv[1], "a") as out:
        out.write("TERM\\n")
signal.signal(signal.SIGTERM, note)
print("ready", flush=True)
time.sleep(3)
"""


def test_a_crawl_stopped_at_its_time_limit_as_the_scheduler_stops_gets_one_sigterm(tmp_path):
    """Scrapy takes a second SIGTERM as "stop now", unclean, and records nothing: the time
    limit's SIGTERM and the stopping scheduler's must not both reach one crawl."""
    from aggregator.schedule.jobs import Children

    log = tmp_path / "signals.txt"
    process = subprocess.Popen([sys.executable, "-c", COUNTS_SIGTERMS, str(log)],
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    children = Children()
    children.add(process)
    children.terminate(process)                      # the time limit came
    children.stop_all(grace=10)                      # and then the scheduler stopped
    assert process.returncode == 0
    assert log.read_text().split() == ["TERM"]
