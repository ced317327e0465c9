"""The digest in the reader's language (issue 18, part 3): `[digest] language`, dates and
plurals from babel, labels from one catalogue per language, the keyword that matched under
each item, and section counts that agree with what the sections list.

Digests are built from a real SQLite store, as tests/test_digest.py builds them."""

from __future__ import annotations

import re
import string
from datetime import date, timedelta

import feedparser
import pytest

from aggregator.clock import utc_stamp
from aggregator.config import load_config
from aggregator.config.digest import LANGUAGES, DigestSettings, TopicRule, parse_digest_settings
from aggregator.counters import FAILURE_CAUSES, NOTICES
from aggregator.digest.i18n import CATALOGUES, CAUSES, Language, locale, plural
from aggregator.digest.render import render, subject
from aggregator.digest.select import build_digest, window
from aggregator.digest.text import display_date
from aggregator.digest.topics import TopicHit, TopicMatcher
from aggregator.errors import SourcesError
from storage.store import ArticleRecord, Store
from tests.conftest import run_newsagg
from tests.test_digest import DIGITAL_TEXT, MFC_TEXT, PLAIN_TEXT, _source
from tests.test_digest_text import SOURCE

DAY = date(2026, 12, 1)
BASE = DigestSettings(
    timezone="Europe/Moscow", max_age_days=30,
    topics=(TopicRule("egov", "Электронное правительство", ("электронное правительство", "МФЦ")),
            TopicRule("digital", "Цифровизация", ("цифров*",))))
START, END = window(DAY, BASE)            # 30 Nov 07:00 .. 1 Dec 07:00, Moscow
INSIDE = utc_stamp(START + timedelta(hours=3))
EGOV_TEXT = ("Форум электронного правительства открылся в Ульяновске. На него приехали "
             "делегации из двенадцати регионов.\n\nРабота форума продлится три дня.")
FORMATS = ("text", "html", "markdown", "atom")


def settings(lang: str, **changes: object) -> DigestSettings:
    return DigestSettings(**{**BASE.__dict__, "language": lang, **changes})


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        s.sync_sources([
            _source("ulgov", "Правительство области", "Ulyanovsk Oblast", "Europe/Ulyanovsk"),
            _source("kyiv", "Київрада", "Kyiv", "Europe/Kyiv")])
        yield s


def save(store: Store, source: str, path: str, title: str, text: str,
         published: str | None = "2026-12-01T05:45:00+03:00") -> int:
    url = f"https://{source}.example{path}"
    return store.save_article(ArticleRecord(
        source_id=source, url=url, aliases=[url], title=title, text=text,
        published_at=published, seen_at=INSIDE)).article_id


def distinct_text(i: int) -> str:
    """A text no other shares a shingle with, so each is its own story."""
    words = " ".join(f"{letter}{i}{letter}" for letter in string.ascii_lowercase)
    return f"Сообщение номер {i} о работе служб города. {words}."


# --- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang, heading, day, published", [
    ("ru", "Дайджест newsagg за 1 декабря 2026", "1 декабря 2026", "1 декабря 2026, 06:45"),
    ("uk", "Дайджест newsagg за 1 грудня 2026", "1 грудня 2026", "1 грудня 2026, 06:45"),
    ("en", "newsagg daily digest, 1 Dec 2026", "1 Dec 2026", "1 Dec 2026, 06:45"),
], ids=["ru", "uk", "en"])
def test_the_digest_date_and_item_dates_have_the_languages_month(store, lang, heading, day,
                                                                  published):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    found = build_digest(store, settings(lang), DAY)
    text = render(found, settings(lang), "text")
    assert text.startswith(heading + "\n")
    # the item in its publisher's zone (Ulyanovsk, +04:00): 05:45 Moscow is 06:45 there
    assert f"Правительство области | Ulyanovsk Oblast | {published}\n" in text
    html = render(found, settings(lang), "html")
    assert f'<html lang="{lang}">' in html and f">{day}</h1>" in html and published in html
    assert f"# {heading}\n" in render(found, settings(lang), "markdown")
    feed = feedparser.parse(render(found, settings(lang), "atom"))
    assert feed.feed.language == lang


def test_the_window_is_written_with_genitive_months_in_the_digests_zone(store):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    found = build_digest(store, settings("ru"), DAY)
    assert ("собрано 30 ноября 2026 07:00 - 1 декабря 2026 07:00 (Europe/Moscow)"
            in render(found, settings("ru"), "text"))
    found = build_digest(store, settings("uk"), DAY)
    assert ("зібрано 30 листопада 2026 07:00 – 1 грудня 2026 07:00 (Europe/Moscow)"
            in render(found, settings("uk"), "markdown"))


@pytest.mark.parametrize("published_at, zone, lang, expected", [
    ("2026-12-01T05:45:00+00:00", "Europe/Moscow", "ru", "1 декабря 2026, 08:45"),
    ("2026-05-09T05:45:00+00:00", "Europe/Kyiv", "uk", "9 травня 2026, 08:45"),
    ("2026-03-08", None, "ru", "8 марта 2026"),
    ("2026-09-01", None, "en", "1 Sep 2026"),
])
def test_display_date_in_each_language(published_at, zone, lang, expected):
    assert display_date(published_at, zone, lang) == expected


# --- plurals ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang, n, expected", [
    ("ru", 1, "1 новость из 1 источника"), ("ru", 2, "2 новости из 1 источника"),
    ("ru", 5, "5 новостей из 1 источника"), ("ru", 21, "21 новость из 1 источника"),
    ("uk", 1, "1 новина з 1 джерела"), ("uk", 2, "2 новини з 1 джерела"),
    ("uk", 5, "5 новин з 1 джерела"), ("uk", 21, "21 новина з 1 джерела"),
    ("en", 1, "1 new story from 1 source"), ("en", 21, "21 new stories from 1 source"),
])
def test_the_count_of_stories_takes_the_plural_form_of_its_number(store, lang, n, expected):
    for i in range(n):
        save(store, "ulgov", f"/n{i}", f"Новость {i}", distinct_text(i))
    found = build_digest(store, settings(lang, topics=()), DAY)
    assert found.stories == n
    bodies = {fmt: render(found, settings(lang, topics=()), fmt) for fmt in FORMATS}
    assert expected in bodies["text"].splitlines()[1]
    assert expected in bodies["html"] and expected in bodies["markdown"]
    assert feedparser.parse(bodies["atom"]).feed.subtitle == f"{expected}."
    stories = re.split(r" (?:из|з|from) ", expected)[0]               # "5 новостей"
    assert subject(found, settings(lang, topics=())).endswith(f" 2026: {stories}")


@pytest.mark.parametrize("lang, counts", [
    ("ru", {1: "1 источник", 2: "2 источника", 5: "5 источников", 21: "21 источник",
            11: "11 источников", 22: "22 источника", 111: "111 источников"}),
    ("uk", {1: "1 джерело", 2: "2 джерела", 5: "5 джерел", 21: "21 джерело",
            11: "11 джерел", 22: "22 джерела", 111: "111 джерел"}),
    ("en", {1: "1 source", 2: "2 sources", 21: "21 sources"}),
])
def test_counted_labels_follow_babels_plural_rules(lang, counts):
    words = Language(lang)
    assert {n: words.count("sources", n) for n in counts} == counts


def test_the_footer_counts_older_and_unmatched_in_the_language(store):
    for i, published in enumerate(("2024-01-15", "2024-02-15", "2024-03-15")):
        save(store, "ulgov", f"/old{i}", f"Старое {i}", distinct_text(i), published=published)
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    omit = settings("ru", other="omit")
    text = render(build_digest(store, omit, DAY), omit, "text")
    assert "3 старые статьи, впервые найденные за этот период, не показаны." in text
    assert "1 новость не относится ни к одной теме и не показана." in text
    omit = settings("uk", other="omit")
    html = render(build_digest(store, omit, DAY), omit, "html")
    assert "3 давні статті, уперше знайдені за цей період, не показані." in html
    assert "1 новина не стосується жодної теми й не показана." in html


# --- labels ----------------------------------------------------------------------------

def test_labels_of_every_format_are_in_the_language(store):
    first = save(store, "ulgov", "/mfc", "Открылся МФЦ с цифровой очередью", MFC_TEXT)
    save(store, "kyiv", "/digital", "Програма цифровізації", DIGITAL_TEXT)
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    store.save_article(ArticleRecord(                        # a reprint: also reported by
        source_id="kyiv", url="https://kyiv.example/mfc", aliases=["https://kyiv.example/mfc"],
        title="В Ульяновске открылся МФЦ", text="Сообщает пресс-служба.\n\n" + MFC_TEXT,
        published_at=None, seen_at=INSIDE))
    ru = settings("ru")
    found = build_digest(store, ru, DAY)
    assert found.items[0].article_id == first
    text = render(found, ru, "text")
    for label in ("Также сообщили: Київрада", "Также в разделах: Цифровизация",
                  "Подробно в другом разделе:", "== Другие новости (1) ==",
                  "Даты указаны по данным издателей"):
        assert label in text, label
    html = render(found, ru, "html")
    assert "ежедневный дайджест" in html and "Также сообщили:" in html
    for english in ("Also reported", "Also under", "Listed under", "Other news", "new stor",
                    "Keyword", "date unknown", "Dates are", "seen "):
        for fmt in FORMATS:
            assert english not in render(found, ru, fmt), (english, fmt)
    uk = settings("uk", topics=())
    assert "== Новини (3) ==" in render(build_digest(store, uk, DAY), uk, "text")


def test_an_undated_item_says_so_in_the_language(store):
    save(store, "ulgov", "/undated", "Без даты", DIGITAL_TEXT, published=None)
    assert "дата невідома" in render(build_digest(store, settings("uk"), DAY), settings("uk"),
                                     "text")


def test_the_default_subject_follows_the_language_and_a_written_one_wins(store):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    save(store, "kyiv", "/digital", "Програма цифровізації", DIGITAL_TEXT)
    subjects = {lang: subject(build_digest(store, settings(lang), DAY), settings(lang))
                for lang in LANGUAGES}
    assert subjects == {"en": "newsagg digest 1 Dec 2026: 2 new stories",
                        "ru": "Дайджест newsagg 1 декабря 2026: 2 новости",
                        "uk": "Дайджест newsagg 1 грудня 2026: 2 новини"}
    own = settings("ru", subject="Сводка {{ date }} ({{ stories }})")
    assert subject(build_digest(store, own, DAY), own) == "Сводка 1 декабря 2026 (2)"


def test_what_the_crawls_missed_is_said_in_the_language(store):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    store.record_run([{"run_id": "r1", "source_id": "kyiv", "started_at": INSIDE,
                       "finished_at": INSIDE, "fetched": 3, "new": 0, "updated": 0,
                       "unchanged": 0, "failed": 3, "not_articles": 0, "known_skipped": 0,
                       "http_errors": 3}])
    line = ("Не вдалося прочитати 1 джерело: Київрада (усі запити завершилися помилкою: "
            "3 помилки HTTP).")
    uk = settings("uk")
    bodies = {fmt: render(build_digest(store, uk, DAY), uk, fmt) for fmt in FORMATS}
    assert line in " ".join(bodies["text"].split())
    assert line in bodies["html"] and line in feedparser.parse(bodies["atom"]).feed.subtitle
    empty = settings("ru")
    quiet = build_digest(store, empty, DAY + timedelta(days=5))
    assert ("За этот период новых статей не найдено. За этот период обход не запускался: "
            "ничего не загружено.") in render(quiet, empty, "text")
    assert "Ничего нового" in render(quiet, empty, "html")


# --- the keyword under each item --------------------------------------------------------

def test_the_keyword_that_matched_is_shown_under_each_item_with_the_form_found(store):
    save(store, "ulgov", "/forum", "Форум в Ульяновске", EGOV_TEXT)
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    save(store, "kyiv", "/digital", "Програма", DIGITAL_TEXT)
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    ru = settings("ru")
    found = build_digest(store, ru, DAY)
    by_title = {item.title: item for item in found.items}
    assert by_title["Форум в Ульяновске"].keywords == [
        TopicHit("egov", "электронное правительство", "электронного правительства")]
    assert by_title["Открылся МФЦ"].keywords == [TopicHit("egov", "МФЦ")]   # as written
    assert by_title["Програма"].keywords == [TopicHit("digital", "цифров*", "цифровой")]
    assert by_title["Ремонт в парке"].keywords == []
    text = render(found, ru, "text")
    assert ("Ключевое слово: электронное правительство (в тексте: электронного "
            "правительства)") in text
    assert "Ключевое слово: МФЦ\n" in text
    assert "Ключевое слово: цифров* (в тексте: цифровой)" in text
    html = render(found, ru, "html")
    assert ("Ключевое слово: <b>электронное правительство</b> (в тексте: электронного "
            "правительства)") in html
    markdown = render(found, ru, "markdown")
    assert r"Ключевое слово: цифров\* (в тексте: цифровой)" in markdown
    summary = feedparser.parse(render(found, ru, "atom")).entries
    assert any("Ключевое слово: МФЦ" in entry.summary for entry in summary)
    en = settings("en")
    assert "Keyword: МФЦ\n" in render(build_digest(store, en, DAY), en, "text")


def test_a_story_under_two_topics_shows_both_keywords():
    matcher = TopicMatcher(BASE.topics)
    assert matcher.hits("Открылся МФЦ с цифровой очередью", MFC_TEXT) == [
        TopicHit("egov", "МФЦ"), TopicHit("digital", "цифров*", "цифровой")]
    assert matcher.hits("Ремонт", PLAIN_TEXT) == []
    excluded = TopicMatcher([TopicRule("egov", "e", ("МФЦ",), ("вакансия",))])
    assert excluded.hits("Вакансии в МФЦ") == [] and excluded.match("Вакансии в МФЦ") == []
    english = TopicMatcher([TopicRule("egov", "E-gov", ("e-government",))])
    assert english.hits("Ranking of E-Governments") == [
        TopicHit("egov", "e-government", "E-Governments")]
    assert english.hits("E-Government ranking") == [TopicHit("egov", "e-government")]


# --- counts agree with what is listed ---------------------------------------------------

def listed(text: str) -> list[tuple[str, int, int]]:
    """(section, the count its heading says, the stories it lists) from the text part."""
    found = []
    for heading, body in re.findall(r"^== ([^\n]+) ==\n(.*?)(?=^== |^--$)", text, re.M | re.S):
        name, count = re.fullmatch(r"(.+) \((\d+)\)", heading).groups()
        entries = len(re.findall(r"^\* ", body, re.M)) + len(re.findall(r"^- ", body, re.M))
        found.append((name, int(count), entries))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_section_heading_says_how_many_it_lists(store, lang):
    save(store, "ulgov", "/mfc", "Открылся МФЦ с цифровой очередью", MFC_TEXT)
    save(store, "ulgov", "/forum", "Форум в Ульяновске", EGOV_TEXT)
    save(store, "kyiv", "/digital", "Програма", DIGITAL_TEXT)
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    save(store, "ulgov", "/old", "Старое", distinct_text(1), published="2024-01-15")
    found = build_digest(store, settings(lang), DAY)
    text = render(found, settings(lang), "text")
    sections = listed(text)
    assert [(count, entries) for _, count, entries in sections] == [(2, 2), (2, 2), (1, 1)]
    assert found.stories == 4 and found.older == 1        # the old one: said in the footer
    assert sum(len(s.items) for s in found.sections) == found.stories
    html = render(found, settings(lang), "html")
    for section in found.sections:
        n = len(section.items) + len(section.see_also)
        assert f"{section.name}&nbsp;({n})</a>" in html                  # the contents line
        assert re.search(rf"</a>{re.escape(section.name)} \({n}\)</h2>", html)
        assert f"## {section.name} ({n})" in render(found, settings(lang), "markdown")
    stories = len(re.findall(r'<tr><td id="story-', html))
    references = len(re.findall(r'<a href="#story-', html))
    assert stories + references == sum(count for _, count, _ in sections)
    assert Language(lang).count("older", 1) in text


# --- the catalogue ----------------------------------------------------------------------

def fields(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_entry_with_its_plural_forms_and_fields(lang):
    catalogue, english = CATALOGUES[lang], CATALOGUES["en"]
    assert set(catalogue) == set(english)
    forms = {plural(n, lang) for n in range(1000)}
    for key, entry in catalogue.items():
        model = english[key]
        assert isinstance(entry, str) == isinstance(model, str), key
        if isinstance(entry, dict) and isinstance(model, dict):
            assert set(entry) == forms, key
            assert all(fields(v) == fields(next(iter(model.values()))) for v in entry.values())
        elif isinstance(entry, str) and isinstance(model, str):
            assert fields(entry) == fields(model), key
    assert set(CAUSES[lang]) == set(FAILURE_CAUSES | NOTICES)
    assert all(set(v) == forms for v in CAUSES[lang].values())
    assert str(locale(lang)) == lang


def test_an_unknown_label_is_an_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_label"):
        _ = Language("ru").no_such_label
    with pytest.raises(ValueError, match="'de'"):
        Language("de")


# --- [digest] language ------------------------------------------------------------------

def test_the_language_field_is_read_and_defaults_to_english(tmp_path):
    problems: list[str] = []
    assert parse_digest_settings({"digest": {"language": "uk"}}, tmp_path, problems).language \
        == "uk"
    assert parse_digest_settings({}, tmp_path, problems).language == "en" and problems == []




@pytest.mark.parametrize("value", ["de", "RU", "", 1, ["ru"]])
def test_a_bad_language_is_a_clear_error_naming_the_file_table_and_field(tmp_path, value):
    path = tmp_path / "sources.toml"
    toml = f'"{value}"' if isinstance(value, str) else str(value).replace("'", '"')
    path.write_text(f"{SOURCE}\n[digest]\nlanguage = {toml}\n", encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_config(path)
    assert error.value.problems == ["[digest]: field 'language': use one of 'en', 'ru', 'uk'"]
    assert str(path) in str(error.value)


def test_a_bad_language_stops_the_digest_command_with_exit_2(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(f'{SOURCE}\n[digest]\nlanguage = "de"\n', encoding="utf-8")
    result = run_newsagg("digest", "--sources", str(path), "--db", str(tmp_path / "n.db"),
                         timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert "[digest]: field 'language': use one of 'en', 'ru', 'uk'" in result.stderr
