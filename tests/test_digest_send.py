"""`--send` only once a window has closed, and one send per date at a time (issue 15,
items 16 and 18): the library with an injected clock, then `newsagg digest --send` as real
processes against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from aggregator.config.digest import DigestSettings
from aggregator.digest.deliver import deliver
from aggregator.digest.lock import SendLock, lock_path
from aggregator.errors import DigestNotDueError
from aggregator.schedule.jobs import run_digest
from storage.store import Store
from tests.conftest import run_newsagg
from tests.mailserver import Inbox, MailServer
from tests.sourcefiles import with_tables
from tests.test_digest import DAY, END, SETTINGS, digest_of
from tests.test_digest_mail import DAY as PAST_DAY
from tests.test_digest_mail import digests_table, into_window

SKIPPING = DigestSettings(**{**SETTINGS.__dict__, "empty": "skip"})


@pytest.fixture
def crawled_copy(crawled_copy: Path) -> Path:
    """The demo crawl, moved into the (closed) window of PAST_DAY."""
    return into_window(crawled_copy)


# -- item 16: a window that has not closed is not sent ------------------------------------
@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        yield s


def test_a_window_still_open_is_refused_naming_its_end_in_the_digests_zone(store):
    found = digest_of(store)                        # 29 Nov 07:00 - 30 Nov 07:00 Moscow
    with pytest.raises(DigestNotDueError) as refused:
        deliver(store, SKIPPING, found, now=END - timedelta(seconds=1))
    message = str(refused.value)
    assert "the digest of 2026-11-30 is not due" in message
    assert "its window ends at 30 Nov 2026 07:00 (Europe/Moscow) and is still open" in message
    assert "--force sends it anyway" in message and refused.value.exit_code == 2


def test_a_window_in_the_future_is_refused(store):
    found = digest_of(store, day=DAY + timedelta(days=2))
    with pytest.raises(DigestNotDueError, match=r"its window, 1 Dec 2026 07:00 to 2 Dec 2026 "
                                                r"07:00 \(Europe/Moscow\), lies in the future"):
        deliver(store, SKIPPING, found, now=END)


def test_a_closed_window_or_force_passes_the_check(store):
    found = digest_of(store)
    # the scheduler's dates are those whose window has closed: from the end on, it is due
    assert deliver(store, SKIPPING, found, now=END).reason.startswith("nothing new")
    early = deliver(store, SKIPPING, found, now=END - timedelta(hours=5), force=True)
    assert early.reason.startswith("nothing new")


def mail_sources(demo_sources: Path, target: Path, port: int) -> Path:
    return with_tables(demo_sources, target, smtp={"host": "127.0.0.1", "port": port,
                                                   "security": "none", "timeout": 20})


def send(sources: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    return run_newsagg("digest", "--sources", str(sources), "--db", str(db), "--send", *args,
                       timeout=60)


def test_send_of_the_open_window_exits_2_and_force_sends_it(crawled_copy, demo_sources,
                                                             tmp_path):
    with MailServer("none") as server:
        sources = mail_sources(demo_sources, tmp_path / "s.toml", server.port)
        refused = send(sources, crawled_copy, "--date", "next")
        assert refused.returncode == 2, refused.stderr
        assert "is not due: its window ends at" in refused.stderr
        assert "(Europe/Moscow) and is still open" in refused.stderr
        assert "--force sends it anyway" in refused.stderr and "Traceback" not in refused.stderr
        future = send(sources, crawled_copy, "--date", "2099-01-01")
        assert future.returncode == 2 and "lies in the future" in future.stderr
        assert server.received == [] and digests_table(crawled_copy) == []
        forced = send(sources, crawled_copy, "--date", "next", "--force")
        assert forced.returncode == 0, forced.stderr
        assert len(server.received) == 1


# -- item 18: one send per date at a time ----------------------------------------------
class HeldInbox(Inbox):
    """Takes the message, then holds its answer to DATA until released: the send that got
    there first stays in progress for as long as the test needs."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.arrived.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


class HeldMailServer(MailServer):
    def __init__(self) -> None:
        super().__init__("none")
        self.inbox = HeldInbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10)

    def __exit__(self, *exc: object) -> None:
        self.inbox.release.set()
        super().__exit__(*exc)


def start_send(sources: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "aggregator", "digest", "--sources", str(sources), "--db",
         str(db), "--date", PAST_DAY, "--send"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_two_sends_at_once_send_one_mail_and_the_other_says_it_is_in_progress(
        crawled_copy, demo_sources, tmp_path):
    with HeldMailServer() as server:
        sources = mail_sources(demo_sources, tmp_path / "s.toml", server.port)
        first, second = start_send(sources, crawled_copy), start_send(sources, crawled_copy)
        try:
            assert server.inbox.arrived.wait(30), "no send reached the relay"
            deadline = time.monotonic() + 30      # the winner is held: the loser must end
            while first.poll() is None and second.poll() is None:
                assert time.monotonic() < deadline, "neither send ended"
                time.sleep(0.05)
            loser, winner = (first, second) if first.poll() is not None else (second, first)
            server.inbox.release.set()
            loser_err = loser.communicate(timeout=30)[1]
            winner_err = winner.communicate(timeout=30)[1]
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.kill()
        assert loser.returncode == 0, loser_err
        assert f"not sent: another send of {PAST_DAY} is in progress (started at " in loser_err
        assert "never finished" not in loser_err and "may have been sent" not in loser_err
        assert winner.returncode == 0 and "sent to editor@example.org" in winner_err, winner_err
        assert len(server.received) == 1
    assert [r["status"] for r in digests_table(crawled_copy)] == ["sent"]


def test_a_send_killed_mid_conversation_is_in_doubt_afterwards(crawled_copy, demo_sources,
                                                               tmp_path):
    """The kernel frees the lock of a killed sender: its 'sending' row is then not 'in
    progress' but in doubt (exit 5), and nothing is sent again without --force."""
    with HeldMailServer() as server:
        sources = mail_sources(demo_sources, tmp_path / "s.toml", server.port)
        sender = start_send(sources, crawled_copy)
        try:
            assert server.inbox.arrived.wait(30), "the send did not reach the relay"
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait(10)
        server.inbox.release.set()
        after = send(sources, crawled_copy, "--date", PAST_DAY)
    assert after.returncode == 5, after.stderr
    assert "may have been sent" in after.stderr and "its process has ended" in after.stderr
    assert [r["status"] for r in digests_table(crawled_copy)] == ["sending"]


def test_a_date_locked_by_this_process_is_in_progress_for_the_scheduler(
        crawled_copy, demo_sources, tmp_path):
    """A send in progress is 'not-sent' for the scheduler (no error, no retry); the lock
    follows the database's real path, so a symlink to it shares the lock."""
    link = tmp_path / "link.db"
    link.symlink_to(crawled_copy)
    assert lock_path(link) == lock_path(crawled_copy) == f"{crawled_copy.resolve()}.digest.lock"
    with MailServer("none") as server:
        sources = mail_sources(demo_sources, tmp_path / "s.toml", server.port)
        with SendLock(crawled_copy, date.fromisoformat(PAST_DAY)) as held:
            assert held
            result = run_digest(sources, link, date.fromisoformat(PAST_DAY))
            assert (result.outcome, result.exit_code) == ("not-sent", 0)
            assert f"another send of {PAST_DAY} is in progress" in result.detail
            assert not SendLock(link, date.fromisoformat(PAST_DAY)).acquire()
            with SendLock(link, date.fromisoformat(PAST_DAY) + timedelta(1)) as next_day:
                assert next_day                               # other dates are free
        assert server.received == []
        done = run_digest(sources, link, date.fromisoformat(PAST_DAY))
        assert done.outcome == "ok", done.detail
        assert len(server.received) == 1
    with sqlite3.connect(crawled_copy) as conn:
        assert conn.execute("SELECT status FROM digests").fetchall() == [("sent",)]
