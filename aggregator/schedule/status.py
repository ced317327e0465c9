"""`newsagg status`: per source, the last crawl, the next one, what it stored, its health.

The figures come from the `source_health` view (the same that Datasette shows), the
next turns from the schedule in the sources file, and only while a scheduler runs:
with none, nothing is scheduled, whatever the file says. Every source of the file is
listed, one that was never crawled too (the view only knows the sources a crawl or a
scheduler has copied into the store).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aggregator.clock import utc_now
from aggregator.config import Config
from aggregator.counters import describe_problems
from aggregator.schedule.lock import holder
from aggregator.schedule.plan import next_runs
from storage.health import last_crawl_jobs, last_crawl_runs, newest_digest, source_health
from storage.store import Store

NEVER_CRAWLED = "never crawled"


@dataclass
class Status:
    scheduler: str | None                # who runs the scheduler, or None
    sources: list[dict[str, Any]]        # per source of the file: its source_health row
                                         # (or a never-crawled one), with next_crawl
    last_digest: dict[str, Any] | None
    next_digest: datetime | None         # None: not scheduled
    last_jobs: dict[str, dict[str, Any]]  # the newest job run per crawl source
    last_runs: dict[str, dict[str, Any]]  # the newest crawl_runs row per source
    digest_enabled: bool = True          # [schedule] digest


def read_status(config: Config, db_path: str, now: datetime | None = None) -> Status:
    now = now or utc_now()
    running = holder(db_path)
    upcoming = next_runs(config, now) if running else {}
    with Store(db_path) as store:
        health = {row["source_id"]: row for row in source_health(store)}
        last_digest = newest_digest(store)
        jobs = last_crawl_jobs(store)
        runs = last_crawl_runs(store)
    rows = []
    for source in sorted(config.sources, key=lambda s: s.id):
        row = health.get(source.id) or {
            "source_id": source.id, "name": source.name, "region": source.region,
            "last_crawl_at": None, "last_result": None, "last_fetched": None,
            "last_new": None, "last_failed": None, "articles_24h": 0, "articles_7d": 0,
            "health": NEVER_CRAWLED}
        rows.append({**row, "next_crawl": upcoming.get(source.id)})
    return Status(running, rows, last_digest, upcoming.get("digest"), jobs, runs,
                  config.schedule.digest)


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{max(seconds, 0):.0f}s"


def ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    return _span((now - datetime.fromisoformat(stamp)).total_seconds()) + " ago"


def until(moment: datetime | None, now: datetime) -> str:
    return "-" if moment is None else "in " + _span((moment - now).total_seconds())


def problems(status: Status) -> list[str]:
    """'source: what its last crawl lost, and why' for each flagged source whose last
    crawl has something to say: for an unreachable or failing one, always."""
    lines = []
    for row in status.sources:
        if row["health"] in ("ok", NEVER_CRAWLED):
            continue
        run = status.last_runs.get(row["source_id"]) or {}
        said = describe_problems(run)
        if not said and row["last_failed"]:         # a run from before the causes were kept
            said = f"{row['last_failed']} page(s) lost, causes not recorded"
        if said:
            lines.append(f"  {row['source_id']}: {said}")
    return lines


def format_status(status: Status, now: datetime | None = None) -> str:
    now = now or utc_now()
    running = f"running ({status.scheduler})" if status.scheduler else "not running"
    lines = [f"scheduler: {running}"]
    head = ("source", "last crawl", "result", "fetched", "new", "failed", "next crawl",
            "24h", "7d", "health")
    table = [head]
    for row in status.sources:
        job = status.last_jobs.get(row["source_id"])
        result = row["last_result"] or "-"
        if job and job["outcome"] == "running":
            # with no scheduler, a job still 'running' is one a dead scheduler left
            result = "running" if status.scheduler else "interrupted"
        elif job and job["outcome"] != "ok" and (
                not row["last_crawl_at"] or job["started_at"] >= row["last_crawl_at"]):
            result = job["outcome"]                 # a timeout or failure left no crawl run
        table.append((row["source_id"], ago(row["last_crawl_at"], now), result,
                      str(row["last_fetched"] or 0), str(row["last_new"] or 0),
                      str(row["last_failed"] or 0), until(row["next_crawl"], now),
                      str(row["articles_24h"]), str(row["articles_7d"]), row["health"]))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for index, cells in enumerate(table):
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
        if index == 0:
            lines.append("-" * len(lines[-1]))
    if found := problems(status):
        lines += ["what went wrong in the last crawl:", *found]
    digest = status.last_digest
    last = (f"{digest['digest_date']} {digest['status']}"
            f"{' ' + ago(digest['sent_at'], now) if digest['sent_at'] else ''}"
            f", {digest['stories']} stories") if digest else "none sent yet"
    if not status.scheduler:
        lines.append(f"digest: last {last}; not scheduled: no scheduler runs "
                     "(start `newsagg schedule` to crawl and send on time)")
    elif status.next_digest is None:
        reason = " ([schedule] digest = false)" if not status.digest_enabled else ""
        lines.append(f"digest: last {last}; not scheduled{reason}")
    else:
        lines.append(f"digest: last {last}; next {until(status.next_digest, now)}")
    return "\n".join(lines)
