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

from aggregator.config.fields import FieldChecker

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
    checker = FieldChecker(problems)
    table = checker.table(data, "schedule")
    checker.unknown("[schedule]", table, SCHEDULE_KEYS)
    values: dict[str, Any] = {"timezone": default_timezone}
    if "timezone" in table and (zone := checker.timezone("[schedule]", table, "timezone")):
        values["timezone"] = zone
    if "crawl" in table:
        problem = cron_problem(table["crawl"], values["timezone"])
        if problem:
            checker.bad("[schedule]", "crawl", problem)
        else:
            values["crawl"] = table["crawl"]
    for key, minimum in (("crawl_timeout", 1), ("stop_grace", 0), ("digest_grace", 0),
                         ("digest_retry", 1)):
        if key in table and (seconds := checker.seconds("[schedule]", table, key,
                                                        minimum)) is not None:
            values[key] = seconds
    if "max_parallel_crawls" in table and (
            count := checker.integer("[schedule]", table, "max_parallel_crawls", 1)):
        values["max_parallel_crawls"] = count
    if "digest" in table and (send := checker.flag("[schedule]", table, "digest")) is not None:
        values["digest"] = send
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
