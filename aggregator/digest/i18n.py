"""The digest in its reader's language: labels from the catalogue, plurals and month names
from babel (CLDR), so «5 новостей», «21 новина» and «1 декабря 2026» come out right.

``Language("ru")`` is what the templates see as ``t``: ``t.nothing_new`` is a label,
``t.count("stories", 5)`` a counted phrase, ``t.day(date)`` a date. Dates use a fixed
pattern per language (day, month, year without «г.»), the month in the genitive where
the language has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date

from aggregator.config.digest import LANGUAGES
from aggregator.counters import FAILURE_CAUSES, NOTICES
from aggregator.digest.catalogue import EN, RU, RU_CAUSES, UK, UK_CAUSES, Entry

CATALOGUES: dict[str, dict[str, Entry]] = {"en": EN, "ru": RU, "uk": UK}
DATE_PATTERNS = {"en": "d MMM y", "ru": "d MMMM y", "uk": "d MMMM y"}


def _forms(one: str, few: str, many: str) -> dict[str, str]:
    return {"one": f"{{n}} {one}", "few": f"{{n}} {few}", "many": f"{{n}} {many}"}


# What each cause of a lost page (or notice) is called, counted: English from counters.py.
CAUSES: dict[str, dict[str, dict[str, str]]] = {
    "en": {key: {"one": f"{{n}} {one}", "other": f"{{n}} {many}"}
           for key, (one, many) in (FAILURE_CAUSES | NOTICES).items()},
    "ru": {key: _forms(*names) for key, names in RU_CAUSES.items()},
    "uk": {key: _forms(*names) for key, names in UK_CAUSES.items()},
}


@lru_cache(maxsize=8)
def locale(language: str) -> Locale:
    return Locale.parse(language)


def plural(n: int, language: str) -> str:
    """The CLDR plural category of ``n``: 'one', 'few', 'many' or 'other'."""
    return str(locale(language).plural_form(n))


def format_day(day: date, language: str = "en") -> str:
    """'1 Dec 2026', '1 декабря 2026', '1 грудня 2026'."""
    return str(format_date(day, DATE_PATTERNS[language], locale=locale(language)))


def format_moment(moment: datetime, language: str = "en") -> str:
    """A day and a wall-clock time as they are (convert to the zone wanted first)."""
    return f"{format_day(moment.date(), language)} {moment:%H:%M}"


def counted(forms: Entry, n: int, language: str, **fields: Any) -> str:
    if isinstance(forms, str):
        return forms.format(n=n, **fields)
    return forms[plural(n, language)].format(n=n, **fields)


class Language:
    """One language's catalogue, dates and plurals, for the templates and the code."""

    def __init__(self, code: str = "en") -> None:
        if code not in CATALOGUES:
            raise ValueError(f"no digest catalogue for language {code!r} "
                             f"(use one of {', '.join(LANGUAGES)})")
        self.code = code
        self.catalogue = CATALOGUES[code]

    def __getattr__(self, key: str) -> str:
        """A label by its key (``t.nothing_new``); an unknown key is an AttributeError,
        which a template with StrictUndefined reports by name."""
        if key.startswith("_") or key not in self.catalogue:
            raise AttributeError(key)
        return self.text(key)

    def text(self, key: str, **fields: Any) -> str:
        entry = self.catalogue[key]
        if not isinstance(entry, str):
            raise TypeError(f"digest label {key!r} is counted: use count()")
        return entry.format(**fields) if fields else entry

    def count(self, key: str, n: int, **fields: Any) -> str:
        """The plural form of an entry for ``n``: count("stories", 5) -> '5 новостей'."""
        return counted(self.catalogue[key], n, self.code, **fields)

    def day(self, value: date) -> str:
        return format_day(value, self.code)

    def moment(self, value: datetime) -> str:
        return format_moment(value, self.code)

    def causes(self, counts: Mapping[str, Any]) -> str:
        """'2 HTTP errors, 1 redirect loop' for a crawl_runs row, in this language."""
        names = CAUSES[self.code]
        return ", ".join(counted(names[key], n, self.code)
                         for key in (FAILURE_CAUSES | NOTICES) if (n := counts.get(key) or 0))

    def __repr__(self) -> str:
        return f"Language({self.code!r})"


@lru_cache(maxsize=8)
def language(code: str) -> Language:
    return Language(code)
