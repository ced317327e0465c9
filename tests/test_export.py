"""`newsagg export`, run as a real subprocess on real SQLite stores: CSV (with and without
a BOM) and JSON Lines parse back intact, the filters select what they say, --out replaces
the file whole, and bad input exits with a message that names it."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.export import COLUMNS
from storage.store import ArticleRecord, Store
from tests.conftest import run_newsagg

# A text with everything CSV must quote: commas, double quotes, blank lines, Cyrillic.
ULGOV_TEXT = ('Губернатор открыл «цифровой» МФЦ, на сорок окон.\n\nОн сказал: "Работаем '
              'без выходных", — и провёл первую консультацию; запись ёмкая.')
KYIV_TEXT = "Київрада ухвалила програму цифровізації.\n\nНа неї виділять два мільярди гривень."
ITMO_TEXT = "В университете открылась лаборатория анализа текстов на русском языке."


def _source(sid: str, name: str, region: str) -> dict:
    return {"id": sid, "name": name, "homepage": f"https://{sid}.example/", "language": "ru",
            "timezone": "Europe/Moscow", "region": region, "country": "RU", "feeds": [],
            "sitemaps": [], "listings": [], "article_pattern": None, "max_listing_pages": 5,
            "enabled": 1}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three articles of three sources, first seen on 28, 29 and 30 November (UTC)."""
    path = tmp_path / "news.db"
    with Store(path) as store:
        store.sync_sources([_source("ulgov", "Правительство области", "Ulyanovsk Oblast"),
                            _source("kyiv", "Київрада", "Kyiv"),
                            _source("itmo", "ИТМО", "Saint Petersburg")])
        for source, title, text, seen in [
                ("ulgov", "МФЦ, «цифровой»", ULGOV_TEXT, "2026-11-28T23:59:59+00:00"),
                ("kyiv", "Програма цифровізації", KYIV_TEXT, "2026-11-29T00:00:00+00:00"),
                ("itmo", "Лаборатория", ITMO_TEXT, "2026-11-30T12:00:00+00:00")]:
            url = f"https://{source}.example/news/1"
            store.save_article(ArticleRecord(
                source_id=source, url=url, aliases=[url], title=title, text=text,
                author="Пресс-служба", language="ru", published_at="2026-11-28T10:00:00+04:00",
                published_from="metadata", seen_at=seen))
    return path


def export(db: Path, *args: str) -> bytes:
    """stdout as bytes, as a file redirect gets it (run_newsagg decodes text)."""
    result = subprocess.run([sys.executable, "-m", "aggregator", "export", "--db", str(db),
                             *args], capture_output=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout


def csv_rows(data: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_csv_parses_back_with_header_and_cyrillic_intact(db: Path) -> None:
    data = export(db)
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "\r\n" in text                                    # RFC 4180 line ends
    rows = csv_rows(text)
    assert [r["source_id"] for r in rows] == ["ulgov", "kyiv", "itmo"]
    ulgov = rows[0]
    assert ulgov["text"] == ULGOV_TEXT                       # quotes, commas, blank lines
    assert ulgov["title"] == "МФЦ, «цифровой»"
    assert ulgov["source_name"] == "Правительство области"
    assert ulgov["region"] == "Ulyanovsk Oblast"
    assert ulgov["country"] == "RU"
    assert ulgov["published_at"] == "2026-11-28T10:00:00+04:00"
    assert ulgov["published_from"] == "metadata"
    assert ulgov["modified_at"] == ""                       # NULL is an empty field
    assert ulgov["author"] == "Пресс-служба"
    assert ulgov["story_id"] == ulgov["id"]                 # alone: its own story


def test_csv_with_bom_opens_as_utf8_sig(db: Path) -> None:
    data = export(db, "--bom")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data.decode("utf-8-sig"))
    assert list(rows[0]) == list(COLUMNS)                   # the BOM is not in the header
    assert rows[1]["text"] == KYIV_TEXT


def test_jsonl_one_object_per_line_unescaped(db: Path) -> None:
    data = export(db, "--format", "jsonl").decode("utf-8")
    assert "Київрада" in data                               # ensure_ascii=False
    lines = data.splitlines()
    assert len(lines) == 3
    objects = [json.loads(line) for line in lines]
    assert all(list(o) == list(COLUMNS) for o in objects)
    assert objects[0]["text"] == ULGOV_TEXT
    assert objects[0]["modified_at"] is None
    assert isinstance(objects[0]["id"], int)
    assert objects[0]["story_id"] == objects[0]["id"]


@pytest.mark.parametrize(("since", "expected"), [
    ("2026-11-29", ["kyiv", "itmo"]),                      # the day in UTC, from midnight
    ("2026-11-30", ["itmo"]),
    ("2026-11-29T03:00:00+03:00", ["kyiv", "itmo"]),       # = 00:00 UTC
    ("2026-11-29T00:00:01", ["itmo"]),                     # no offset: UTC
    ("2026-12-01", []),
])
def test_since_filters_by_first_seen_day_in_utc(db: Path, since: str, expected: list[str]) -> None:
    rows = csv_rows(export(db, "--since", since).decode("utf-8"))
    assert [r["source_id"] for r in rows] == expected


def test_source_repeatable(db: Path) -> None:
    rows = csv_rows(export(db, "--source", "itmo", "--source", "ulgov").decode("utf-8"))
    assert [r["source_id"] for r in rows] == ["ulgov", "itmo"]
    rows = csv_rows(export(db, "--source", "kyiv", "--since", "2026-11-30").decode("utf-8"))
    assert rows == []


def test_out_writes_the_file_and_replaces_an_old_one(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    out.write_text("old\n", encoding="utf-8")
    result = run_newsagg("export", "--db", str(db), "--format", "jsonl", "--out", str(out),
                         timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "3 article(s)" in result.stderr
    assert [json.loads(line)["source_id"] for line in out.read_text("utf-8").splitlines()] \
        == ["ulgov", "kyiv", "itmo"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_bad_date_exits_2_naming_it(db: Path) -> None:
    result = run_newsagg("export", "--db", str(db), "--since", "2026-13-01", timeout=30)
    assert result.returncode == 2
    assert "--since" in result.stderr and "2026-13-01" in result.stderr


def test_unknown_source_exits_2_naming_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_newsagg("export", "--db", str(db), "--source", "ulgov", "--source",
                         "nosuch", "--out", str(out), timeout=30)
    assert result.returncode == 2
    assert "nosuch" in result.stderr and "ulgov" not in result.stderr.replace(str(db), "")
    assert not out.exists()


def test_bom_with_jsonl_is_a_usage_error(db: Path) -> None:
    result = run_newsagg("export", "--db", str(db), "--format", "jsonl", "--bom", timeout=30)
    assert result.returncode == 2
    assert "--bom" in result.stderr


def test_missing_database_exits_3_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run_newsagg("export", "--db", str(missing), timeout=30)
    assert result.returncode == 3
    assert "none.db" in result.stderr and "no such database" in result.stderr
    assert not missing.exists()


def test_demo_crawl_exports_every_article_with_its_story(crawled_copy: Path) -> None:
    rows = csv_rows(export(crawled_copy, "--bom").decode("utf-8-sig"))
    with sqlite3.connect(crawled_copy) as conn:
        stored = dict(conn.execute("SELECT id, cluster_id FROM articles").fetchall())
    assert len(rows) == len(stored) > 0
    assert {int(r["id"]): int(r["story_id"]) for r in rows} == stored
    assert all(r["source_name"] and r["first_seen_at"] for r in rows)


def test_stdout_is_utf8_whatever_the_locale(db: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = subprocess.run([sys.executable, "-m", "aggregator", "export", "--db", str(db),
                             "--format", "jsonl"], capture_output=True, timeout=30,
                            check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "Київрада".encode() in result.stdout
