"""Mixed-language date strings to the stored form, without inventing anything.

Stored forms: ``2026-11-20T14:30:00+04:00`` when a time is known (the text's own
offset kept as written, else the wall time read in the source's zone),
``2026-11-20T14:30:00`` when no zone is known at all, ``2026-11-20`` when only the
day is known. Anything short of a full day (a year, a month, a copyright range,
a bare number) is no date.

The common news forms are read by precompiled regular expressions (microseconds);
dateparser, always with explicit languages and day-first order, only gets short
strings that look like a date the expressions could not read (it costs ~1 ms a
call). Relative forms ("вчера", "2 години тому") need the fetch time: without
it they are no date, never "now".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from email.utils import parsedate_tz
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aggregator.dates.words import (
    AGO,
    AGO_SECONDS,
    D_MONTH_Y,
    DAY_NUMBER,
    DAY_SHIFT,
    DMY,
    ISO,
    JUST_NOW,
    LETTERS3,
    MONTH_D_Y,
    MONTHS,
    NOT_ALONE,
    RELATIVE_DAY,
    RFC822,
    RFC822_ZONE,
    TIME_AFTER,
    TIME_ANYWHERE,
    YEAR4,
    YMD,
    YMD_CJK,
)
from aggregator.strings import squash

MIN_YEAR = 1990
MAX_YEAR = 2100
DEFAULT_LANGUAGES = ("ru", "uk", "en")
MAX_TEXT_CHARS = 400          # longer text is prose, not a date string
DATEPARSER_MAX_CHARS = 60     # the slow fallback only sees short strings


@dataclass(frozen=True)
class FoundDate:
    """A date read from text, and where in the text it was (for dateline checks)."""

    value: str
    start: int
    end: int


def parse_date(text: str | None, *, languages: Sequence[str] = DEFAULT_LANGUAGES,
               timezone: str | None = None, fetched_at: datetime | None = None) -> str | None:
    """The stored form of the first full date in ``text``, or None."""
    found = find_date(text, languages=languages, timezone=timezone, fetched_at=fetched_at)
    return found.value if found else None


def find_date(text: str | None, *, languages: Sequence[str] = DEFAULT_LANGUAGES,
              timezone: str | None = None,
              fetched_at: datetime | None = None) -> FoundDate | None:
    """Like :func:`parse_date`, with the span it was read from (to judge the words around it)."""
    if not text:
        return None
    text = squash(text.replace("\xa0", " "))
    if not text or len(text) > MAX_TEXT_CHARS:
        return None
    low = text.lower()
    zone = _zone(timezone)
    langs = tuple(languages) or DEFAULT_LANGUAGES
    if RFC822.match(low):
        found = _read_rfc822(low, zone)
        if found is not None:
            return found if _plausible(found.value, zone, fetched_at) else None
    candidates = [c for c in (_read_iso(low, zone), _read_numeric(low, zone, langs),
                              _read_month_words(low, zone, fetched_at)) if c is not None]
    if candidates:
        candidates.sort(key=lambda c: c.start)
        return next((c for c in candidates if _plausible(c.value, zone, fetched_at)), None)
    found = _read_relative(low, zone, fetched_at)
    if found is not None:
        return found
    return _read_with_dateparser(text, langs, zone, fetched_at)


def to_utc(value: str | None, tz: str | None = None) -> datetime | None:
    """An aware UTC datetime for a stored or feed value; naive ones are read in ``tz``."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    zone: Any = _zone(tz) or UTC
    moment: datetime | None
    try:
        if len(text) <= 10:
            moment = datetime.combine(date.fromisoformat(text), time(0))
        else:
            moment = datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", text))
    except ValueError:
        moment = _rfc822(text.lower())
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def latest_date(raws: Iterable[str | None], *, languages: Sequence[str],
                timezone: str | None) -> tuple[str, datetime] | None:
    """The latest of some feed/sitemap date strings: stored form and UTC moment."""
    found: list[tuple[datetime, str]] = []
    for raw in raws:
        value = parse_date(raw, languages=languages, timezone=timezone) if raw else None
        moment = to_utc(value, timezone) if value else None
        if value is not None and moment is not None:
            found.append((moment, value))
    if not found:
        return None
    moment, value = max(found)
    return value, moment


# -- readers: each returns the first date of its kind, or None ------------------------
def _read_iso(low: str, zone: ZoneInfo | None) -> FoundDate | None:
    for match in ISO.finditer(low):
        day = make_date(match["y"], match["m"], match["d"])
        if day is not None:
            return FoundDate(_stored(day, match, zone, iso=True), match.start(), match.end())
    return None


def _read_rfc822(low: str, zone: ZoneInfo | None) -> FoundDate | None:
    moment = _rfc822(low)
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    if moment.tzinfo is None:                                   # no zone written: local time
        return FoundDate(_localise(moment, zone), 0, len(low))
    return FoundDate(moment.isoformat(timespec="seconds"), 0, len(low))


def _rfc822(low: str) -> datetime | None:
    """An RFC 822 date; aware only when a zone is written (email.utils assumes +0000)."""
    parsed = parsedate_tz(low)
    if not parsed:
        return None
    try:
        moment = datetime(*parsed[:6])  # noqa: DTZ001 (aware below only if a zone is written)
    except ValueError:
        return None
    if parsed[9] is not None and RFC822_ZONE.search(low):
        moment = moment.replace(tzinfo=dt_timezone(timedelta(seconds=parsed[9])))
    return moment


def _read_numeric(low: str, zone: ZoneInfo | None,
                  languages: tuple[str, ...]) -> FoundDate | None:
    match = YMD.search(low) or YMD_CJK.search(low)
    day = make_date(match["y"], match["m"], match["d"]) if match else None
    if match and day is not None:
        return _with_time_nearby(low, day, match.start(), match.end(), zone)
    month_first = languages == ("en",)     # "11/20/2026" on an English-only site
    for match in DMY.finditer(low):
        first, second, year, sep = int(match["d"]), int(match["m"]), match["y"], match["sep"]
        if sep == "-" and len(year) == 2:
            continue                       # "22-33-44" is a phone number
        if second > 12 or (month_first and sep == "/" and first <= 12):
            first, second = second, first
        day = make_date(year, second, first)
        if day is not None:
            return _with_time_nearby(low, day, match.start(), match.end(), zone)
    return None


def _read_month_words(low: str, zone: ZoneInfo | None,
                      fetched_at: datetime | None) -> FoundDate | None:
    best: FoundDate | None = None
    for pattern in (D_MONTH_Y, MONTH_D_Y):
        for match in pattern.finditer(low):
            if best is not None and match.start() >= best.start:
                break
            month = MONTHS.get(match["mon"])
            if month is None:
                continue
            if match["y"] is None:
                if match["mon"] in NOT_ALONE and (match["mon"] != "may" or pattern is MONTH_D_Y):
                    continue
                day = _infer_year(int(match["d"]), month, zone, fetched_at)
            else:
                day = make_date(match["y"], month, match["d"])
            if day is not None:
                best = _with_time_nearby(low, day, match.start(), match.end(), zone)
                break
    return best


def _read_relative(low: str, zone: ZoneInfo | None,
                   fetched_at: datetime | None) -> FoundDate | None:
    if fetched_at is None:
        return None
    now = _local(fetched_at, zone)
    match = AGO.search(low)
    if match:
        n = match["n"]
        amount = int(n) if n and n.isdigit() else 1
        unit = match["unit"]
        if unit.startswith("год") and match["word"] == "назад":
            return None                    # Russian "год назад" is a year ago: too vague
        if unit.startswith(("д", "day", "доб")):
            day = now.date() - timedelta(days=amount)
        elif unit.startswith(("w", "нед", "тиж")):
            day = now.date() - timedelta(days=7 * amount)
        else:
            seconds = 1 if unit.startswith(("sec", "сек")) else AGO_SECONDS.get(unit[0], 60)
            moment = (now - timedelta(seconds=seconds * amount)).replace(second=0, microsecond=0)
            return FoundDate(_format_local(moment, zone), match.start(), match.end())
        return FoundDate(day.isoformat(), match.start(), match.end())
    match = RELATIVE_DAY.search(low)
    if match:
        day = now.date() - timedelta(days=DAY_SHIFT[match["word"]])
        return _with_time_nearby(low, day, match.start(), match.end(), zone)
    match = JUST_NOW.search(low)
    if match:
        moment = now.replace(second=0, microsecond=0)
        return FoundDate(_format_local(moment, zone), match.start(), match.end())
    return None


@lru_cache(maxsize=32)
def _dateparser(languages: tuple[str, ...]) -> Any:
    """One parser per language set: building one costs more than parsing with it."""
    from dateparser.date import DateDataParser  # ~0.5 s to import: only when needed

    settings = {"DATE_ORDER": "DMY" if {"ru", "uk", "be"} & set(languages) else "MDY",
                "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                # Relative forms are read above, against the fetch time; never "now".
                "PARSERS": ["custom-formats", "absolute-time"]}
    usable = [lang for lang in languages if dateparser_knows(lang)]
    return DateDataParser(languages=usable or ["en"], settings=settings)


@lru_cache(maxsize=64)
def dateparser_knows(language: str) -> bool:
    """Whether dateparser has this language: a parser given one it lacks fails on every
    string it parses, not when it is made."""
    from dateparser.languages.loader import default_loader

    try:
        default_loader.get_locale_map(languages=[language])
    except ValueError:                     # "Unknown language(s)"
        return False
    return True


def _read_with_dateparser(text: str, languages: tuple[str, ...], zone: ZoneInfo | None,
                          fetched_at: datetime | None) -> FoundDate | None:
    """The slow path: short strings with a year, a day number and a word."""
    if (len(text) > DATEPARSER_MAX_CHARS or not YEAR4.search(text)
            or len(DAY_NUMBER.findall(text)) < 1 or not LETTERS3.search(text)):
        return None
    try:
        moment = _dateparser(languages).get_date_data(text).date_obj
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if moment is None:
        return None
    moment = moment.replace(tzinfo=None)
    has_time = TIME_ANYWHERE.search(text.lower()) is not None
    value = _format_local(moment, zone) if has_time else moment.date().isoformat()
    return FoundDate(value, 0, len(text)) if _plausible(value, zone, fetched_at) else None


# -- helpers --------------------------------------------------------------------------
def _with_time_nearby(low: str, day: date, start: int, end: int,
                      zone: ZoneInfo | None) -> FoundDate:
    """The day, with the time written right after it ("в 14:30") or right before it."""
    after = TIME_AFTER.match(low, end)
    if after:
        return FoundDate(_stored(day, after, zone), start, after.end())
    times = list(TIME_ANYWHERE.finditer(low, 0, start))
    before = times[-1] if times else None
    if before is not None and not low[before.end():start].strip(" ,|/–—-"):
        return FoundDate(_stored(day, before, zone), before.start(), end)
    return FoundDate(day.isoformat(), start, end)


def _stored(day: date, match: re.Match, zone: ZoneInfo | None, iso: bool = False) -> str:
    if match["h"] is None:
        return day.isoformat()
    hour = int(match["h"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    moment = datetime.combine(day, time(hour, int(match["mi"]), int(match["s"] or 0)))
    offset = _offset(match, iso)
    if offset is not None:
        return moment.replace(tzinfo=offset).isoformat(timespec="seconds")
    return _localise(moment, zone)


def _offset(match: re.Match, iso: bool) -> dt_timezone | None:
    """The zone written after a time: Z, GMT, UTC+3, МСК, +03:00, +0300."""
    text = match["zone"]
    if not text:
        return None
    if text in ("z", "gmt", "utc"):
        return UTC
    if text.strip("()") in ("мск", "msk"):
        return dt_timezone(timedelta(hours=3))
    if text[0] in "+-" and not iso and not match["zsp"] and match["s"] is None:
        return None                        # "10:00-12:00" is a range, not an offset
    sign_at = max(text.find("+"), text.find("-"))
    digits = text[sign_at + 1:].replace(":", "").strip()
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    if not hours or int(hours) > 14:
        return None
    sign = -1 if text[sign_at] == "-" else 1
    return dt_timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _localise(moment: datetime, zone: ZoneInfo | None) -> str:
    """A wall-clock time in the source's zone (naive when no zone is known)."""
    if zone is None:
        return moment.isoformat(timespec="seconds")
    return moment.replace(tzinfo=zone).isoformat(timespec="seconds")


def _format_local(moment: datetime, zone: ZoneInfo | None) -> str:
    if moment.tzinfo is not None:
        return moment.isoformat(timespec="seconds")
    return _localise(moment, zone)


def _local(fetched_at: datetime, zone: ZoneInfo | None) -> datetime:
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return fetched_at.astimezone(zone) if zone else fetched_at


def make_date(year: str | int, month: str | int, day: str | int) -> date | None:
    """The day, when it exists and falls in MIN_YEAR..MAX_YEAR (two-digit years: 1970-2069)."""
    y = int(year)
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        result = date(y, int(month), int(day))
    except ValueError:
        return None
    return result if MIN_YEAR <= result.year <= MAX_YEAR else None


def _infer_year(day: int, month: int, zone: ZoneInfo | None,
                fetched_at: datetime | None) -> date | None:
    """'5 ноября' means the latest 5 November not after the fetch (give or take a day)."""
    if fetched_at is None:
        return None
    today = _local(fetched_at, zone).date()
    for year in (today.year + 1, today.year, today.year - 1):
        candidate = make_date(year, month, day)
        if candidate is not None and candidate <= today + timedelta(days=1):
            return candidate
    return None


def _plausible(value: str, zone: ZoneInfo | None, fetched_at: datetime | None) -> bool:
    """Not before 1990, and not more than a day after the page was fetched."""
    if not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return False
    if fetched_at is None:
        return True
    moment = to_utc(value, zone.key if zone else None)
    return moment is not None and moment <= _local(fetched_at, None) + timedelta(days=1)


@lru_cache(maxsize=256)
def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
