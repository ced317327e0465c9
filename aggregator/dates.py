"""Mixed-language date strings to the stored form, without inventing anything.

Stored forms: ``2026-11-20T14:30:00+04:00`` when a time is known (the text's
own offset, else the source's zone), ``2026-11-20T14:30:00`` when no zone is
known at all, ``2026-11-20`` when only the day is known. Anything short of a
full day (a year, a month, a copyright range) is no date.

The common news forms are read by regular expressions (microseconds);
dateparser, always with explicit languages and day-first order, only gets what
they leave. Relative forms ("вчера", "2 години тому") need the fetch time;
without it they are no date, never "now".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from email.utils import parsedate_tz
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIN_YEAR = 1990
MAX_YEAR = 2100
DEFAULT_LANGUAGES = ("ru", "uk", "en")

# Every written form of each month: ru/uk cases, English names, common abbreviations.
_MONTH_FORMS = {
    1: "январь января январе янв січень січня січні січ january jan",
    2: "февраль февраля феврале фев февр лютий лютого лютому лют february feb",
    3: "март марта марте мар березень березня березні бер march mar",
    4: "апрель апреля апреле апр квітень квітня квітні квіт april apr",
    5: "май мая мае травень травня травні трав may",
    6: "июнь июня июне июн червень червня червні черв june jun",
    7: "июль июля июле июл липень липня липні лип july jul",
    8: "август августа августе авг серпень серпня серпні серп august aug",
    9: "сентябрь сентября сентябре сен сент вересень вересня вересні вер september sep sept",
    10: "октябрь октября октябре окт жовтень жовтня жовтні жовт october oct",
    11: "ноябрь ноября ноябре ноя нояб листопад листопада листопаді лист лис november nov",
    12: "декабрь декабря декабре дек грудень грудня грудні груд dec december",
}
# Western European names, for the pages of international networks and the benchmarks.
_MONTH_FORMS_WEST = {
    1: "januar jänner janvier enero gennaio janeiro styczeń stycznia",
    2: "februar feber février fevrier febrero febbraio fevereiro luty lutego",
    3: "märz mrz mars marzo março marca",
    4: "avril abril aprile kwiecień kwietnia",
    5: "mai mayo maggio maio maj maja",
    6: "juni juin junio giugno junho czerwiec czerwca",
    7: "juli juillet julio luglio julho lipiec lipca",
    8: "août aout agosto sierpień sierpnia",
    9: "septembre septiembre settembre setembro wrzesień września",
    10: "oktober okt octobre octubre ottobre outubro październik października",
    11: "novembre noviembre novembro listopad listopada",
    12: "dezember dez décembre decembre diciembre dicembre dezembro grudzień grudnia",
}
_MONTHS = {form: month for table in (_MONTH_FORMS_WEST, _MONTH_FORMS)
           for month, forms in table.items() for form in forms.split()}

_WORD = r"[a-zа-яёіїєґäöüéèûôçñßąćęłńóśźż]+"
_TIME = (r"(?P<h>[01]?\d|2[0-3])\s*:\s*(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?(?:\.\d+)?"
         r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
         r"\s*(?P<zone>z\b|gmt|utc|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?")
_YEAR_TAIL = r"(?:\s*(?:г\.|г\b|гг\.|года|год|р\.|р\b|року|рік|y\.))?"

_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                  r"(?:(?:t|\s+)" + _TIME + r")?(?!\d)")
_YMD = re.compile(r"(?<![\d.])(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d.])")
_DMY = re.compile(r"(?<![\d.:/])(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4}|\d{2})"
                  r"(?![\d:]|\.\d)" + _YEAR_TAIL)
_D_MONTH_Y = re.compile(r"(?<![\d.])(?P<d>\d{1,2})(?:-?(?:го|е|st|nd|rd|th|er)|\.)?\s*"
                        r"(?:of\s+|de\s+)?(?P<mon>" + _WORD + r")\.?"
                        r"(?:,?\s+(?:de\s+)?(?P<y>\d{4})(?!\d)" + _YEAR_TAIL + ")?")
_MONTH_D_Y = re.compile(r"\b(?P<mon>" + _WORD + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
                        r"(?:,?\s+(?P<y>\d{4}))?(?!\d)")
_TIME_ANYWHERE = re.compile(r"(?<![\d:])" + _TIME + r"(?![\d:])")

_RELATIVE_DAY = re.compile(r"\b(?P<word>позавчера|позавчора|вчера|вчора|сегодня|сьогодні|"
                           r"the day before yesterday|yesterday|today)\b")
_DAY_SHIFT = {"позавчера": 2, "позавчора": 2, "the day before yesterday": 2, "вчера": 1,
              "вчора": 1, "yesterday": 1, "сегодня": 0, "сьогодні": 0, "today": 0}
_AGO = re.compile(
    r"(?:(?P<n>\d+|an?|one|одну|одна|один)\s+)?(?P<unit>"
    r"секунд\w*|сек\.?|minutes?|mins?|минут\w*|мин\.?|хвилин\w*|хв\.?|"
    r"hours?|hrs?|час\w*|годин\w*|год\.?|days?|дн\w*|день|доби)\s+(?:назад|тому|ago)\b")


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
    if not text:
        return None
    text = " ".join(text.replace("\xa0", " ").split())
    if not text or len(text) > 400:
        return None
    low = text.lower()
    zone = _zone(timezone)
    for reader in (_read_iso, _read_rfc822, _read_numeric, _read_month_words):
        found = reader(low, zone, fetched_at)
        if found is not None:
            return found if _plausible(found.value, zone, fetched_at) else None
    found = _read_relative(low, zone, fetched_at)
    if found is not None:
        return found
    return _read_with_dateparser(text, tuple(languages), zone, fetched_at)


def to_utc(value: str | None, tz: str | None = None) -> datetime | None:
    """An aware UTC datetime for a stored or feed value; naive ones are read in ``tz``."""
    if not value:
        return None
    value = value.strip()
    zone = _zone(tz) or dt_timezone.utc
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(0), zone)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        parsed = parsedate_tz(value)
        if not parsed:
            return None
        moment = datetime(*parsed[:6], tzinfo=dt_timezone(timedelta(seconds=parsed[9] or 0)))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt_timezone.utc)


_URL_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?!\d)")
_URL_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def date_from_url(url: str | None) -> str | None:
    """A day written in the URL's path (``/2026/11/20/``, ``2026-11-20-slug``, ``20261120``)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE).split("?")[0]
    for pattern in (_URL_YMD, _URL_COMPACT):
        for match in pattern.finditer(path):
            day = _make_date(match["y"], match["m"], match["d"])
            if day is not None:
                return day.isoformat()
    return None


# -- readers --------------------------------------------------------------------------
def _read_iso(low: str, zone: ZoneInfo | None, fetched_at: datetime | None) -> FoundDate | None:
    match = _ISO.search(low)
    if not match:
        return None
    day = _make_date(match["y"], match["m"], match["d"])
    if day is None:
        return None
    return FoundDate(_stored(day, match, zone), match.start(), match.end())


def _read_rfc822(low: str, zone: ZoneInfo | None,
                 fetched_at: datetime | None) -> FoundDate | None:
    if not re.match(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}", low):
        return None
    parsed = parsedate_tz(low)
    if not parsed or not 1 <= parsed[1] <= 12:
        return None
    offset = parsed[9]
    moment = datetime(*parsed[:6])
    if offset is None:
        value = _localise(moment, zone)
    else:
        value = moment.replace(tzinfo=dt_timezone(timedelta(seconds=offset))).isoformat(
            timespec="seconds")
    return FoundDate(value, 0, len(low))


def _read_numeric(low: str, zone: ZoneInfo | None,
                  fetched_at: datetime | None) -> FoundDate | None:
    for pattern in (_YMD, _DMY):
        match = pattern.search(low)
        if match:
            day = _make_date(match["y"], match["m"], match["d"])
            if day is not None:
                return _with_time_nearby(low, day, match.start(), match.end(), zone)
    return None


def _read_month_words(low: str, zone: ZoneInfo | None,
                      fetched_at: datetime | None) -> FoundDate | None:
    for pattern in (_D_MONTH_Y, _MONTH_D_Y):
        for match in pattern.finditer(low):
            month = _month(match["mon"])
            if month is None:
                continue
            year = match["y"]
            if year is None:
                day = _infer_year(int(match["d"]), month, zone, fetched_at)
            else:
                day = _make_date(year, month, match["d"])
            if day is not None:
                return _with_time_nearby(low, day, match.start(), match.end(), zone)
    return None


def _read_relative(low: str, zone: ZoneInfo | None,
                   fetched_at: datetime | None) -> FoundDate | None:
    if fetched_at is None:
        return None
    local_now = _local(fetched_at, zone)
    match = _AGO.search(low)
    if match:
        n = match["n"]
        amount = int(n) if n and n.isdigit() else 1
        unit = match["unit"]
        if unit.startswith(("д", "day", "доб")):
            return FoundDate((local_now.date() - timedelta(days=amount)).isoformat(),
                             match.start(), match.end())
        if unit.startswith(("сек", "sec")):
            delta = timedelta(seconds=amount)
        elif unit.startswith(("h", "час", "год")):
            delta = timedelta(hours=amount)
        else:
            delta = timedelta(minutes=amount)
        moment = (local_now - delta).replace(second=0, microsecond=0)
        return FoundDate(_format_local(moment, zone), match.start(), match.end())
    match = _RELATIVE_DAY.search(low)
    if match:
        day = local_now.date() - timedelta(days=_DAY_SHIFT[match["word"]])
        return _with_time_nearby(low, day, match.start(), match.end(), zone)
    return None


@lru_cache(maxsize=32)
def _dateparser_settings(languages: tuple[str, ...]) -> tuple[tuple[str, ...], dict]:
    langs = tuple(lang for lang in languages if lang in ("ru", "uk", "en", "be", "de", "fr",
                                                         "es", "it", "pl", "pt")) or ("en",)
    settings = {"DATE_ORDER": "DMY" if {"ru", "uk"} & set(langs) else "MDY",
                "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    return langs, settings


def _read_with_dateparser(text: str, languages: tuple[str, ...], zone: ZoneInfo | None,
                          fetched_at: datetime | None) -> FoundDate | None:
    """The slow path, only for short strings with a digit that the readers did not take."""
    if len(text) > 60 or not re.search(r"\d", text) or not re.search(r"[^\W\d_]{3}", text):
        return None
    import dateparser  # imported lazily: it takes ~0.5 s to load its language data

    langs, settings = _dateparser_settings(languages)
    settings = dict(settings)
    # Without a fetch time, relative forms must come out implausible (1900), not "now".
    settings["RELATIVE_BASE"] = (_local(fetched_at, zone).replace(tzinfo=None)
                                 if fetched_at is not None else datetime(1900, 6, 15))
    try:
        moment = dateparser.parse(text, languages=list(langs), settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    has_time = _TIME_ANYWHERE.search(text.lower()) is not None
    value = _format_local(moment, zone) if has_time else moment.date().isoformat()
    return FoundDate(value, 0, len(text)) if _plausible(value, zone, fetched_at) else None


# -- helpers --------------------------------------------------------------------------
def _with_time_nearby(low: str, day: date, start: int, end: int,
                      zone: ZoneInfo | None) -> FoundDate:
    """The day, with the time written right after it ("в 14:30") or right before it."""
    after = re.compile(r"[\s,|/–—-]*(?:в|во|о|об|at|um|,)?\s*" + _TIME).match(low, end)
    if after and after["h"] is not None:
        return FoundDate(_stored(day, after, zone), start, after.end())
    before = list(_TIME_ANYWHERE.finditer(low, 0, start))
    if before and not low[before[-1].end():start].strip(" ,|/–—-"):
        return FoundDate(_stored(day, before[-1], zone), before[-1].start(), end)
    return FoundDate(day.isoformat(), start, end)


def _stored(day: date, match: re.Match, zone: ZoneInfo | None) -> str:
    if match["h"] is None:
        return day.isoformat()
    hour = int(match["h"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    moment = datetime.combine(day, time(hour, int(match["mi"]), int(match["s"] or 0)))
    offset = match["zone"]
    if offset:
        if offset in ("z", "gmt", "utc"):
            tzinfo = dt_timezone.utc
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            tzinfo = dt_timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return moment.replace(tzinfo=tzinfo).isoformat(timespec="seconds")
    return _localise(moment, zone)


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
        fetched_at = fetched_at.replace(tzinfo=dt_timezone.utc)
    return fetched_at.astimezone(zone) if zone else fetched_at


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _make_date(year: str | int, month: str | int, day: str | int) -> date | None:
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
    for year in (today.year, today.year - 1):
        candidate = _make_date(year, month, day)
        if candidate is not None and candidate <= today + timedelta(days=1):
            return candidate
    return None


def _plausible(value: str, zone: ZoneInfo | None, fetched_at: datetime | None) -> bool:
    if not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return False
    if fetched_at is None:
        return True
    moment = to_utc(value, zone.key if zone else None)
    limit = _local(fetched_at, None) + timedelta(days=1)
    return moment is not None and moment <= limit


@lru_cache(maxsize=256)
def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
