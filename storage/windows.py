"""What the crawls that started in a time window did, per source.

The digest reads this to say whether anything was crawled in its window, and which
sources it could not read or did not crawl, so that an editor knows what is missing.
Moments are UTC ISO strings, as ``crawl_runs.started_at`` stores them; rows are read
by column name.
"""

from __future__ import annotations

import sqlite3

from aggregator.counters import FAILURE_CAUSES, NOTICES
from storage.rows import named, one
from storage.store import Store

# Pages a run read: an article stored or seen again, a page that held none, a link known.
READ = ("COALESCE(r.new, 0) + COALESCE(r.updated, 0) + COALESCE(r.unchanged, 0)"
        " + COALESCE(r.not_articles, 0) + COALESCE(r.known_skipped, 0)")


def _cause_columns(store: Store) -> list[str]:
    """The counters of lost pages (and notices) that this database's crawl_runs has."""
    have = {row["name"] for row in named(store.db.conn, "PRAGMA table_info(crawl_runs)")}
    return [name for name in (*FAILURE_CAUSES, *NOTICES) if name in have]


def crawl_totals(store: Store, start: str, end: str) -> sqlite3.Row:
    """``crawls`` (distinct crawl processes) and ``sources`` (sources they crawled) of the
    runs started in [start, end)."""
    # Source by source (CROSS JOIN keeps that order), so that the (source_id, started_at)
    # index finds the window's runs: crawl_runs has no index on started_at alone.
    row = one(store.db.conn,
              "SELECT COUNT(DISTINCT COALESCE(r.run_id, r.id)) AS crawls,"
              " COUNT(DISTINCT r.source_id) AS sources"
              " FROM sources s CROSS JOIN crawl_runs r ON r.source_id = s.id"
              " AND r.started_at >= ? AND r.started_at < ?", (start, end))
    assert row is not None                 # an aggregate without GROUP BY: always one row
    return row


def source_runs(store: Store, start: str, end: str) -> list[sqlite3.Row]:
    """One row per source: ``source_id``, ``name``, ``enabled``, ``listed`` (still in the
    sources file when the window began: synced since), ``runs`` in the window, ``lost_runs``
    (runs that read nothing and lost pages), and the summed ``fetched``, ``failed`` and
    per-cause counts of those runs. Ordered by name."""
    causes = "".join(f", SUM(r.{name}) AS {name}" for name in _cause_columns(store))
    return named(
        store.db.conn,
        "SELECT s.id AS source_id, COALESCE(s.name, s.id) AS name,"
        " COALESCE(s.enabled, 1) AS enabled, COALESCE(s.updated_at >= ?, 0) AS listed,"
        " COUNT(r.id) AS runs,"
        f" COALESCE(SUM({READ} = 0 AND COALESCE(r.failed, 0) > 0), 0) AS lost_runs,"
        " COALESCE(SUM(r.fetched), 0) AS fetched, COALESCE(SUM(r.failed), 0) AS failed"
        f"{causes}"
        " FROM sources s LEFT JOIN crawl_runs r ON r.source_id = s.id"
        " AND r.started_at >= ? AND r.started_at < ?"
        " GROUP BY s.id ORDER BY COALESCE(s.name, s.id), s.id", (start, start, end)).fetchall()
