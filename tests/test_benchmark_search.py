"""The search benchmark's gold and scores: forms found without the index, the formulas
the issue states, and a labelled store whose figures are known by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.search import precision, recall
from benchmarks.searchcost import add_baseline, baseline_hits, record, sizes
from benchmarks.searchdata import Doc, Query, Term, Tokens, gold, language
from benchmarks.searchforms import en_forms, lexeme
from storage.search import search
from storage.store import Store


def _word(word: str, forms: frozenset[str]) -> Term:
    return Term("word", (word,), (forms,))


def _docs(*texts: str) -> list[Tokens]:
    return [Tokens([[], t.lower().split()]) for t in texts]


def test_a_russian_query_word_is_gold_in_any_of_its_forms_and_no_other_word() -> None:
    query = Query("ru", "word", (_word("правительство", lexeme("правительство", "ru")),))
    docs = _docs("решение правительства области", "правительственный указ", "в правительстве")
    assert gold(query, docs, [10, 11, 12]) == {10, 12}


def test_a_ukrainian_phrase_needs_its_words_side_by_side_in_one_part() -> None:
    term = Term("phrase", ("обласна", "рада"), (lexeme("обласна", "uk"), lexeme("рада", "uk")))
    query = Query("uk", "phrase", (term,))
    docs = [Tokens([[], ["обласної", "ради"]]), Tokens([[], ["обласної", "нової", "ради"]]),
            Tokens([["обласної"], ["ради"]])]
    assert gold(query, docs, [1, 2, 3]) == {1}


def test_english_forms_are_regular_inflections_not_stems() -> None:
    vocab = {"policy", "policies", "generally", "experience", "stated", "state"}
    forms = en_forms("policies", vocab)
    assert {"policy", "policies"} <= forms
    assert "generally" not in en_forms("general", vocab)       # Snowball would say "general"
    assert "experience" not in en_forms("experiments", vocab)
    assert {"state", "states", "stating"} <= en_forms("stated", vocab)


def test_prefix_and_every_word_of_a_query_must_be_found() -> None:
    query = Query("en", "words", (Term("prefix", ("digit",)),
                                  _word("cities", en_forms("cities", {"city"}))))
    docs = _docs("digital city", "digital towns", "a city")
    assert gold(query, docs, [1, 2, 3]) == {1}
    assert query.text == "digit* cities"
    assert query.fts == '"digit"* AND "cities"'


def test_recall_is_over_at_most_twenty_and_precision_over_what_came_back() -> None:
    assert recall([1, 2, 3], {1, 4}) == 0.5
    assert recall(list(range(30)), set(range(100))) == 1.0     # min(20, |gold|)
    assert precision([1, 2, 3, 4], {1, 2}) == 0.5
    assert precision([], {1}) is None


def test_language_by_script() -> None:
    assert language("Уряд ухвалив програму цифровізації, яку підтримали громади.") == "uk"
    assert language("Правительство области утвердило программу цифровизации.") == "ru"
    assert language("The council said it would publish the schedule of the buses.") == "en"
    assert language("Der Rat hat den Fahrplan der Busse veröffentlicht.") is None


def test_a_labelled_store_finds_the_forms_plain_fts5_misses(tmp_path: Path) -> None:
    texts = ["Правительство области утвердило план.", "Решение правительства области.",
             "Области выделили средства."]
    docs = [Doc(f"d{i}", "t", "ru", None, text, "t", f"https://t.invalid/{i}")
            for i, text in enumerate(texts)]
    path = tmp_path / "labelled.db"
    with Store(path) as store:
        ids = [store.save_article(record(doc)).article_id for doc in docs]
    add_baseline(path)
    conn = sqlite3.connect(path)
    try:
        assert baseline_hits(conn, '"правительство"') == [ids[0]]
        with Store(path) as store:
            assert {h.id for h in search(store, "правительство")} == {ids[0], ids[1]}
    finally:
        conn.close()
    index, baseline, rest = sizes(path)
    assert index > 0 and baseline > 0 and rest > 0
