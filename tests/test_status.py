"""`newsagg status` run as a subprocess on real SQLite files: every source of the sources
file, nothing shown as scheduled without a scheduler, and what went wrong for the
sources that cannot be read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aggregator.clock import utc_now
from aggregator.config import load_config
from aggregator.schedule.lock import SchedulerLock
from aggregator.schedule.scheduler import NewsScheduler
from storage.health import JobRuns, source_health
from storage.store import Store
from tests.conftest import run_newsagg
from tests.faultweb import FaultWeb

NOW = utc_now()


def stamp(minutes_ago: float) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).isoformat(timespec="seconds")


def status(sources: Path, db: Path) -> list[str]:
    result = run_newsagg("status", "--sources", str(sources), "--db", str(db), timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def table(lines: list[str]) -> dict[str, list[str]]:
    """The table's rows by source id, cells split on runs of two spaces or more."""
    start = lines.index(next(line for line in lines if line.startswith("source "))) + 2
    rows = {}
    for line in lines[start:]:
        if not line or line.startswith(("what went wrong", "digest:", " ")):
            break
        cells = [c.strip() for c in line.split("  ") if c.strip()]
        rows[cells[0]] = cells
    return rows


def source(source_id: str, port: int = 9) -> dict:
    return {"id": source_id, "name": f"Portal {source_id}",
            "homepage": f"http://127.0.0.1:{port}/", "language": "ru",
            "timezone": "Europe/Moscow", "feeds": [f"http://127.0.0.1:{port}/feed.xml"]}


def with_source(demo_sources: Path, target: Path, *extra: dict) -> Path:
    """The demo's sources file with more [[source]] tables at its start."""
    FaultWeb.write_sources(target, *extra)
    target.write_text(target.read_text(encoding="utf-8") + "\n"
                      + demo_sources.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_status_shows_every_source_and_schedules_nothing_without_a_scheduler(
        demo_sources, crawled_copy, tmp_path):
    sources = with_source(demo_sources, tmp_path / "sources.toml", source("newportal"))
    lines = status(sources, crawled_copy)
    assert lines[0] == "scheduler: not running"
    assert lines[1].split()[:4] == ["source", "last", "crawl", "result"]
    rows = table(lines)
    assert sorted(rows) == ["chernigiv", "itmo", "kharkiv", "newportal", "ulgov", "wego"]
    # added to the file, never crawled: listed, though no crawl copied it into the store
    assert rows["newportal"] == ["newportal", "never", "-", "0", "0", "0", "-", "0", "0",
                                 "never crawled"]
    assert rows["ulgov"][2] == "finished" and rows["ulgov"][-1] == "ok"
    assert {cells[6] for cells in rows.values()} == {"-"}          # no next crawl
    assert lines[-1] == ("digest: last none sent yet; not scheduled: no scheduler runs "
                         "(start `newsagg schedule` to crawl and send on time)")

    with SchedulerLock(crawled_copy):
        held = status(sources, crawled_copy)
    assert held[0].startswith("scheduler: running (pid ")
    rows = table(held)
    assert all(cells[6].startswith("in ") for cells in rows.values()), rows
    assert held[-1].startswith("digest: last none sent yet; next in ")


def test_a_crawl_job_left_running_by_a_dead_scheduler_is_not_shown_running(
        demo_sources, crawled_copy):
    with Store(crawled_copy) as store:
        JobRuns(store).start("crawl", source_id="wego")
    assert table(status(demo_sources, crawled_copy))["wego"][2] == "interrupted"
    with SchedulerLock(crawled_copy):
        assert table(status(demo_sources, crawled_copy))["wego"][2] == "running"


def run_row(source_id: str, minutes_ago: float, **counts: int) -> dict:
    row = {"run_id": f"r{minutes_ago}", "source_id": source_id, "started_at": stamp(minutes_ago),
           "finished_at": stamp(minutes_ago), "finish_reason": "finished"}
    zero = dict.fromkeys(("fetched", "new", "updated", "unchanged", "failed", "not_articles",
                          "known_skipped"), 0)
    return {**row, **zero, **counts}


def test_unreachable_and_failing_sources_say_what_went_wrong(tmp_path):
    ids = ("down", "broken", "fine")
    ports = zip(ids, (9, 10, 11), strict=True)
    sources = FaultWeb.write_sources(tmp_path / "sources.toml",
                                     *(source(i, port) for i, port in ports))
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.sync_sources(s.as_row() for s in load_config(sources).sources)
        store.record_run([
            run_row("down", 90, fetched=5, new=5),
            run_row("down", 30, failed=4, network_errors=3, robots_unavailable=1),
            run_row("broken", 30, fetched=6, failed=6, http_errors=2, undecodable=4),
            run_row("fine", 30, fetched=8, new=6, failed=2, http_errors=2),
        ])
    lines = status(sources, db)
    rows = table(lines)
    assert rows["down"][-1] == "unreachable: no request of the last crawl was answered"
    assert rows["broken"][-1] == "failing: the last crawl read nothing and lost 6 pages"
    assert rows["fine"][-1] == "ok"
    start = lines.index("what went wrong in the last crawl:")
    assert lines[start + 1:-1] == [
        "  broken: 2 HTTP errors, 4 undecodable pages",
        "  down: 3 timeouts or dropped connections, 1 page not fetched: robots.txt unavailable",
    ]


def test_the_scheduler_lists_a_new_source_in_the_store_when_it_starts(demo_sources,
                                                                      crawled_copy, tmp_path):
    sources = with_source(demo_sources, tmp_path / "sources.toml", source("newportal"))
    NewsScheduler(sources, crawled_copy).plan()       # what `newsagg schedule` does first
    with Store(crawled_copy) as store:
        health = {r["source_id"]: r["health"] for r in source_health(store)}
    assert health["newportal"] == "never crawled"
    assert health["ulgov"] == "ok"
