"""The `[schedule]` table of the sources file, and cron expressions.

A cron expression has the five crontab fields (minute hour day month day-of-week)
or six, with seconds first (for tests and demos). Days of the week are best
written as names (mon-fri): APScheduler counts them from Monday = 0, not crontab's
Sunday = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger

DEFAULT_CRAWL_CRON = "0 */3 * * *"
SCHEDULE_KEYS = {"crawl", "timezone", "crawl_timeout", "stop_grace", "max_parallel_crawls",
                 "digest", "digest_grace", "digest_retry"}


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger from 5 crontab fields, or 6 with seconds first; ValueError says what is wrong."""
    fields = expression.split()
    if len(fields) == 5:
        return CronTrigger.from_crontab(expression, timezone=timezone)
    if len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week, timezone=timezone)
    raise ValueError(f"{len(fields)} fields: use 5 (minute hour day month day-of-week) "
                     "or 6 (seconds first)")


@dataclass(frozen=True)
class ScheduleSettings:
    crawl: str = DEFAULT_CRAWL_CRON   # the default crawl schedule; a source may set its own
    timezone: str = "UTC"             # of the cron expressions (default: the digest's zone)
    crawl_timeout: float = 3600.0     # a crawl running longer is stopped (SIGTERM, then SIGKILL)
    stop_grace: float = 60.0          # how long a stopped crawl may take to close cleanly
    max_parallel_crawls: int = 2
    digest: bool = True               # send the digest at [digest] time
    digest_grace: float = 12 * 3600.0 # a digest missed while down is still sent this late
    digest_retry: float = 600.0       # after a failed send, try again this much later


def parse_schedule_settings(data: dict[str, Any], default_timezone: str,
                            problems: list[str]) -> ScheduleSettings:
    """Read `[schedule]`, appending every problem (naming its field) to ``problems``."""
    table = data.get("schedule", {})
    if not isinstance(table, dict):
        problems.append("[schedule]: must be a table")
        return ScheduleSettings(timezone=default_timezone)

    def bad(key: str, why: str) -> None:
        problems.append(f"[schedule]: field {key!r}: {why}")

    for key in sorted(set(table) - SCHEDULE_KEYS):
        bad(key, f"unknown key (known: {', '.join(sorted(SCHEDULE_KEYS))})")
    values: dict[str, Any] = {"timezone": table.get("timezone", default_timezone)}
    try:
        cron_trigger("* * * * *", values["timezone"])
    except Exception:  # noqa: BLE001 - pytz/zoneinfo raise several kinds
        bad("timezone", f"unknown time zone {values['timezone']!r} (use an IANA name)")
        values["timezone"] = "UTC"
    if "crawl" in table:
        problem = cron_problem(table["crawl"], values["timezone"])
        if problem:
            bad("crawl", problem)
        else:
            values["crawl"] = table["crawl"]
    for key, minimum in (("crawl_timeout", 1), ("stop_grace", 0), ("digest_grace", 0),
                         ("digest_retry", 1)):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
                bad(key, f"must be a number of seconds >= {minimum}")
            else:
                values[key] = float(value)
    if "max_parallel_crawls" in table:
        value = table["max_parallel_crawls"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            bad("max_parallel_crawls", "must be an integer >= 1")
        else:
            values["max_parallel_crawls"] = value
    if "digest" in table:
        if not isinstance(table["digest"], bool):
            bad("digest", "must be true or false")
        else:
            values["digest"] = table["digest"]
    return ScheduleSettings(**values)


def cron_problem(expression: Any, timezone: str) -> str | None:
    """Why a cron expression is invalid, or None."""
    if not isinstance(expression, str) or not expression.strip():
        return "must be a cron expression like \"0 */3 * * *\""
    try:
        cron_trigger(expression, timezone)
    except ValueError as exc:
        return f"invalid cron expression {expression!r}: {exc}"
    return None
