"""`newsagg digest --send` to a real SMTP server (aiosmtpd) on 127.0.0.1.

The store is a real crawl of the demo web; the relay runs plain, with STARTTLS
or with implicit TLS, its certificate issued by a throwaway CA (trustme).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from storage.store import ArticleRecord, Store
from tests.conftest import run_newsagg
from tests.mailserver import MailServer
from tests.sourcefiles import with_tables

PASSWORD = "s3cret-Pa55"
HOSTILE_TITLE = '<script>alert("x")</script> МФЦ открылся\r\nBcc: evil@example.org'


def with_smtp(sources: Path, target: Path, **smtp: object) -> Path:
    """A copy of the demo sources file whose [smtp] table is replaced."""
    return with_tables(sources, target, smtp=smtp)


# A digest date long past (its window has closed, so --send is due), into whose window
# (from 07:00 Moscow, the demo's [digest] time, the day before) the crawl is moved.
DAY = "2024-06-03"
IN_WINDOW = "2024-06-02T10:00:00+00:00"


def into_window(db: Path) -> Path:
    """The demo crawl, as if it had run in the window of DAY."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET first_seen_at = ?", (IN_WINDOW,))
        conn.execute("UPDATE crawl_runs SET started_at = ?, finished_at = ?",
                     (IN_WINDOW, IN_WINDOW))
    return db


@pytest.fixture
def crawled_copy(crawled_copy: Path) -> Path:
    return into_window(crawled_copy)


def digest(sources: Path, db: Path, *args: str, env: dict | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSAGG_SMTP")}
    environment.update(env or {})
    return run_newsagg("digest", "--sources", str(sources), "--db", str(db), "--date", DAY,
                       *args, timeout=120, env=environment)


def digests_table(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM digests ORDER BY id")]


@pytest.fixture
def hostile_db(crawled_copy: Path) -> Path:
    """The demo crawl plus an article whose title tries HTML and header injection."""
    with Store(crawled_copy) as store:
        store.save_article(ArticleRecord(
            source_id="ulgov", url="https://evil.example/x", aliases=["https://evil.example/x"],
            title=HOSTILE_TITLE, published_at="2026-11-28T10:00:00+04:00",
            text="В Ульяновске открылся ещё один МФЦ, на этот раз в Засвияжье. Приём ведут "
                 "двенадцать окон.\n\nЗапись открыта на портале госуслуг области."))
        store.db.conn.execute("UPDATE articles SET url = 'javascript:alert(1)'"
                              " WHERE url = 'https://evil.example/x'")
        store.db.conn.execute("UPDATE articles SET first_seen_at = ?", (IN_WINDOW,))
    return crawled_copy


def test_the_digest_of_a_crawl_arrives_as_html_and_text(hostile_db, demo_sources, tmp_path):
    with MailServer("none") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="none")
        result = digest(sources, hostile_db, "--send")
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 1
    mail = server.received[0]
    assert mail.mail_from == "newsagg@example.org"
    assert mail.rcpt_tos == ["editor@example.org"]                      # no injected Bcc
    message = mail.message
    assert re.fullmatch(r"Дайджест newsagg \d+ \w+ \d{4}: 19 new stories", message["Subject"])
    assert message["From"] == "newsagg demo <newsagg@example.org>"
    assert message["To"] == "editor@example.org" and message["Bcc"] is None
    assert message["Message-ID"] and message["Date"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()

    # topics in declared order, each story once, the reprint with its other source
    sections = re.findall(r"^== (.+) \(\d+\) ==$", text, re.M)
    assert sections == ["E-government and public services", "Digital transformation",
                        "Energy and resilience"]
    assert text.count("* Губернатор открыл Центр цифровых государственных услуг") == 1
    assert "Also reported by: ИТМО: Центр технологий электронного правительства (демо)" in text
    title_links = re.findall(r'href="([^"]+)"[^>]*>Губернатор открыл Центр цифровых '
                             r'государственных услуг</a>', html)
    # the item, then the reference under its second topic
    assert [link.split(":")[0][:7] for link in title_links] == ["http", "#story-"]
    for name in sections:
        assert name in html

    # the hostile title: escaped in HTML, one line in text, no link to javascript:
    assert "<script>" not in html and "javascript:" not in html and "javascript:" not in text
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; МФЦ открылся Bcc: evil@example.org"
    assert escaped in html
    assert '* <script>alert("x")</script> МФЦ открылся Bcc: evil@example.org\n' in text

    rows = digests_table(hostile_db)
    assert [(r["status"], r["message_id"]) for r in rows] == [("sent", message["Message-ID"])]
    assert json.loads(rows[0]["recipients"]) == ["editor@example.org"]
    assert rows[0]["articles"] == 20 and len(json.loads(rows[0]["article_ids"])) == 20


def test_a_date_is_sent_once_unless_forced(crawled_copy, demo_sources, tmp_path):
    with MailServer("none") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="none")
        assert digest(sources, crawled_copy, "--send").returncode == 0
        again = digest(sources, crawled_copy, "--send")
        assert again.returncode == 0 and "already sent" in again.stderr
        assert len(server.received) == 1
        forced = digest(sources, crawled_copy, "--send", "--force")
        assert forced.returncode == 0, forced.stderr
        assert len(server.received) == 2
    first, second = (m.message["Message-ID"] for m in server.received)
    assert first != second
    assert [r["message_id"] for r in digests_table(crawled_copy)] == [first, second]


def test_starttls_with_a_checked_certificate_and_a_login_from_the_environment(
        crawled_copy, demo_sources, tmp_path):
    with MailServer("starttls", login=("digest", PASSWORD)) as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="starttls",
                            ca_file=str(server.write_ca(tmp_path / "ca.pem")))
        result = digest(sources, crawled_copy, "--send",
                        env={"NEWSAGG_SMTP_USER": "digest", "NEWSAGG_SMTP_PASSWORD": PASSWORD})
        assert result.returncode == 0, result.stderr
        assert [m.login for m in server.received] == ["digest"]
    assert PASSWORD not in result.stdout + result.stderr
    assert PASSWORD not in Path(crawled_copy).read_bytes().decode("utf-8", "replace")


def test_implicit_tls(crawled_copy, demo_sources, tmp_path):
    with MailServer("tls") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="tls",
                            ca_file=str(server.write_ca(tmp_path / "ca.pem")))
        result = digest(sources, crawled_copy, "--send")
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 1


def failure(sources: Path, db: Path, env: dict | None = None) -> str:
    result = digest(sources, db, "--send", env=env)
    assert result.returncode == 5, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert digests_table(db) == []                        # nothing recorded as sent
    return result.stderr


def test_a_refused_connection_is_a_clear_error_and_records_nothing(
        crawled_copy, demo_sources, tmp_path):
    from tests.mailserver import free_port

    port = free_port()
    sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1", port=port,
                        security="none", timeout=5)
    error = failure(sources, crawled_copy)
    assert f"127.0.0.1:{port}" in error and "cannot connect" in error


def test_a_wrong_password_is_a_clear_error_that_does_not_show_it(
        crawled_copy, demo_sources, tmp_path):
    with MailServer("starttls", login=("digest", PASSWORD)) as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="starttls", timeout=10,
                            ca_file=str(server.write_ca(tmp_path / "ca.pem")))
        error = failure(sources, crawled_copy,
                        env={"NEWSAGG_SMTP_USER": "digest", "NEWSAGG_SMTP_PASSWORD": "wrong-pw"})
        assert not server.received
    assert "refused the login of 'digest'" in error and "NEWSAGG_SMTP_PASSWORD" in error
    assert "wrong-pw" not in error


def test_an_untrusted_certificate_is_refused(crawled_copy, demo_sources, tmp_path):
    with MailServer("starttls") as server:        # its CA is not in the system store
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="starttls", timeout=10)
        error = failure(sources, crawled_copy)
        assert not server.received
    assert "certificate is not trusted" in error and "ca_file" in error


def test_a_relay_without_starttls_is_refused_rather_than_used_in_clear(
        crawled_copy, demo_sources, tmp_path):
    with MailServer("none") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="starttls", timeout=10)
        error = failure(sources, crawled_copy)
        assert not server.received
    assert "does not offer STARTTLS" in error


def test_an_interrupted_send_is_not_repeated_without_force(crawled_copy, demo_sources, tmp_path):
    with sqlite3.connect(crawled_copy) as conn:   # what a process killed mid-send leaves
        conn.execute("INSERT INTO digests (digest_date, status, started_at, message_id) VALUES"
                     " ('2020-02-02', 'sending', '2020-02-02T04:00:00+00:00', '<m@x>')")
    rows_before = digests_table(crawled_copy)
    with MailServer("none") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="none")
        result = run_newsagg("digest", "--sources", str(sources), "--db", str(crawled_copy),
                             "--date", "2020-02-02", "--send")
        assert not server.received
    assert result.returncode == 5 and "may have been sent" in result.stderr
    assert "<m@x>" in result.stderr
    assert digests_table(crawled_copy) == rows_before


def test_an_empty_day_sends_a_short_notice_or_nothing_as_configured(
        crawled_copy, demo_sources, tmp_path):
    quiet_day = ("--date", "2020-01-15")
    with MailServer("none") as server:
        sources = with_smtp(demo_sources, tmp_path / "s.toml", host="127.0.0.1",
                            port=server.port, security="none")
        result = run_newsagg("digest", "--sources", str(sources), "--db", str(crawled_copy),
                             *quiet_day, "--send")
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 1
        text = server.received[0].message.get_body(("plain",)).get_content()
        assert "Nothing new" in text and "==" not in text
        assert "No crawl ran in this window: nothing was fetched." in text

        skipping = tmp_path / "skip.toml"
        skipping.write_text(sources.read_text(encoding="utf-8").replace(
            'max_age_days = 0', 'max_age_days = 0\nempty = "skip"'), encoding="utf-8")
        result = run_newsagg("digest", "--sources", str(skipping), "--db", str(crawled_copy),
                             "--date", "2020-01-16", "--send")
        assert result.returncode == 0 and 'empty = "skip"' in result.stderr
        assert len(server.received) == 1
    assert [r["digest_date"] for r in digests_table(crawled_copy)] == ["2020-01-15"]
