"""`newsagg status`: per source, the last crawl, the next one, what it stored, its health.

The figures come from the `source_health` view (the same that Datasette shows) and
the next turns from the schedule in the sources file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from aggregator.config import Config
from aggregator.schedule.lock import holder
from aggregator.schedule.scheduler import next_runs
from storage.store import Store


@dataclass
class Status:
    scheduler: str | None                # who runs the scheduler, or None
    sources: list[dict[str, Any]]        # source_health rows with next_crawl added
    last_digest: dict[str, Any] | None
    next_digest: datetime | None
    last_jobs: dict[str, dict[str, Any]]  # the newest job run per crawl source


def read_status(config: Config, db_path: str, now: datetime | None = None) -> Status:
    now = now or datetime.now(timezone.utc)
    upcoming = next_runs(config, now)
    with Store(db_path) as store:
        rows = list(store.db.query("SELECT * FROM source_health ORDER BY source_id"))
        last_digest = next(store.db.query(
            "SELECT digest_date, status, sent_at, stories, articles, message_id FROM digests"
            " ORDER BY id DESC LIMIT 1"), None)
        jobs = {row["source_id"]: row for row in store.db.query(
            "SELECT j.* FROM job_runs j WHERE j.job = 'crawl' AND j.id = (SELECT MAX(id)"
            " FROM job_runs k WHERE k.job = 'crawl' AND k.source_id = j.source_id)")}
    configured = {s.id for s in config.sources}
    rows = [r for r in rows if r["source_id"] in configured]
    for row in rows:
        row["next_crawl"] = upcoming.get(row["source_id"])
    return Status(holder(db_path), rows, last_digest, upcoming.get("digest"), jobs)


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


def format_status(status: Status, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    running = f"running ({status.scheduler})" if status.scheduler else "not running"
    lines = [f"scheduler: {running}"]
    head = ("source", "last crawl", "result", "fetched", "new", "failed", "next crawl",
            "24h", "7d", "health")
    table = [head]
    for row in status.sources:
        job = status.last_jobs.get(row["source_id"])
        result = row["last_result"] or "-"
        if job and job["outcome"] not in ("ok", "running") and (
                not row["last_crawl_at"] or job["started_at"] >= row["last_crawl_at"]):
            result = job["outcome"]                 # a timeout or failure left no crawl run
        elif job and job["outcome"] == "running":
            result = "running"
        table.append((row["source_id"], ago(row["last_crawl_at"], now), result,
                      str(row["last_fetched"] or 0), str(row["last_new"] or 0),
                      str(row["last_failed"] or 0), until(row["next_crawl"], now),
                      str(row["articles_24h"]), str(row["articles_7d"]), row["health"]))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for index, row in enumerate(table):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("-" * len(lines[-1]))
    digest = status.last_digest
    last = (f"{digest['digest_date']} {digest['status']}"
            f"{' ' + ago(digest['sent_at'], now) if digest['sent_at'] else ''}"
            f", {digest['stories']} stories") if digest else "none sent yet"
    lines.append(f"digest: last {last}; next {until(status.next_digest, now)}"
                 if status.next_digest else f"digest: last {last}; not scheduled")
    return "\n".join(lines)
