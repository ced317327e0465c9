"""The [schedule] table and cron expressions: valid ones read, every problem named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator.config import load_config
from aggregator.config.schedule import cron_trigger, parse_schedule_settings
from aggregator.errors import SourcesError

SOURCE = ('[[source]]\nid = "ulgov"\nname = "Ulgov"\nhomepage = "https://ulgov.ru/"\n'
          'timezone = "Europe/Ulyanovsk"\nfeeds = ["https://ulgov.ru/rss"]\n')


def test_five_crontab_fields_or_six_with_seconds_first():
    start = datetime(2026, 11, 29, 10, 0, 1, tzinfo=UTC)
    assert cron_trigger("15 */3 * * *", "UTC").get_next_fire_time(None, start) == \
        datetime(2026, 11, 29, 12, 15, tzinfo=UTC)
    assert cron_trigger("*/5 * * * * *", "UTC").get_next_fire_time(None, start) == \
        datetime(2026, 11, 29, 10, 0, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="3 fields"):
        cron_trigger("* * *", "UTC")


def test_defaults_follow_the_digest_zone():
    problems: list[str] = []
    settings = parse_schedule_settings({}, "Europe/Moscow", problems)
    assert problems == [] and settings.timezone == "Europe/Moscow"
    assert (settings.crawl, settings.max_parallel_crawls, settings.digest) == (
        "0 */3 * * *", 2, True)


@pytest.mark.parametrize("table, expected", [
    ({"crawl": "61 * * * *"}, "[schedule]: field 'crawl': invalid cron expression"),
    ({"timezone": "Mars/Olympus"}, "[schedule]: field 'timezone': unknown time zone"),
    ({"crawl_timeout": 0}, "[schedule]: field 'crawl_timeout': must be a number of seconds"),
    ({"max_parallel_crawls": 0}, "[schedule]: field 'max_parallel_crawls': must be an integer"),
    ({"digest": "yes"}, "[schedule]: field 'digest': must be true or false"),
    ({"crawls": "* * * * *"}, "[schedule]: field 'crawls': unknown key"),
])
def test_each_bad_field_is_named(table, expected):
    problems: list[str] = []
    parse_schedule_settings({"schedule": table}, "UTC", problems)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_sources_own_schedule_is_checked_with_the_file(tmp_path: Path):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE + 'schedule = "every hour"\n\n[schedule]\nstop_grace = -1\n')
    with pytest.raises(SourcesError) as error:
        load_config(path)
    assert any(p.startswith("source 'ulgov': field 'schedule': invalid cron expression")
               for p in error.value.problems)
    assert any(p.startswith("[schedule]: field 'stop_grace'") for p in error.value.problems)
    path.write_text(SOURCE + 'schedule = "*/30 * * * *"\n')
    assert load_config(path).sources[0].schedule == "*/30 * * * *"
