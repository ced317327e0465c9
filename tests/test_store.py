"""The store on a real SQLite file: one row per article, aliases, revisions, migrations."""

import sqlite3

import pytest

from aggregator.errors import StoreError
from storage.schema import migrations
from storage.store import NEW, UNCHANGED, UPDATED, ArticleRecord, Store, content_hash

TEXT = "Губернатор провёл совещание по цифровым сервисам. " * 10


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        yield s


def rec(url, text=TEXT, **kw):
    return ArticleRecord(source_id=kw.pop("source_id", "ulgov"), url=url, aliases=[url],
                         title=kw.pop("title", "Совещание"), text=text, **kw)


def test_schema_is_created_by_migrations_in_wal_mode(store):
    tables = set(store.db.table_names())
    assert {"articles", "article_urls", "sources", "crawl_runs", "articles_fts"} <= tables
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [m.name for m in migrations.applied(store.db)] == [
        "m001_initial", "m002_stories", "m003_digests", "m004_health", "m005_news_view",
        "m006_not_articles", "m007_faults"]
    assert migrations.pending(store.db) == []


def test_reopening_applies_nothing_twice(tmp_path):
    with Store(tmp_path / "a.db") as first:
        applied = [m.name for m in migrations.applied(first.db)]
    with Store(tmp_path / "a.db") as again:
        assert [m.name for m in migrations.applied(again.db)] == applied


def test_new_then_unchanged_updates_last_seen(store):
    first = store.save_article(rec("https://ulgov.ru/news/1", seen_at="2026-11-01T00:00:00+00:00"))
    again = store.save_article(rec("https://ulgov.ru/news/1", seen_at="2026-11-02T00:00:00+00:00"))
    assert (first.outcome, again.outcome) == (NEW, UNCHANGED)
    row = store.db["articles"].get(first.article_id)
    assert row["first_seen_at"].startswith("2026-11-01")
    assert row["last_seen_at"].startswith("2026-11-02")
    assert row["cluster_id"] == row["id"]


def test_same_text_under_two_urls_is_one_row_with_two_aliases(store):
    a = store.save_article(rec("https://ulgov.ru/news/1"))
    b = store.save_article(rec("https://ulgov.ru/print/1", text=TEXT.replace("ё", "е").upper()))
    assert b.outcome == UNCHANGED and b.article_id == a.article_id
    assert store.count() == 1
    urls = {r["url"] for r in store.db["article_urls"].rows}
    assert urls == {"https://ulgov.ru/news/1", "https://ulgov.ru/print/1"}


def test_same_text_in_another_source_is_another_row(store):
    store.save_article(rec("https://ulgov.ru/news/1"))
    other = store.save_article(rec("https://egov.itmo.ru/news/9", source_id="itmo"))
    assert other.outcome == NEW and store.count() == 2


def test_changed_text_updates_in_place(store):
    first = store.save_article(rec("https://ulgov.ru/news/1"))
    changed = store.save_article(rec("https://ulgov.ru/news/1", text=TEXT + " Дополнено.",
                                     modified_at="2026-11-03T10:00:00+04:00"))
    assert changed == type(changed)(UPDATED, first.article_id, story_id=first.article_id)
    row = store.db["articles"].get(first.article_id)
    assert row["text"].endswith("Дополнено.") and row["modified_at"] == "2026-11-03T10:00:00+04:00"
    assert row["content_hash"] == content_hash(TEXT + " Дополнено.")
    assert store.count() == 1


def test_full_text_search(store):
    store.save_article(rec("https://ulgov.ru/news/1"))
    hits = list(store.db["articles"].search("совещание"))
    assert len(hits) == 1


def test_known_urls_include_aliases_and_marks(store):
    store.save_article(ArticleRecord("ulgov", "https://ulgov.ru/news/1",
                                     ["https://ulgov.ru/news/1?x=1"], "T", TEXT,
                                     change_mark="2026-11-01"))
    assert store.known_urls() == {"https://ulgov.ru/news/1": "2026-11-01",
                                  "https://ulgov.ru/news/1?x=1": "2026-11-01"}
    assert store.known_urls(["other"]) == {}


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db: cannot use this database"):
        Store(path)


def test_failed_write_rolls_back(store):
    store.save_article(rec("https://ulgov.ru/news/1"))
    with pytest.raises(sqlite3.IntegrityError):
        store.save_article(ArticleRecord("ulgov", None, [], "T", "other text " * 30))
    assert store.count() == 1 and not store.db.conn.in_transaction
