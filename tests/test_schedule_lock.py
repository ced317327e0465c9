"""One scheduler per database, whatever name the database is given: the lock is taken
on its real path (symlinks resolved)."""

from __future__ import annotations

from aggregator.schedule.lock import SchedulerLock, holder, lock_path
from tests.conftest import run_newsagg
from tests.mailserver import free_port
from tests.test_schedule import clock, sources_file, start_scheduler, stop, wait_for


def test_one_scheduler_per_database_through_a_symlink_or_its_real_path(demo_sources,
                                                                      crawled_copy, tmp_path):
    link = tmp_path / "elsewhere" / "news-link.db"
    link.parent.mkdir()
    link.symlink_to(crawled_copy)
    assert lock_path(link) == lock_path(crawled_copy)
    sources = sources_file(demo_sources, tmp_path / "s.toml", free_port(),
                           digest={"time": clock(3 * 3600)},
                           schedule={"crawl": "0 0 1 1 *", "digest": False})   # nothing due

    first = start_scheduler(sources, link)
    try:
        wait_for(lambda: holder(link) is not None, timeout=60)
        assert holder(crawled_copy) == holder(link)
        second = run_newsagg("schedule", "--sources", str(sources), "--db", str(crawled_copy),
                             timeout=60)
    finally:
        code, err = stop(first)
    assert code == 0, err[-3000:]
    assert second.returncode == 6, second.stderr
    assert "a scheduler is already running for this database (pid" in second.stderr
    assert holder(link) is None and holder(crawled_copy) is None

    with SchedulerLock(crawled_copy):                  # the other way round
        assert holder(link) is not None
        third = run_newsagg("schedule", "--sources", str(sources), "--db", str(link),
                            timeout=60)
    assert third.returncode == 6, third.stderr
    assert str(lock_path(crawled_copy)) in third.stderr
