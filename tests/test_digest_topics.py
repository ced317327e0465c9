"""Topic rules: a keyword written once finds every ru/uk form, English stems, exact acronyms."""

from pathlib import Path

import pytest

from aggregator.config.digest import TopicRule, parse_digest_settings
from aggregator.digest.topics import (
    TopicMatcher,
    compile_phrase,
    is_acronym,
    tokenize,
    word_forms,
)


def topic(topic_id: str, *keywords: str, exclude: tuple[str, ...] = ()) -> TopicRule:
    return TopicRule(topic_id, topic_id, tuple(keywords), tuple(exclude))


def matches(keyword: str, *texts: str) -> bool:
    """Whether a topic with the single keyword is found in the texts."""
    return TopicMatcher([topic("t", keyword)]).match(*texts) == ["t"]


# --- Russian and Ukrainian word forms ---------------------------------------------------

@pytest.mark.parametrize("keyword, text", [
    ("электронное правительство", "Форум электронного правительства открылся в Москве"),
    ("электронное правительство", "Регион управляется электронным правительством"),
    ("электронное правительство", "Доклад об электронных правительствах стран СНГ"),
    ("отопительный сезон", "Старт отопительного сезона перенесён"),
    ("госуслуги", "Записаться можно через госуслуги или в МФЦ"),
    ("госуслуги", "Пользоваться госуслугами стало проще"),
    ("генератор", "Больницы получили генераторы"),
])
def test_russian_keyword_finds_other_cases_and_numbers(keyword, text):
    assert matches(keyword, text)


@pytest.mark.parametrize("keyword, text", [
    ("е-врядування", "Громада займається е-врядуванням"),
    ("пункт незламності", "У місті працює 40 пунктів незламності"),
    ("пункт незламності", "Люди грілися в пунктах незламності"),
    ("опалювальний сезон", "Початок опалювального сезону"),
    ("генератор", "Школи отримали десять генераторів"),
])
def test_ukrainian_keyword_finds_other_cases_and_numbers(keyword, text):
    assert matches(keyword, text)


def test_word_forms_cover_the_whole_lexeme_folded():
    forms = word_forms("Правительство")
    assert {"правительство", "правительства", "правительству",
            "правительством", "правительстве", "правительствах"} <= forms
    assert all(form == form.lower() for form in forms)


def test_a_different_word_sharing_a_prefix_does_not_match_without_star():
    assert not matches("генератор", "Генерация электроэнергии выросла")
    assert not matches("цифровизация", "Цифровой рубль")


# --- English ------------------------------------------------------------------------------

@pytest.mark.parametrize("keyword, text", [
    ("e-government", "Ranking of E-Governments in 2026"),
    ("public services", "Access to public service portals"),
    ("smart city", "Europe's smart cities met in Seoul"),
    ("open data", "The Open Data portal was relaunched"),
])
def test_english_keyword_matches_by_stem_ignoring_case(keyword, text):
    assert matches(keyword, text)


# --- Acronyms -----------------------------------------------------------------------------

@pytest.mark.parametrize("word, expected", [
    ("WeGO", True), ("МФЦ", True), ("ИИ", True), ("ЦНАП", True),
    ("Москва", False), ("digital", False), ("E-government", False),
])
def test_two_or_more_capitals_make_an_acronym(word, expected):
    assert is_acronym(word) is expected


@pytest.mark.parametrize("keyword, text, expected", [
    ("WeGO", "The WeGO assembly elected a new board", True),
    ("WeGO", "Let's wego there", False),
    ("WeGO", "WEGO members", False),
    ("МФЦ", "Документы принимают в МФЦ", True),
    ("МФЦ", "Центр «МФЦ» открыт", True),
    ("МФЦ", "сотрудники мфц", False),
    ("ИИ", "Внедрение ИИ в госуправление", True),
    ("ИИ", "Иван и Ирина", False),
])
def test_acronym_matches_case_sensitively_and_exactly(keyword, text, expected):
    assert matches(keyword, text) is expected


def test_quotes_around_a_keyword_are_ignored():
    assert matches("«МФЦ»", "Документы принимают в МФЦ")


# --- Prefixes -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Цифровой профиль гражданина", True),
    ("Розвиток цифрових послуг у громаді", True),   # uk
    ("ЦИФРОВИЗАЦИЯ региона", True),
    ("Цифра дня: 42", False),
])
def test_star_keyword_matches_any_word_it_begins(text, expected):
    assert matches("цифров*", text) is expected


# --- Phrases ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Правительство электронное",                       # reversed
    "Электронное и открытое правительство",            # apart
    "Электронное голосование. Правительство решило",   # apart
])
def test_phrase_words_must_be_adjacent_and_in_order(text):
    assert not matches("электронное правительство", text)


def test_english_phrase_words_must_be_adjacent_and_in_order():
    assert matches("open data", "open data")
    assert not matches("open data", "data open")
    assert not matches("open data", "open government data")


def test_compile_phrase_keeps_one_test_per_word():
    assert len(compile_phrase("электронное правительство").tests) == 2
    assert len(compile_phrase("«МФЦ»").tests) == 1
    assert len(compile_phrase("цифров*").tests) == 1


# --- Exclusions, several topics, title and text -------------------------------------------

def test_exclude_keyword_vetoes_the_topic_in_any_form():
    matcher = TopicMatcher([topic("egov", "МФЦ", exclude=("вакансия",))])
    assert matcher.match("Новый МФЦ открылся") == ["egov"]
    assert matcher.match("Вакансии в МФЦ") == []
    assert matcher.match("МФЦ", "Открыта вакансия оператора") == []


def test_exclude_vetoes_only_its_own_topic():
    matcher = TopicMatcher([topic("egov", "МФЦ", exclude=("вакансия",)),
                            topic("jobs", "вакансия")])
    assert matcher.match("Вакансии в МФЦ") == ["jobs"]


def test_several_topics_come_back_in_declared_order():
    matcher = TopicMatcher([
        topic("egov", "электронное правительство", "МФЦ"),
        topic("digital", "цифров*"),
        topic("energy", "генератор"),
        topic("sport", "футбол"),
    ])
    text = "В МФЦ поставили генератор и запустили цифровую очередь"
    assert matcher.match(text) == ["egov", "digital", "energy"]
    assert TopicMatcher(list(reversed(matcher.topics))).match(text) == [
        "energy", "digital", "egov"]


def test_title_and_text_are_both_searched():
    matcher = TopicMatcher([topic("egov", "МФЦ"), topic("energy", "генератор")])
    assert matcher.match("Новый МФЦ", "Здание оснастили генератором") == ["egov", "energy"]
    assert matcher.match("Новости дня", "Новый МФЦ открылся") == ["egov"]
    assert matcher.match("Новый МФЦ", None) == ["egov"]
    assert matcher.match(None, "") == []


# --- Folding: ё/е, dashes, apostrophes ----------------------------------------------------

@pytest.mark.parametrize("keyword, text", [
    ("объём", "Объем инвестиций вырос"),
    ("объем", "Объём инвестиций вырос"),
    ("объем", "ОБЪЁМА инвестиций"),
])
def test_yo_and_ye_are_the_same_letter(keyword, text):
    assert matches(keyword, text)


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2013", "\u2212"])
def test_dash_variants_are_unified(dash):
    assert matches("e-government", f"Progress in e{dash}government")
    assert matches("е-врядування", f"Розвиток е{dash}врядування")


def test_dash_in_keyword_is_unified_too():
    assert matches("e\u2011government", "e-government")


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_apostrophe_variants_are_unified(apostrophe):
    assert matches("п'ятниця", f"У п{apostrophe}ятницю відкрили ЦНАП")


def test_tokenize_keeps_case_and_joins_dashed_words():
    assert tokenize("«МФЦ» и e\u2011Government, п’ять") == ["МФЦ", "и", "e-Government", "п'ять"]


@pytest.mark.parametrize("keyword", ["—", "«»", "**", "..."])
def test_a_keyword_without_a_word_is_refused_and_harmless(keyword):
    problems: list[str] = []
    parse_digest_settings(
        {"topic": [{"id": "t", "keywords": [keyword]}]}, Path("."), problems)
    assert "topic 't': field 'keywords'" in problems[0]
    assert TopicMatcher([TopicRule("t", "t", (keyword,))]).match("Любой текст — с тире") == []
