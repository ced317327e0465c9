"""The store on a real SQLite file: one row per article, aliases, revisions, migrations."""

import random
import sqlite3

import pytest
from sqlite_utils import Database

from aggregator.errors import StoreError
from storage.schema import migrations
from storage.search import search
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
    assert {"articles", "article_urls", "sources", "crawl_runs", "articles_lemmas"} <= tables
    assert "articles_fts" not in tables
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [m.name for m in migrations.applied(store.db)] == [
        "m001_initial", "m002_stories", "m003_digests", "m004_health", "m005_news_view",
        "m006_not_articles", "m007_faults", "m008_search", "m009_editor_view",
        "m010_digest_archive"]
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
    assert [hit.url for hit in search(store, "совещания")] == ["https://ulgov.ru/news/1"]


def test_known_urls_include_aliases_and_marks(store):
    store.save_article(ArticleRecord("ulgov", "https://ulgov.ru/news/1",
                                     ["https://ulgov.ru/news/1?x=1"], "T", TEXT,
                                     change_mark="2026-11-01"))
    assert store.known_urls() == {"https://ulgov.ru/news/1": "2026-11-01",
                                  "https://ulgov.ru/news/1?x=1": "2026-11-01"}
    assert store.known_urls(["other"]) == {}


def test_known_urls_read_only_see_a_writers_latest_rows_and_leave_no_files(tmp_path):
    """`sources try` reads the user's database without writing or copying it: a closed
    database gets no -wal/-shm beside it, and one open in another process is read with
    that process's latest commits."""
    from storage.known import read_known_urls

    path = tmp_path / "news.db"
    with Store(path) as s:
        s.save_article(rec("https://ulgov.ru/news/1"))
    before = sorted(p.name for p in tmp_path.iterdir())
    assert read_known_urls(path) == {"https://ulgov.ru/news/1": None}
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["news.db"]
    with Store(path) as writer:                     # a crawl holds it open
        writer.save_article(rec("https://ulgov.ru/news/2", text=TEXT.replace("по", "о")))
        assert set(read_known_urls(path, ["ulgov"])) == {"https://ulgov.ru/news/1",
                                                         "https://ulgov.ru/news/2"}
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        read_known_urls(tmp_path / "junk.db")


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db: cannot use this database"):
        Store(path)


def test_failed_write_rolls_back(store):
    store.save_article(rec("https://ulgov.ru/news/1"))
    with pytest.raises(sqlite3.IntegrityError):
        store.save_article(ArticleRecord("ulgov", None, [], "T", "other text " * 30))
    assert store.count() == 1 and not store.db.conn.in_transaction


# -- an old database migrates as it did --------------------------------------------------
WORDS = ("губернатор область район центр услуга портал заявление бюджет школа дорога "
         "больница министерство цифровой сервис жители проект программа развитие связь "
         "интернет обращение комиссия совет решение закон").split()


def paragraph(rnd, words=22):
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def old_articles():
    """Articles as an m001 database holds them: reprints across sources (a new lead, a
    trimmed copy, an added paragraph), one source's notices under one long footer (its
    boilerplate), unrelated news, and an article without text."""
    rnd = random.Random(16)
    release = [paragraph(rnd) for _ in range(4)]
    footer = [paragraph(rnd, 30), paragraph(rnd, 30)]
    texts = [("ulgov", release),
             ("itmo", [paragraph(rnd), *release[1:], paragraph(rnd)]),
             ("minsvyaz", [paragraph(rnd), paragraph(rnd), *footer]),
             ("kyiv", release[:3]),
             ("minsvyaz", [paragraph(rnd), paragraph(rnd), *footer]),
             ("ulgov", [paragraph(rnd) for _ in range(3)]),
             ("minsvyaz", [paragraph(rnd), *release[:3], *footer]),
             ("itmo", None)]
    return [{"id": n, "url": f"https://{source}.example/news/{n}", "source_id": source,
             "title": f"Новость {n}", "text": "\n\n".join(ps) if ps else None,
             "first_seen_at": "2026-11-20T10:00:00+00:00",
             "last_seen_at": "2026-11-20T10:00:00+00:00"}
            for n, (source, ps) in enumerate(texts, start=1)]


def story_tables(db):
    return {"clusters": dict(db.execute("SELECT id, cluster_id FROM articles").fetchall()),
            "bands": set(db.execute("SELECT bucket, article_id FROM story_bands").fetchall()),
            "signatures": set(db.execute("SELECT * FROM story_signatures").fetchall()),
            "paragraphs": set(db.execute("SELECT * FROM source_paragraphs").fetchall())}


def migrated_from_m001(path):
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m002_stories")
    Database(conn)["articles"].insert_all(old_articles())
    conn.close()
    with Store(path) as store:
        return story_tables(store.db)


def placed_by_todays_code(path):
    from storage.stories import StoryIndex
    with Store(path) as store:
        store.db["articles"].insert_all(old_articles())
        index = StoryIndex(store.db.conn)
        for row in old_articles():
            index.place(row["id"], row["source_id"], row["text"] or "")
        return story_tables(store.db)


def test_a_database_at_m001_gets_the_stories_todays_code_places(tmp_path):
    migrated = migrated_from_m001(tmp_path / "old.db")
    assert migrated == placed_by_todays_code(tmp_path / "new.db")
    clusters = migrated["clusters"]
    assert clusters[2] == clusters[4] == clusters[7] == 1         # the release and its reprints
    assert (clusters[3], clusters[5], clusters[6], clusters[8]) == (3, 5, 6, 8)
    assert any(articles >= 2 for _, _, articles in migrated["paragraphs"])   # the footer


def test_m002_runs_the_story_detection_it_shipped_with(tmp_path, monkeypatch):
    """A shipped migration never calls today's code: with today's story index and reprint
    functions broken, m002 still places the old articles as it always did."""
    from aggregator import reprints
    from storage.stories import StoryIndex
    expected = placed_by_todays_code(tmp_path / "new.db")

    def broken(*args, **kwargs):
        raise AssertionError("m002 called today's story detection")

    monkeypatch.setattr(StoryIndex, "place", broken)
    for name in ("normalize_text", "keys_of", "signature", "band_keys", "without",
                 "same_story", "pack", "unpack"):
        monkeypatch.setattr(reprints, name, broken)
    assert migrated_from_m001(tmp_path / "old.db") == expected
