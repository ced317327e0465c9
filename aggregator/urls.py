"""URL normalization, so that variants of one page make one row."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that only track where a click came from.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|ysclid|_openstat|mc_cid|mc_eid|"
    r"igshid|ref_src|_ga|_gl|from|share|amp)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The canonical spelling of a URL: no fragment or tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    keep = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMS.match(k)]
    cleaned = url_query_cleaner(url.strip(), parameterlist=keep, remove=False, unique=False,
                                keep_fragments=False) if parts.query else url.strip()
    canonical = canonicalize_url(cleaned, keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{netloc}{path}{query}"


def site_key(url: str) -> str:
    """Host (and non-default port) without a leading 'www.': what 'the same site' means."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{port}"
    return host


def same_site(url: str, other: str) -> bool:
    """Whether two URLs belong to one site (subdomains of the homepage's host count too)."""
    a, b = site_key(url), site_key(other)
    return a == b or a.endswith("." + b)
