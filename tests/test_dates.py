"""Date strings as regional portals, feeds and sitemaps write them, to the stored form."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from aggregator.dates import date_from_url, parse_date, to_utc

# 07:00 UTC on 24 November 2026: 09:00 in Kyiv, 10:00 in Moscow, 11:00 in Ulyanovsk.
FETCHED = datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc)
KYIV, MOSCOW, ULYANOVSK, SEOUL = "Europe/Kyiv", "Europe/Moscow", "Europe/Ulyanovsk", "Asia/Seoul"

CASES = [
    # ISO 8601, feeds and sitemaps
    ("2026-11-20T14:30:00+04:00", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("2026-11-20T11:30:00Z", KYIV, "2026-11-20T11:30:00+00:00"),
    ("2026-11-20T11:30:00.123+02:00", KYIV, "2026-11-20T11:30:00+02:00"),
    ("2026-11-20 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("2026-11-20", MOSCOW, "2026-11-20"),
    ("2026-11-20T14:30:00", None, "2026-11-20T14:30:00"),
    ("Fri, 20 Nov 2026 14:30:00 +0400", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("Fri, 20 Nov 2026 10:30:00 GMT", KYIV, "2026-11-20T10:30:00+00:00"),
    ("20 Nov 2026 10:30:00 +0300", KYIV, "2026-11-20T10:30:00+03:00"),
    ("2026/11/20", KYIV, "2026-11-20"),
    # numeric day-first, 2- and 4-digit years
    ("25.11.20 07:07", KYIV, "2020-11-25T07:07:00+02:00"),
    ("21.11.2026 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("21.11.2026, 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("21/11/2026", KYIV, "2026-11-21"),
    ("05.03.2026", MOSCOW, "2026-03-05"),
    ("20.11.2026 | 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("14:30, 20.11.2026", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("14:30 20.11.2026", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("Дата публикации: 17.11.2026", MOSCOW, "2026-11-17"),
    ("Опубликовано 20.11.2026 г. в 09:00", MOSCOW, "2026-11-20T09:00:00+03:00"),
    ("25.05.2012 06:39", KYIV, "2012-05-25T06:39:00+03:00"),     # summer time in Kyiv
    # Russian month names
    ("20 ноября 2026", MOSCOW, "2026-11-20"),
    ("20 ноября 2026 г.", MOSCOW, "2026-11-20"),
    ("20 ноября 2026 года", MOSCOW, "2026-11-20"),
    ("20 ноября 2026, 14:30", ULYANOVSK, "2026-11-20T14:30:00+04:00"),
    ("20 ноября 2026 года в 14:30", MOSCOW, "2026-11-20T14:30:00+03:00"),
    ("пятница, 20 ноября 2026 года", MOSCOW, "2026-11-20"),
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
    ("5 ноября", MOSCOW, "2026-11-05"),                  # year from the fetch
    ("28 декабря", MOSCOW, "2025-12-28"),                # ... or the year before
    ("Ноябрь 20, 2026", MOSCOW, "2026-11-20"),
    # Ukrainian month names
    ("27 лютого 2026 р.", KYIV, "2026-02-27"),
    ("22 листопада 2026 року, 16:40", KYIV, "2026-11-22T16:40:00+02:00"),
    ("21 листопада 2026 р., 11:05", KYIV, "2026-11-21T11:05:00+02:00"),
    ("Понеділок, 23 листопада 2026", KYIV, "2026-11-23"),
    ("Субота, 21 листопада 2026", KYIV, "2026-11-21"),
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
    ("November 20, 2026", SEOUL, "2026-11-20"),
    ("20 November 2026 14:30", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("November 20, 2026 at 2:30 pm", SEOUL, "2026-11-20T14:30:00+09:00"),
    ("Friday, 20 November 2026", SEOUL, "2026-11-20"),
    ("Posted on November 3rd, 2026", SEOUL, "2026-11-03"),
    ("Sept 9, 2026", SEOUL, "2026-09-09"),
    ("12 Dec 2025, 12:05 am", SEOUL, "2025-12-12T00:05:00+09:00"),
    # relative forms, anchored to the fetch time in the source's zone
    ("сегодня, 09:15", MOSCOW, "2026-11-24T09:15:00+03:00"),
    ("Сегодня в 08:00", MOSCOW, "2026-11-24T08:00:00+03:00"),
    ("вчера в 10:22", MOSCOW, "2026-11-23T10:22:00+03:00"),
    ("позавчера", MOSCOW, "2026-11-22"),
    ("вчора о 10:22", KYIV, "2026-11-23T10:22:00+02:00"),
    ("сьогодні", KYIV, "2026-11-24"),
    ("2 години тому", KYIV, "2026-11-24T07:00:00+02:00"),
    ("5 хвилин тому", KYIV, "2026-11-24T08:55:00+02:00"),
    ("3 часа назад", MOSCOW, "2026-11-24T07:00:00+03:00"),
    ("час назад", MOSCOW, "2026-11-24T09:00:00+03:00"),
    ("2 дня назад", MOSCOW, "2026-11-22"),
    ("yesterday", SEOUL, "2026-11-23"),
    ("today 09:15", SEOUL, "2026-11-24T09:15:00+09:00"),
    ("2 hours ago", SEOUL, "2026-11-24T14:00:00+09:00"),
]

JUNK = ["", "   ", "Комментарии (5)", "to", "2026", "12", "© 2008–2026", "© 2026",
        "ноябрь 2026", "November 2026", "Просмотров: 1234", "Версия 2.1.3", "тел. 22-33-44",
        "Читать далее", "Страница 2 из 10", "32.13.2026", "31.02.2026", "1.5 млн рублей",
        "Все новости", "15:30", "ИНН 7325001234"]


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
                                  "yesterday"])
def test_relative_dates_need_the_fetch_time(text):
    assert parse_date(text, timezone=MOSCOW) is None


def test_dates_after_the_fetch_are_refused():
    assert parse_date("20.12.2026", timezone=KYIV, fetched_at=FETCHED) is None
    assert parse_date("25.11.2026", timezone=KYIV, fetched_at=FETCHED) == "2026-11-25"


def test_to_utc():
    assert to_utc("2026-11-20T14:30:00+04:00") == datetime(2026, 11, 20, 10, 30,
                                                            tzinfo=timezone.utc)
    assert to_utc("2026-11-20T14:30:00", MOSCOW) == datetime(2026, 11, 20, 11, 30,
                                                             tzinfo=timezone.utc)
    assert to_utc("2026-11-20", KYIV) == datetime(2026, 11, 19, 22, 0, tzinfo=timezone.utc)
    assert to_utc("Fri, 20 Nov 2026 14:30:00 +0400") == datetime(2026, 11, 20, 10, 30,
                                                                 tzinfo=timezone.utc)
    assert to_utc("not a date") is None and to_utc(None) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://city.kharkov.ua/news/2026/11/20/transport", "2026-11-20"),
    ("https://example.org/2026-11-20-slug.html", "2026-11-20"),
    ("https://example.org/news/20261120/slug", "2026-11-20"),
    ("https://example.org/news_2026_11_20.html", "2026-11-20"),
    ("https://example.org/news/2026/11/", None),
    ("https://example.org/news/index/permlink/id/1012", None),
    ("https://example.org/2026/13/45/x", None),
    ("https://example.org/news?date=2026-11-20", None),
    (None, None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected
