"""Word-form search: lemmas, the index the store keeps, queries, and `newsagg search`."""

import csv
import io
import json
import shlex
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from aggregator.search.lemmas import lemma_tokens, lemmatiser_version
from storage.schema import migrations
from storage.search import QueryError, search
from storage.store import ArticleRecord, Store

from .conftest import run_newsagg


def shared(a, b):
    return set(lemma_tokens(a)) & set(lemma_tokens(b))


@pytest.mark.parametrize("a, b", [
    ("правительства", "правительство"), ("уряду", "уряд"), ("приёма", "приема"),
    ("elections", "election"), ("Правительством", "ПРАВИТЕЛЬСТВО"),
    ("Прaвительство", "правительство"),          # a Latin «a» inside a Cyrillic word
    ("Тaxi", "taxi"),                              # a Cyrillic «а» inside a Latin word
])
def test_forms_share_a_lemma(a, b):
    assert shared(a, b)


def test_different_words_do_not_share_a_lemma():
    assert not shared("правительство", "губернатор")
    assert lemma_tokens("Уряд ухвалив 2 рішення, e-government!")[:3] == ["уряд", "ухвалити", "2"]


RU = ("Губернатор и члены правительства области обсудили цифровые сервисы. "
      "Правительство утвердило план приёма заявлений.")
RU2 = ("Заседание правительства: правительство региона и правительство города "
       "договорились о правительственной программе.")
UK = "Уряд затвердив програму. Рішення уряду підтримали громади."
EN = "The elections commission published the results of the regional election."
MOSCOW = "Правительство Москвы открыло новый центр цифровых сервисов."


def rec(url, title, text, source_id="ulgov", published_at=None):
    return ArticleRecord(source_id=source_id, url=url, aliases=[url], title=title, text=text,
                         published_at=published_at)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        s.save_article(rec("https://a/1", "Совещание", RU,
                           published_at="2026-11-20T10:00:00+04:00"))
        s.save_article(rec("https://a/2", "Заседание", RU2,
                           published_at="2026-11-28T10:00:00+04:00"))
        s.save_article(rec("https://b/1", "Рішення", UK, source_id="kyiv"))
        s.save_article(rec("https://c/1", "Elections", EN, source_id="wego"))
        s.save_article(rec("https://d/1", "Москва", MOSCOW, source_id="mos"))
        yield s


def urls(hits):
    return [hit.url for hit in hits]


def test_inflected_forms_are_found(store):
    assert set(urls(search(store, "правительство"))) == {"https://a/1", "https://a/2",
                                                         "https://d/1"}
    assert urls(search(store, "уряд")) == ["https://b/1"]
    assert urls(search(store, "приема")) == ["https://a/1"]
    assert urls(search(store, "election")) == ["https://c/1"]


def test_more_matches_rank_first_and_snippets_mark_the_words(store):
    hits = search(store, "правительство")
    assert hits[0].url == "https://a/2"
    assert "[правительства]" in hits[0].snippet and "[правительство]" in hits[0].snippet
    first = next(h for h in hits if h.url == "https://a/1")
    assert first.snippet.startswith("Губернатор и члены [правительства]")
    assert first.snippet.endswith("заявлений.")                 # all of it: no "…"
    assert (first.title, first.source_id, first.published_at) == (
        "Совещание", "ulgov", "2026-11-20T10:00:00+04:00")
    long = search(store, "москва")[0].snippet
    assert long.startswith("[Правительство]") or "[Москвы]" in long


def test_a_long_text_is_cut_around_the_first_match(tmp_path):
    text = "Вступление без нужных слов. " * 20 + "Решение правительства принято. " + \
        "Дальше идёт длинный текст. " * 20
    with Store(tmp_path / "long.db") as s:
        s.save_article(rec("https://a/9", "Новость", text))
        snippet = search(s, "правительство")[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "Решение [правительства] принято" in snippet
    assert len(snippet.split()) == 30


def test_phrase_prefix_and_exclusion(store):
    assert set(urls(search(store, '"цифровой сервис"'))) == {"https://a/1", "https://d/1"}
    assert search(store, '"сервис цифровой"') == []           # words in the other order
    prefix = search(store, "правительств*")
    assert "https://a/2" in urls(prefix) and "https://a/1" in urls(prefix)
    assert "[правительственной]" in next(h for h in prefix if h.url == "https://a/2").snippet
    assert set(urls(search(store, "правительство -москва"))) == {"https://a/1", "https://a/2"}
    assert urls(search(store, "elect*")) == ["https://c/1"]


def test_filters_and_limit(store):
    assert urls(search(store, "правительство", sources=["mos"])) == ["https://d/1"]
    assert urls(search(store, "правительство", sources=["ulgov"], since="2026-11-25")) == [
        "https://a/2"]
    assert len(search(store, "правительство", limit=1)) == 1
    with pytest.raises(QueryError, match="not a date"):
        search(store, "правительство", since="yesterday")


@pytest.mark.parametrize("query", ["", "  ", "-правительство", '""', "*"])
def test_a_query_with_nothing_to_find_is_an_error(store, query):
    with pytest.raises(QueryError, match="at least one word"):
        search(store, query)


def test_updates_and_deletes_keep_the_index_in_step(store):
    store.save_article(rec("https://b/1", "Рішення", "Міністерство оголосило конкурс.",
                           source_id="kyiv"))
    assert search(store, "уряд") == []
    assert urls(search(store, "міністерство")) == ["https://b/1"]
    with store.db.conn:
        store.db.conn.execute("DELETE FROM article_urls WHERE url = 'https://c/1'")
        store.db.conn.execute("DELETE FROM articles WHERE url = 'https://c/1'")
    assert search(store, "election") == []


def test_edits_made_outside_the_store_are_indexed_by_the_next_store(store):
    """Plain SQL (sqlite-utils, a script) changes articles without the store: triggers
    queue what the index held, and the next store to open or write mends it, a reused
    rowid included."""
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE articles SET text = 'Министерство объявило конкурс.'"
                     " WHERE url = 'https://a/1'")
        conn.execute("DELETE FROM article_urls WHERE article_id = (SELECT max(id) FROM articles)")
        conn.execute("DELETE FROM articles WHERE id = (SELECT max(id) FROM articles)")
    last = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    conn.close()
    with Store(path) as again:
        assert urls(search(again, "министерство")) == ["https://a/1"]
        assert "https://a/1" not in urls(search(again, "губернатор"))
        saved = again.save_article(rec("https://e/1", "Погода", "Завтра ожидается снег."))
        assert saved.article_id == last + 1                   # the deleted article's rowid
        assert search(again, "москва") == []                  # its words left with it
        assert urls(search(again, "снег")) == ["https://e/1"]
        counts = again.db.execute("SELECT (SELECT count(*) FROM articles),"
                                  " (SELECT count(*) FROM articles_lemmas_docsize),"
                                  " (SELECT count(*) FROM search_queue)").fetchone()
        assert counts == (5, 5, 0)


def test_an_index_made_by_another_lemmatiser_is_rebuilt(store):
    store.db.execute("UPDATE search_meta SET value = 'rules=0' WHERE key = 'lemmatiser'")
    store.db.execute("INSERT INTO articles_lemmas (rowid, title, text) VALUES (1, 'x', 'снег')")
    store.db.conn.commit()
    path = store.path
    store.close()
    with Store(path) as again:
        assert search(again, "снег") == []
        assert len(search(again, "правительство")) == 3
        assert again.db.execute("SELECT value FROM search_meta").fetchone()[0] == \
            lemmatiser_version()


def test_the_migration_indexes_articles_stored_before_it(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m008_search")
    conn.execute("INSERT INTO articles (url, source_id, title, text, first_seen_at,"
                 " last_seen_at) VALUES ('https://a/1', 'ulgov', 'Совещание', ?, 'x', 'x')",
                 (RU,))
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert "m008_search" in [m.name for m in migrations.applied(s.db)]
        assert urls(search(s, "правительство")) == ["https://a/1"]


@pytest.fixture
def db_file(store):
    return store.path


def test_cli_prints_hits_in_every_format(db_file):
    table = run_newsagg("search", "правительство", "--db", db_file, timeout=60)
    assert table.returncode == 0, table.stderr
    assert "Заседание" in table.stdout and "[правительства]" in table.stdout
    assert "3 article(s) found" in table.stderr
    as_json = run_newsagg("search", "уряд", "--db", db_file, "--format", "json", timeout=60)
    assert [h["url"] for h in json.loads(as_json.stdout)] == ["https://b/1"]
    as_csv = run_newsagg("search", "правительство", "--db", db_file, "--format", "csv",
                         "--source", "mos", timeout=60)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["url"] for r in rows] == ["https://d/1"] and "[Правительство]" in rows[0]["snippet"]


def test_cli_errors(db_file, tmp_path):
    empty = run_newsagg("search", "--db", db_file, "--", "-москва", timeout=60)
    assert empty.returncode == 2 and "at least one word" in empty.stderr
    missing = run_newsagg("search", "уряд", "--db", str(tmp_path / "none.db"), timeout=60)
    assert missing.returncode == 3 and "no such database" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_the_readme_search_examples_find_the_demo_articles(tmp_path):
    demo = run_newsagg("demo", cwd=tmp_path, timeout=60)
    assert demo.returncode == 0, demo.stderr[-2000:]
    hint = next(line for line in demo.stdout.splitlines() if "newsagg search" in line)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = [line.split("  #")[0] for line in readme.splitlines()
                if line.startswith("newsagg search ")]
    assert len(examples) >= 3
    for example in [hint.strip(), *examples]:
        args = shlex.split(example)[1:]
        found = run_newsagg(*args, cwd=tmp_path, timeout=60)
        assert found.returncode == 0, (example, found.stderr)
        count = int(found.stderr.strip().splitlines()[-1].split()[0])
        assert count > 0, example
        assert "[" in found.stdout, example                # a snippet marks what it found
