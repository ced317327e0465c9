"""Each sent digest is kept in `digests` with its language, HTML and text, exactly as the
SMTP server received them (issue 18, part 3): the library and `newsagg digest --send`
against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aggregator.config.digest import DigestSettings, SmtpSettings
from aggregator.digest.deliver import deliver
from aggregator.digest.select import build_digest
from storage.store import Store
from tests.conftest import run_newsagg
from tests.mailserver import MailServer
from tests.sourcefiles import with_tables
from tests.test_digest import _source
from tests.test_digest_language import BASE, DAY, EGOV_TEXT, END, MFC_TEXT, save
from tests.test_digest_mail import DAY as PAST_DAY
from tests.test_digest_mail import digests_table, into_window


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        s.sync_sources([_source("ulgov", "Правительство области", "Ulyanovsk Oblast",
                                "Europe/Ulyanovsk")])
        yield s


def archived(db: Path) -> list[dict]:
    return [{k: row[k] for k in ("status", "language", "html", "text", "message_id")}
            for row in digests_table(db)]


def received_parts(server: MailServer) -> list[tuple[str, str]]:
    return [(m.message.get_body(("plain",)).get_content(),
             m.message.get_body(("html",)).get_content()) for m in server.received]


def test_the_sent_digest_is_archived_as_the_server_received_it(store):
    save(store, "ulgov", "/forum", "Форум в Ульяновске", EGOV_TEXT)
    save(store, "ulgov", "/mfc", "Открылся «МФЦ» <на 40 окон> & больше", MFC_TEXT)
    with MailServer("none") as server:
        settings = DigestSettings(**{
            **BASE.__dict__, "language": "ru", "sender": "newsagg <newsagg@example.org>",
            "recipients": ("editor@example.org",),
            "smtp": SmtpSettings(host="127.0.0.1", port=server.port, security="none",
                                 timeout=10)})
        found = build_digest(store, settings, DAY)
        result = deliver(store, settings, found, now=END)
        assert result.sent, result.reason
        assert len(server.received) == 1
    message = server.received[0].message
    assert message["Subject"] == "Дайджест newsagg 1 декабря 2026: 2 новости"
    [(text, html)] = received_parts(server)
    assert "Дайджест newsagg за 1 декабря 2026" in text and "<html lang=\"ru\">" in html
    assert "Ключевое слово: электронное правительство" in text
    [row] = archived(store.path)
    assert row == {"status": "sent", "language": "ru", "html": html, "text": text,
                   "message_id": message["Message-ID"]}


def test_a_failed_send_archives_nothing(store):
    from aggregator.errors import MailError
    from tests.mailserver import free_port

    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    settings = DigestSettings(**{
        **BASE.__dict__, "language": "uk", "sender": "newsagg@example.org",
        "recipients": ("editor@example.org",),
        "smtp": SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=5)})
    with pytest.raises(MailError):
        deliver(store, settings, build_digest(store, settings, DAY), now=END)
    assert archived(store.path) == []


@pytest.fixture
def crawled_copy(crawled_copy: Path) -> Path:
    """The demo crawl, moved into the (closed) window of PAST_DAY (3 June 2024)."""
    return into_window(crawled_copy)


def test_the_command_sends_a_ukrainian_digest_and_archives_it(crawled_copy, demo_sources,
                                                              tmp_path):
    digest_table = {"time": "07:00", "timezone": "Europe/Moscow", "language": "uk",
                    "recipients": ["editor@example.org"], "sender": "newsagg@example.org",
                    "max_age_days": 0}                    # the demo's, with no subject
    with MailServer("none") as server:
        sources = with_tables(demo_sources, tmp_path / "s.toml", digest=digest_table,
                              smtp={"host": "127.0.0.1", "port": server.port,
                                    "security": "none", "timeout": 20})
        result = run_newsagg("digest", "--sources", str(sources), "--db", str(crawled_copy),
                             "--date", PAST_DAY, "--send", timeout=120)
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 1
    message = server.received[0].message
    assert message["Subject"] == "Дайджест newsagg 3 червня 2024: 18 новин"
    [(text, html)] = received_parts(server)
    assert text.startswith("Дайджест newsagg за 3 червня 2024\n18 новин з ")
    assert "Ключове слово:" in text and "Також повідомили:" in text
    [row] = archived(crawled_copy)
    assert row["language"] == "uk" and row["html"] == html and row["text"] == text
    with sqlite3.connect(crawled_copy) as conn:       # what the browse view reads: the date
        assert conn.execute("SELECT digest_date, length(html) > 1000 FROM digests").fetchall() \
            == [(PAST_DAY, 1)]
