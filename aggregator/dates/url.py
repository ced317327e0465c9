"""The day a URL's path is dated with: many CMSs file an article under its day."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aggregator.dates.parse import make_date

_URL_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)[._-](?P<m>[01]?\d)[._-](?P<y>(?:19|20)\d\d)(?!\d)"),
)


def date_from_url(url: str | None) -> str | None:
    """A day written in the URL's path (``/2026/11/20/``, ``2026-11-20-slug``, ``20261120``)."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(path):
            day = make_date(match["y"], match["m"], match["d"])
            if day is not None:
                return day.isoformat()
    return None
