"""The sources file: which portals to follow and how to read them.

Validation is strict on purpose: a typo in a key must not silently disable a
source, so unknown keys are errors, and every error names the source and field.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aggregator.config.fields import FieldChecker
from aggregator.errors import SourcesError

ID_RE = re.compile(r"^[a-z0-9_-]+$")
LANG_RE = re.compile(r"^[a-z]{2}$")
DEFAULT_MAX_LISTING_PAGES = 5

KNOWN_KEYS = {
    "id", "name", "homepage", "language", "timezone", "region", "country", "feeds",
    "sitemaps", "listings", "article_pattern", "max_listing_pages", "enabled", "schedule",
}
REQUIRED_KEYS = ("id", "name", "homepage", "timezone")
# Hosts that answer a cloud instance's own metadata (credentials among it): never news.
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data",
                  "instance-data.ec2.internal", "metadata.tencentyun.com"}
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in (
    "169.254.169.254",    # AWS, GCP, Azure, Oracle, DigitalOcean...
    "fd00:ec2::254",      # AWS over IPv6
    "100.100.100.200",    # Alibaba Cloud
)}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_SPELLING = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)
# The tables of the file; the digest's own ones are read by aggregator.config.
TOP_LEVEL_KEYS = {"source", "topic", "digest", "smtp", "schedule"}


@dataclass(frozen=True)
class Source:
    """One followed portal, as declared in the sources file."""

    id: str
    name: str
    homepage: str
    timezone: str
    languages: tuple[str, ...] = ()
    region: str | None = None
    country: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_pattern: str | None = None
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    enabled: bool = True
    schedule: str | None = None        # cron expression; None: the [schedule] default
    _pattern: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.article_pattern:
            object.__setattr__(self, "_pattern", re.compile(self.article_pattern))

    @property
    def language(self) -> str | None:
        """The main language (the first declared), for display and defaults."""
        return self.languages[0] if self.languages else None

    def is_article_url(self, url: str) -> bool:
        """Whether a link looks like an article of this source (its pattern)."""
        if self._pattern is None:
            return False
        return self._pattern.search(url) is not None

    def as_row(self) -> dict[str, Any]:
        """The source as a row of the `sources` table."""
        return {
            "id": self.id, "name": self.name, "homepage": self.homepage,
            "language": ",".join(self.languages), "timezone": self.timezone,
            "region": self.region, "country": self.country,
            "feeds": list(self.feeds), "sitemaps": list(self.sitemaps),
            "listings": list(self.listings), "article_pattern": self.article_pattern,
            "max_listing_pages": self.max_listing_pages, "enabled": int(self.enabled),
        }


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise SourcesError listing every problem."""
    return parse_sources(read_toml(path), str(path))


def read_toml(path: str | Path) -> dict[str, Any]:
    """The parsed sources file, or a SourcesError that says why it cannot be read."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(str(path), ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise SourcesError(str(path), [f"not UTF-8 text: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(str(path), [f"not valid TOML: {exc}"]) from None


def parse_sources(data: dict[str, Any], origin: str = "<sources>") -> list[Source]:
    """Validate already-parsed TOML data (see load_sources)."""
    problems: list[str] = []
    extra = sorted(set(data) - TOP_LEVEL_KEYS)
    if extra:
        problems.append(f"unknown top-level key(s) {', '.join(extra)}: the file holds "
                        "[[source]], [[topic]], [digest], [smtp] and [schedule] tables")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        problems.append("no [[source]] entries")
        raise SourcesError(origin, problems)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        label = f"source #{index}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            label = f"source {entry['id']!r}"
        source, entry_problems = _parse_entry(entry, label)
        problems.extend(entry_problems)
        if source is None:
            continue
        if source.id in seen:
            problems.append(f"{label}: field 'id': duplicate id (also source #{seen[source.id]})")
            continue
        seen[source.id] = index
        sources.append(source)
    if problems:
        raise SourcesError(origin, problems)
    return sources


def _parse_entry(entry: Any, label: str) -> tuple[Source | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"{label}: must be a table"]
    problems: list[str] = []
    check = FieldChecker(problems)
    check.unknown(label, entry, KNOWN_KEYS)
    for key in REQUIRED_KEYS:
        check.text(label, entry, key)
    if isinstance(entry.get("id"), str) and not ID_RE.match(entry["id"]):
        check.bad(label, "id", "use only a-z, 0-9, '_' and '-'")
    if isinstance(entry.get("timezone"), str) and entry["timezone"].strip():
        check.timezone(label, entry, "timezone")
    if isinstance(entry.get("homepage"), str) and (why := url_problem(entry["homepage"])):
        check.bad(label, "homepage", why)

    languages = check.strings(label, entry, "language", "a language code or a list of them")
    for lang in languages:
        if not LANG_RE.match(lang):
            check.bad(label, "language", f"{lang!r} is not an ISO 639-1 code like 'ru'")

    url_lists: dict[str, list[str]] = {}
    for key in ("feeds", "sitemaps", "listings"):
        url_lists[key] = check.strings(label, entry, key, "a list of URLs")
        for url in url_lists[key]:
            if why := url_problem(url):
                check.bad(label, key, why)
    if not any(url_lists.values()):
        problems.append(f"{label}: fields 'feeds', 'sitemaps', 'listings': "
                        "declare at least one feed, sitemap or listing page")

    pattern = entry.get("article_pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern:
            check.bad(label, "article_pattern",
                      "must be a non-empty string (a regular expression)")
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                check.bad(label, "article_pattern",
                          f"invalid regular expression {pattern!r}: {exc}")
    elif url_lists.get("listings"):
        check.bad(label, "article_pattern", "required when listings are declared "
                                            "(it tells article links from the rest)")

    max_pages = entry.get("max_listing_pages", DEFAULT_MAX_LISTING_PAGES)
    if "max_listing_pages" in entry:
        max_pages = check.integer(label, entry, "max_listing_pages", 1)
    enabled = entry.get("enabled", True)
    if "enabled" in entry:
        enabled = check.flag(label, entry, "enabled")
    for key in ("region", "country"):
        if key in entry and not isinstance(entry[key], str):
            check.bad(label, key, "must be a string")
    if "schedule" in entry:
        from aggregator.config.schedule import cron_problem

        problem = cron_problem(entry["schedule"], "UTC")
        if problem:
            check.bad(label, "schedule", problem)

    if problems:
        return None, problems
    return Source(
        id=entry["id"], name=entry["name"].strip(), homepage=entry["homepage"],
        timezone=entry["timezone"], languages=tuple(languages),
        region=entry.get("region"), country=entry.get("country"),
        feeds=tuple(url_lists["feeds"]), sitemaps=tuple(url_lists["sitemaps"]),
        listings=tuple(url_lists["listings"]), article_pattern=pattern,
        max_listing_pages=max_pages, enabled=enabled, schedule=entry.get("schedule"),
    ), []


def url_problem(url: str) -> str | None:
    """Why a URL cannot be a news site's page (not http(s), no host, a link-local or
    cloud metadata address), or None. Loopback stays allowed: tests and the demo use it."""
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port            # .port checks the port number
    except ValueError as exc:
        return f"not a valid URL: {url!r} ({exc})"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return f"not an http(s) URL: {url!r}"
    host = host.rstrip(".")
    if host in METADATA_HOSTS:
        return f"{url!r} is a cloud metadata host, never a news site"
    address = _ip_address(host)
    if address is None:
        return None
    if address in METADATA_ADDRESSES:
        return f"{url!r} is a cloud metadata address ({address}), never a news site"
    if address.is_link_local:
        return (f"{url!r} is a link-local address ({address}; 169.254.0.0/16, fe80::/10), "
                "never a news site")
    return None


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, in any spelling a resolver accepts
    ("169.254.169.254", "0xa9fea9fe", "2852039166", "::ffff:169.254.169.254"), or None."""
    try:
        address = ipaddress.ip_address(host.partition("%")[0])      # IPv6 zone id dropped
    except ValueError:
        if not IPV4_SPELLING.match(host):
            return None
        try:                                           # the legacy forms inet_aton reads
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or (
            ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        return embedded or address
    return address


def select_sources(sources: list[Source], ids: tuple[str, ...] | list[str] = ()) -> list[Source]:
    """The enabled sources, or exactly the named ones (an unknown id is an error)."""
    if not ids:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise SourcesError("--source", [f"unknown source id {i!r} (known: "
                                        f"{', '.join(sorted(by_id))})" for i in unknown])
    return [by_id[i] for i in ids]
