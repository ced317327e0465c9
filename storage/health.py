"""What `newsagg status` and the scheduler read about past crawls, digests and jobs, and
the scheduler's log of its jobs (`job_runs`). Rows come back as dicts by column name,
so a column added by a later migration never shifts another."""

from __future__ import annotations

from typing import Any

from aggregator.clock import utc_stamp
from storage.rows import dicts, one
from storage.store import Store


def source_health(store: Store) -> list[dict[str, Any]]:
    """The `source_health` view (the same that Datasette shows), by source id."""
    return dicts(store.db.conn, "SELECT * FROM source_health ORDER BY source_id")


def last_crawl_runs(store: Store) -> dict[str, dict[str, Any]]:
    """Each source's newest `crawl_runs` row (newest as the view orders them), with its
    per-cause failure counts, for saying what went wrong."""
    return {row["source_id"]: row for row in dicts(
        store.db.conn,
        "SELECT r.* FROM crawl_runs r WHERE r.id = (SELECT k.id FROM crawl_runs k"
        " WHERE k.source_id = r.source_id ORDER BY k.started_at DESC, k.id DESC LIMIT 1)")}


def last_crawl_starts(store: Store) -> dict[str, str]:
    """When each source's newest crawl started (UTC ISO), for catching up missed turns."""
    return {row["source_id"]: row["started_at"] for row in dicts(
        store.db.conn,
        "SELECT source_id, MAX(started_at) AS started_at FROM crawl_runs GROUP BY source_id")}


def newest_digest(store: Store) -> dict[str, Any] | None:
    row = one(store.db.conn,
              "SELECT digest_date, status, sent_at, stories, articles, message_id FROM digests"
              " ORDER BY id DESC LIMIT 1")
    return dict(row) if row is not None else None


def last_crawl_jobs(store: Store) -> dict[str, dict[str, Any]]:
    """The newest scheduled crawl job of each source: a timeout leaves no crawl run."""
    return {row["source_id"]: row for row in dicts(
        store.db.conn,
        "SELECT j.* FROM job_runs j WHERE j.job = 'crawl' AND j.id = (SELECT MAX(k.id)"
        " FROM job_runs k WHERE k.job = 'crawl' AND k.source_id = j.source_id)")}


class JobRuns:
    """Rows of `job_runs`: one per job run, written at its start and at its end."""

    def __init__(self, store: Store) -> None:
        self.conn = store.db.conn

    def start(self, job: str, source_id: str | None = None,
              digest_date: str | None = None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO job_runs (job, source_id, digest_date, started_at, outcome)"
            " VALUES (?, ?, ?, ?, 'running') RETURNING id",
            (job, source_id, digest_date, utc_stamp()))
        return int(cursor.fetchall()[0][0])          # all: the statement ends here

    def finish(self, row_id: int, outcome: str, exit_code: int | None, detail: str) -> None:
        self.conn.execute(
            "UPDATE job_runs SET finished_at = ?, outcome = ?, exit_code = ?, detail = ?"
            " WHERE id = ?", (utc_stamp(), outcome, exit_code, detail, row_id))

    def close_interrupted(self) -> int:
        """Mark the runs a dead scheduler left 'running' as interrupted; return how many."""
        cursor = self.conn.execute(
            "UPDATE job_runs SET outcome = 'interrupted', finished_at = ?"
            " WHERE outcome = 'running'", (utc_stamp(),))
        return cursor.rowcount
