"""How dates are written in ru/uk/en news: month names, clock times, relative words.

The vocabulary of :mod:`aggregator.dates.parse`, as precompiled patterns. Month names come
in every grammatical case (ноября, листопада, листопаді), with the usual
abbreviations (нояб., лист., Nov.); a time may follow a date ("в 14:30", "о 16:40",
", 2:30 pm") with a zone ("Z", "+03:00", "GMT+3", "МСК").
"""

from __future__ import annotations

import re

# Every written form of each month: ru/uk cases, English names, common abbreviations.
_MONTH_FORMS = {
    1: "январь января январе янв січень січня січні січ january jan",
    2: "февраль февраля феврале фев февр лютий лютого лютому лют february feb",
    3: "март марта марте мар березень березня березні бер берез march mar",
    4: "апрель апреля апреле апр квітень квітня квітні квіт april apr",
    5: "май мая мае травень травня травні трав may",
    6: "июнь июня июне июн червень червня червні черв june jun",
    7: "июль июля июле июл липень липня липні лип july jul",
    8: "август августа августе авг серпень серпня серпні серп august aug",
    9: "сентябрь сентября сентябре сен сент вересень вересня вересні вер september sep sept",
    10: "октябрь октября октябре окт жовтень жовтня жовтні жовт жов october oct",
    11: "ноябрь ноября ноябре ноя нояб листопад листопада листопаді лист лис листоп "
        "november nov",
    12: "декабрь декабря декабре дек грудень грудня грудні груд december dec",
}
# Western European names: international networks quote them, and the benchmarks have some.
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
    10: "oktober octobre octubre ottobre outubro październik października",
    11: "novembre noviembre novembro listopad listopada",
    12: "dezember dez décembre decembre diciembre dicembre dezembro grudzień grudnia",
}
MONTHS = {form: month for table in (_MONTH_FORMS_WEST, _MONTH_FORMS)
          for month, forms in table.items() for form in forms.split()}
# Without a year, only a full month name makes a date: "лист 5" is a letter, "may 5" a verb.
NOT_ALONE = set("jan feb mar apr may jun jul aug sep sept oct nov dec mrz dez янв фев февр "
                "мар апр июн июл авг сен сент окт ноя нояб дек січ лют бер берез квіт трав "
                "черв лип серп вер жовт жов лист лис листоп груд".split())

_WORD = r"[a-zа-яёіїєґäöüéèûôçñßąćęłńóśźż]+"
# A clock time, then an optional zone. A bare "+03:00" right after "10:00" with no
# space and no seconds is more likely a range ("10:00-12:00"): dates._offset() drops it.
_TIME = (r"(?P<h>[01]?\d|2[0-3])\s?:\s?(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d)(?:[.,]\d{1,9})?)?"
         r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
         r"(?:(?P<zsp>\s*)(?P<zone>z(?![a-zа-я])|(?:gmt|utc)(?:\s?[+-]\d{1,2}(?::?\d\d)?)?"
         r"|\(?(?:мск|msk)\)?|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?(?!\d)))?")
_YEAR_TAIL = r"(?:\s*(?:г\.|г\b|гг\.|года|год|р\.|р\b|року|рік|y\.))?"

ISO = re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                 r"(?:(?:t|\s+)" + _TIME + r")?(?!\d)")
YMD = re.compile(r"(?<![\d.])(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d.])")
# Chinese, Japanese and Korean write the units: 2020年07月03日, 2020년 7월 3일.
YMD_CJK = re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]")
DMY = re.compile(r"(?<![\d.:/-])(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)"
                 r"(?P<y>\d{4}|\d{2})(?![\d:]|[./-]\d)" + _YEAR_TAIL)
D_MONTH_Y = re.compile(r"(?<![\d.])(?P<d>\d{1,2})(?:-?(?:го|ого|е|ое|st|nd|rd|th|er)|\.)?\s*"
                       r"(?:of\s+|de\s+)?(?P<mon>" + _WORD + r")\.?"
                       r"(?:,?\s+(?:de\s+)?(?P<y>\d{4})(?!\d)" + _YEAR_TAIL + ")?")
MONTH_D_Y = re.compile(r"\b(?P<mon>" + _WORD + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
                       r"(?:,?\s+(?P<y>\d{4}))?(?!\d)")
TIME_ANYWHERE = re.compile(r"(?<![\d:])" + _TIME + r"(?![\d:])")
TIME_AFTER = re.compile(r"[\s,|/–—-]*(?:(?:в|во|о|об|at|um|à|,)\s*)?" + _TIME + r"(?![\d:])")
RFC822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d\d")
# email.utils reads a missing zone as +0000: whether one is written is checked here.
RFC822_ZONE = re.compile(r"\d:\d\d(?::\d\d)?\s*(?:[+-]\d{4}|[a-z]{1,5})\b")

RELATIVE_DAY = re.compile(r"\b(?P<word>позавчера|позавчора|вчера|вчора|сегодня|сьогодні|"
                          r"the day before yesterday|yesterday|today)\b")
DAY_SHIFT = {"позавчера": 2, "позавчора": 2, "the day before yesterday": 2, "вчера": 1,
             "вчора": 1, "yesterday": 1, "сегодня": 0, "сьогодні": 0, "today": 0}
JUST_NOW = re.compile(r"\b(?:только что|щойно|just now)\b")
AGO = re.compile(
    r"(?:(?P<n>\d+|an?|one|одну|одна|один|одно)\s+)?(?P<unit>"
    r"секунд\w*|сек\b\.?|seconds?|secs?|minutes?|mins?|минут\w*|мин\b\.?|хвилин\w*|хв\b\.?|"
    r"hours?|hrs?|час\w*|годин\w*|год\b\.?|days?|дн\w*|день|доб\w*|weeks?|недел\w*|"
    r"тижд\w*|тижн\w*)\s+(?P<word>назад|тому|ago)\b")
AGO_SECONDS = {"h": 3600, "ч": 3600, "г": 3600}   # hours; seconds and minutes below

YEAR4 = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
LETTERS3 = re.compile(r"[^\W\d_]{3}")
