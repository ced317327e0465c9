"""Date strings as regional portals, feeds and sitemaps write them, to the stored form."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from aggregator.dates.parse import find_date, parse_date, to_utc
from aggregator.dates.url import date_from_url

# 07:00 UTC on 24 November 2026: 09:00 in Kyiv, 10:00 in Moscow, 11:00 in Ulyanovsk.
FETCHED = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
KYIV, MOSCOW, ULYANOVSK, SEOUL = "Europe/Kyiv", "Europe/Moscow", "Europe/Ulyanovsk", "Asia/Seoul"

CASES = [
    # ISO 8601, feeds and sitemaps: the text's own offset is kept as written
    ("2026-11-20T14:30:00+04:00", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("2026-11-20T14:30:00+04:00", KYIV, "2026-11-20T14:30:00+04:00"),
    ("2026-11-20T11:30:00Z", KYIV, "2026-11-20T11:30:00+00:00"),
    ("2026-11-20T11:30:00.123+02:00", KYIV, "2026-11-20T11:30:00+02:00"),
    ("2026-11-20T14:30+03:00", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("2026-11-20T14:30:00+0400", KYIV, "2026-11-20T14:30:00+04:00"),
    ("2026-11-20 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("2026-11-20 14:30:00 +0300", KYIV, "2026-11-20T14:30:00+03:00"),
    ("2026-11-20", MOSCOW, "2026-11-20"),
    ("2026-11-20T14:30:00", None, "2026-11-20T14:30:00"),
    ("Fri, 20 Nov 2026 14:30:00 +0400", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("Fri, 20 Nov 2026 10:30:00 GMT", KYIV, "2026-11-20T10:30:00+00:00"),
    ("20 Nov 2026 10:30:00 +0300", KYIV, "2026-11-20T10:30:00+03:00"),
    ("Fri, 20 Nov 2026 14:30:00", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("2026/11/20", KYIV, "2026-11-20"),
    ("2026.11.20", KYIV, "2026-11-20"),
    ("2020年07月03日", KYIV, "2020-07-03"),                   # Chinese and Japanese
    ("2020년 7월 3일", KYIV, "2020-07-03"),                    # Korean
    # numeric day-first, 2- and 4-digit years
    ("25.11.20 07:07", KYIV, "2020-11-25T07:07:00+02:00"),
    ("21.11.2026 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("21.11.2026, 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("21/11/2026", KYIV, "2026-11-21"),
    ("21-11-2026", KYIV, "2026-11-21"),
    ("05.03.2026", MOSCOW, "2026-03-05"),
    ("1.11.2026", MOSCOW, "2026-11-01"),
    ("20.11.26", MOSCOW, "2026-11-20"),
    ("20.11.2026г.", MOSCOW, "2026-11-20"),
    ("20.11.2026 | 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("14:30, 20.11.2026", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("14:30 20.11.2026", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("20.11.2026 14:30:00", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("20.11.2026 10:00-12:00", MOSCOW, "2026-11-20T10:00:00+03:00"),   # a range, no offset
    ("Дата публикации: 17.11.2026", MOSCOW, "2026-11-17"),
    ("Опубликовано 20.11.2026 г. в 09:00", MOSCOW, "2026-11-20T09:00:00+03:00"),
    ("от 20.11.2026 № 123-П", MOSCOW, "2026-11-20"),
    ("25.05.2012 06:39", KYIV, "2012-05-25T06:39:00+03:00"),     # summer time in Kyiv
    # Russian month names, cases, abbreviations, weekdays, г./года
    ("20 ноября 2026", MOSCOW, "2026-11-20"),
    ("20 ноября 2026 г.", MOSCOW, "2026-11-20"),
    ("20 ноября 2026 года", MOSCOW, "2026-11-20"),
    ("20-го ноября 2026", MOSCOW, "2026-11-20"),
    ("20 ноября 2026, 14:30", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("20 ноября 2026 года в 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("20 ноября 2026 г. 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("20 ноября 2026, 14:30 (МСК)", ULYANOVSK, "2026-11-20T14:30:00+03:00"),
    ("пятница, 20 ноября 2026 года", MOSCOW, "2026-11-20"),
    ("Понедельник, 23 ноября 2026", MOSCOW, "2026-11-23"),
    ("1 января 2026", MOSCOW, "2026-01-01"),
    ("28 февраля 2025", MOSCOW, "2025-02-28"),
    ("8 марта 2026", MOSCOW, "2026-03-08"),
    ("12 апреля 2026", MOSCOW, "2026-04-12"),
    ("9 мая 2025 г.", MOSCOW, "2025-05-09"),
    ("12 июня 2026", MOSCOW, "2026-06-12"),
    ("3 июля 2026", MOSCOW, "2026-07-03"),
    ("15 августа 2026", MOSCOW, "2026-08-15"),
    ("1 сентября 2026", MOSCOW, "2026-09-01"),
    ("30 октября 2026", MOSCOW, "2026-10-30"),
    ("31 декабря 2025", MOSCOW, "2025-12-31"),
    ("20 нояб. 2026", MOSCOW, "2026-11-20"),
    ("3 сент. 2026", MOSCOW, "2026-09-03"),
    ("Ноябрь 20, 2026", MOSCOW, "2026-11-20"),
    ("20 ноябрь 2026", MOSCOW, "2026-11-20"),
    ("Постановление № 12 от 5 марта 2026 года", MOSCOW, "2026-03-05"),
    ("5 ноября", MOSCOW, "2026-11-05"),                  # year from the fetch
    ("28 декабря", MOSCOW, "2025-12-28"),                # ... or the year before
    ("2026, 20 ноября", None, "2026-11-20"),             # read by dateparser
    # Ukrainian month names
    ("27 лютого 2026 р.", KYIV, "2026-02-27"),
    ("22 листопада 2026 року, 16:40", KYIV, "2026-11-22T16:40:00+02:00"),
    ("23 листопада 2026 року о 16:40", KYIV, "2026-11-23T16:40:00+02:00"),
    ("21 листопада 2026 р., 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("Понеділок, 23 листопада 2026", KYIV, "2026-11-23"),
    ("Субота, 21 листопада 2026", KYIV, "2026-11-21"),
    ("Опубліковано: 20 листопада 2026, 14:30", KYIV, "2026-11-20T14:30:00+02:00"),
    ("20-ого листопада 2026", KYIV, "2026-11-20"),
    ("12 січня 2026", KYIV, "2026-01-12"),
    ("3 березня 2026", KYIV, "2026-03-03"),
    ("14 квітня 2026", KYIV, "2026-04-14"),
    ("9 травня 2026 о 10:00", KYIV, "2026-05-09T10:00:00+03:00"),
    ("28 червня 2026", KYIV, "2026-06-28"),
    ("15 липня 2026", KYIV, "2026-07-15"),
    ("24 серпня 2026", KYIV, "2026-08-24"),
    ("1 вересня 2026", KYIV, "2026-09-01"),
    ("14 жовтня 2026", KYIV, "2026-10-14"),
    ("25 грудня 2025", KYIV, "2025-12-25"),
    ("20 лист. 2026", KYIV, "2026-11-20"),
    ("17 листопада", KYIV, "2026-11-17"),
    # English
    ("Nov 20, 2026", SEOUL, "2026-11-20"),
    ("Nov. 20, 2026", SEOUL, "2026-11-20"),
    ("November 20, 2026", SEOUL, "2026-11-20"),
    ("20 November 2026 14:30", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("20 November 2026 14:30 GMT+3", SEOUL, "2026-11-20T14:30:00+03:00"),
    ("November 20, 2026 at 2:30 pm", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("November 20, 2026 2:30 PM", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("November 20th, 2026, 14:30", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("Friday, 20 November 2026", SEOUL, "2026-11-20"),
    ("20th of November, 2026", SEOUL, "2026-11-20"),
    ("Posted on November 3rd, 2026", SEOUL, "2026-11-03"),
    ("Sept 9, 2026", SEOUL, "2026-09-09"),
    ("12 Dec 2025, 12:05 am", SEOUL, "2025-12-12T00:05:00+09:00"),
    # relative forms, anchored to the fetch time in the source's zone
    ("сегодня, 09:15", MOSCOW, "2026-11-24T09:15:00+03:00"),
    ("Сегодня в 08:00", MOSCOW, "2026-11-24T08:00:00+03:00"),
    ("сегодня", MOSCOW, "2026-11-24"),
    ("вчера в 10:22", MOSCOW, "2026-11-23T10:22:00+03:00"),
    ("Вчера, 23:59", MOSCOW, "2026-11-23T23:59:00+03:00"),
    ("позавчера", MOSCOW, "2026-11-22"),
    ("вчора о 10:22", KYIV, "2026-11-23T10:22:00+02:00"),
    ("сьогодні", KYIV, "2026-11-24"),
    ("Сьогодні, 14:30", KYIV, "2026-11-24T14:30:00+02:00"),
    ("2 години тому", KYIV, "2026-11-24T07:00:00+02:00"),
    ("5 хвилин тому", KYIV, "2026-11-24T08:55:00+02:00"),
    ("3 дні тому", KYIV, "2026-11-21"),
    ("тиждень тому", KYIV, "2026-11-17"),
    ("3 часа назад", MOSCOW, "2026-11-24T07:00:00+03:00"),
    ("час назад", MOSCOW, "2026-11-24T09:00:00+03:00"),
    ("10 минут назад", MOSCOW, "2026-11-24T09:50:00+03:00"),
    ("2 дня назад", MOSCOW, "2026-11-22"),
    ("неделю назад", MOSCOW, "2026-11-17"),
    ("только что", MOSCOW, "2026-11-24T10:00:00+03:00"),
    ("yesterday", SEOUL, "2026-11-23"),
    ("today 09:15", SEOUL, "2026-11-24T09:15:00+09:00"),
    ("2 hours ago", SEOUL, "2026-11-24T14:00:00+09:00"),
    ("a week ago", SEOUL, "2026-11-17"),
    # times without any zone stay naive; the date alone stays a date
    ("20.11.2026 14:30", None, "2026-11-20T14:30:00"),
    ("вчера в 10:22", None, "2026-11-23T10:22:00"),
]

JUNK = ["", "   ", "Комментарии (5)", "to", "2026", "12", "© 2008–2026", "© 2026",
        "ноябрь 2026", "November 2026", "Листопад 2026", "Просмотров: 1234", "Версия 2.1.3",
        "тел. 22-33-44", "тел. 8 (8422) 58-45-12", "Читать далее", "Страница 2 из 10",
        "32.13.2026", "31.02.2026", "31 июня 2026", "1.5 млн рублей", "Все новости", "15:30",
        "ИНН 7325001234", "12.05.1985", "listopada", "20 XI 2026", "год назад",
        "лист 5 від громади", "may 20", "2008-2026", "Опубликовано: 1 год назад"]


@pytest.mark.parametrize(("text", "tz", "expected"), CASES)
def test_date_strings(text, tz, expected):
    assert parse_date(text, timezone=tz, fetched_at=FETCHED) == expected


def test_the_table_is_large_and_covers_three_languages():
    assert len(CASES) >= 70
    cyrillic = [t for t, _, _ in CASES if any("\u0400" <= c <= "\u04ff" for c in t)]
    assert len(cyrillic) >= 40


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_no_date(text):
    assert parse_date(text, timezone=KYIV, fetched_at=FETCHED) is None


@pytest.mark.parametrize("text", ["вчера в 10:22", "2 години тому", "сегодня", "5 ноября",
                                  "yesterday", "3 часа назад", "только что"])
def test_relative_dates_need_the_fetch_time(text):
    assert parse_date(text, timezone=MOSCOW) is None


def test_dates_after_the_fetch_are_refused():
    assert parse_date("20.12.2026", timezone=KYIV, fetched_at=FETCHED) is None
    assert parse_date("25.11.2026", timezone=KYIV, fetched_at=FETCHED) == "2026-11-25"
    assert parse_date("2026-11-26T10:00:00+02:00", fetched_at=FETCHED) is None


def test_a_year_without_a_fetch_time_is_any_plausible_one():
    assert parse_date("20.12.2026", timezone=KYIV) == "2026-12-20"
    assert parse_date("20.12.1989", timezone=KYIV) is None


def test_a_naive_fetch_time_is_read_as_utc():
    naive = datetime(2026, 11, 24, 7, 0)  # noqa: DTZ001 (naive is what is tested)
    assert parse_date("вчера в 10:22", timezone=MOSCOW, fetched_at=naive) == \
        "2026-11-23T10:22:00+03:00"


def test_english_only_sources_read_slashes_month_first():
    assert parse_date("11/20/2026", languages=("en",)) == "2026-11-20"
    assert parse_date("03/04/2026", languages=("en",)) == "2026-03-04"
    assert parse_date("03/04/2026", languages=("ru", "en")) == "2026-04-03"


def test_the_earliest_date_in_a_string_wins():
    assert parse_date("20 ноября 2026 (обновлено 21.11.2026 10:00)", timezone=MOSCOW) == \
        "2026-11-20"


def test_find_date_reports_the_span_it_read():
    found = find_date("Опубликовано: 20.11.2026, 14:30 | Просмотров: 12", timezone=MOSCOW)
    assert found is not None and found.value == "2026-11-20T14:30:00+03:00"
    assert (found.start, found.end) == (14, 31)


def test_an_unknown_zone_or_language_is_harmless():
    assert parse_date("20.11.2026 14:30", timezone="Mars/Olympus") == "2026-11-20T14:30:00"
    assert parse_date("20.11.2026", languages=("xx",)) == "2026-11-20"
    assert parse_date("20.11.2026", languages=()) == "2026-11-20"


def test_fast_paths_are_fast():
    samples = ["2026-11-20T14:30:00+04:00", "21.11.2026 11:05", "22 листопада 2026 року, 16:40",
               "вчера в 10:22", "Комментарии (5)", "Просмотров: 1234"]
    for text in samples:        # warm the caches
        parse_date(text, timezone=KYIV, fetched_at=FETCHED)
    start = time.perf_counter()
    for _ in range(200):
        for text in samples:
            parse_date(text, timezone=KYIV, fetched_at=FETCHED)
    per_call = (time.perf_counter() - start) / (200 * len(samples))
    assert per_call < 250e-6        # ~15 us here; generous for slow CI machines


@pytest.mark.parametrize(("value", "tz", "expected"), [
    ("2026-11-20T14:30:00+04:00", None, datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-20T14:30:00", MOSCOW, datetime(2026, 11, 20, 11, 30, tzinfo=UTC)),
    ("2026-11-20T14:30:00", None, datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
    ("2026-11-20", KYIV, datetime(2026, 11, 19, 22, 0, tzinfo=UTC)),
    ("2012-05-25", KYIV, datetime(2012, 5, 24, 21, 0, tzinfo=UTC)),
    ("2026-11-20T11:30:00Z", KYIV, datetime(2026, 11, 20, 11, 30, tzinfo=UTC)),
    ("Fri, 20 Nov 2026 14:30:00 +0400", None,
     datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("Fri, 20 Nov 2026 14:30:00", MOSCOW, datetime(2026, 11, 20, 11, 30, tzinfo=UTC)),
    ("not a date", None, None),
    ("2026", None, None),
    ("2026-13-45", None, None),
    ("", None, None),
    (None, None, None),
])
def test_to_utc(value, tz, expected):
    assert to_utc(value, tz) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://city.kharkov.ua/news/2026/11/20/transport", "2026-11-20"),
    ("https://example.org/2026-11-20-slug.html", "2026-11-20"),
    ("https://example.org/news/20261120/slug", "2026-11-20"),
    ("https://example.org/news_2026_11_20.html", "2026-11-20"),
    ("https://example.org/news/2026/1/5/x", "2026-01-05"),
    ("https://example.org/news/20-11-2026/x", "2026-11-20"),
    ("https://example.org/news/2026/11/", None),
    ("https://example.org/news/2026/11/123456", None),
    ("https://example.org/news/index/permlink/id/1012", None),
    ("https://example.org/2026/13/45/x", None),
    ("https://example.org/1985/11/20/x", None),
    ("https://example.org/news?date=2026-11-20", None),
    ("https://example.org/news/202611201234", None),
    ("", None),
    (None, None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected
