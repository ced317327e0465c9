"""When each job of the schedule runs: the triggers the sources file asks for, read by the
scheduler (which runs them) and by `newsagg status` (which only shows them), so that status
need not import the daemon."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from aggregator.clock import utc_now
from aggregator.config import Config
from aggregator.config.schedule import cron_trigger


def crawl_triggers(config: Config) -> dict[str, CronTrigger]:
    """Each enabled source's trigger: its own cron, or the [schedule] default."""
    schedule = config.schedule
    return {s.id: cron_trigger(s.schedule or schedule.crawl, schedule.timezone)
            for s in config.sources if s.enabled}


def digest_trigger(config: Config) -> CronTrigger:
    at = config.digest.time
    return CronTrigger(hour=at.hour, minute=at.minute, second=at.second,
                       timezone=config.digest.timezone)


def missed_turn(trigger: CronTrigger, since: datetime, now: datetime) -> datetime | None:
    """The first turn of the trigger after ``since`` that is already past, if any."""
    fire = trigger.get_next_fire_time(None, since + timedelta(microseconds=1))
    return fire if fire is not None and fire <= now else None


def next_runs(config: Config, now: datetime | None = None) -> dict[str, datetime | None]:
    """When each source is next crawled, and the next digest (key 'digest')."""
    now = now or utc_now()
    runs = {sid: trigger.get_next_fire_time(None, now)
            for sid, trigger in crawl_triggers(config).items()}
    if config.schedule.digest:
        runs["digest"] = digest_trigger(config).get_next_fire_time(None, now)
    return runs
