"""The digest's part of the sources file: `[digest]`, `[smtp]` and `[[topic]]` tables.

Like the sources, these are validated strictly and every problem names its table
and field. Secrets are never in the file: `[smtp]` names the environment
variables that hold the login.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from aggregator.config.fields import FieldChecker
from aggregator.config.sources import ID_RE

SECURITY_MODES = ("starttls", "tls", "none")
EMPTY_MODES = ("notice", "skip")
OTHER_MODES = ("show", "omit")
# The digest's languages: each has a catalogue in aggregator/digest/i18n.py.
LANGUAGES = ("en", "ru", "uk")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class TopicRule:
    """A topic: keywords written once, matched in every word form (see topics.py)."""

    id: str
    name: str
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 587
    security: str = "starttls"
    username_env: str = "NEWSAGG_SMTP_USER"
    password_env: str = "NEWSAGG_SMTP_PASSWORD"
    ca_file: str | None = None
    timeout: float = 30.0

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True)
class DigestSettings:
    time: time = time(7, 0)
    timezone: str = "UTC"
    recipients: tuple[str, ...] = ()
    sender: str | None = None
    subject: str | None = None     # None: the language's own default subject
    language: str = "en"           # dates, labels and counts: "en", "ru" or "uk"
    empty: str = "notice"          # "notice": a short "nothing new" email; "skip": none
    other: str = "show"            # articles matching no topic: under "Other", or left out
    max_age_days: int = 30         # older articles seen for the first time are counted, not listed
    lead_chars: int = 280
    templates: Path | None = None  # a directory whose templates override the packaged ones
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    topics: tuple[TopicRule, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


DIGEST_KEYS = {"time", "timezone", "recipients", "sender", "subject", "empty", "other",
               "max_age_days", "lead_chars", "templates", "language"}
SMTP_KEYS = {"host", "port", "security", "username_env", "password_env", "ca_file", "timeout"}
TOPIC_KEYS = {"id", "name", "keywords", "exclude"}


def parse_digest_settings(data: dict[str, Any], base_dir: Path,
                          problems: list[str]) -> DigestSettings:
    """Read the digest tables of parsed TOML, appending every problem to ``problems``."""
    checker = FieldChecker(problems)
    digest = checker.table(data, "digest")
    smtp = checker.table(data, "smtp")
    values: dict[str, Any] = {}

    checker.unknown("[digest]", digest, DIGEST_KEYS)
    if "time" in digest:
        match = TIME_RE.match(str(digest["time"]))
        if not isinstance(digest["time"], str) or not match:
            checker.bad("[digest]", "time", "use HH:MM, e.g. \"07:00\" (or HH:MM:SS)")
        else:
            values["time"] = time(int(match[1]), int(match[2]), int(match[3] or 0))
    if "timezone" in digest and (zone := checker.timezone("[digest]", digest, "timezone")):
        values["timezone"] = zone
    recipients = checker.strings("[digest]", digest, "recipients")
    for address in recipients:
        if "@" not in address or any(c in address for c in "\r\n,;<> "):
            checker.bad("[digest]", "recipients", f"not one e-mail address: {address!r}")
    values["recipients"] = tuple(recipients)
    for key in ("sender", "subject"):
        if key in digest:
            if not isinstance(digest[key], str) or not digest[key].strip():
                checker.bad("[digest]", key, "must be a non-empty string")
            elif "\n" in digest[key] or "\r" in digest[key]:
                checker.bad("[digest]", key, "must be one line")
            elif key == "subject" and (problem := _template_syntax(digest[key])):
                checker.bad("[digest]", key, f"not a valid template: {problem}")
            else:
                values[key] = digest[key].strip()
    for key, allowed in (("empty", EMPTY_MODES), ("other", OTHER_MODES),
                         ("language", LANGUAGES)):
        if key in digest and (mode := checker.choice("[digest]", digest, key, allowed)):
            values[key] = mode
    for key, minimum in (("max_age_days", 0), ("lead_chars", 40)):
        if key in digest:
            number = checker.integer("[digest]", digest, key, minimum)
            if number is not None:
                values[key] = number
    if "templates" in digest and (folder := checker.path("[digest]", digest, "templates",
                                                         base_dir, directory=True)):
        values["templates"] = folder

    values["smtp"] = _parse_smtp(smtp, base_dir, checker)
    values["topics"] = _parse_topics(data.get("topic", []), checker)
    return DigestSettings(**values)


def _parse_smtp(smtp: dict[str, Any], base_dir: Path, checker: FieldChecker) -> SmtpSettings:
    values: dict[str, Any] = {}
    checker.unknown("[smtp]", smtp, SMTP_KEYS)
    if "host" in smtp:
        if not isinstance(smtp["host"], str) or not smtp["host"].strip():
            checker.bad("[smtp]", "host", "must be a host name")
        else:
            values["host"] = smtp["host"].strip()
    if "security" in smtp and (mode := checker.choice("[smtp]", smtp, "security",
                                                      SECURITY_MODES)):
        values["security"] = mode
    if "port" in smtp:
        port = checker.integer("[smtp]", smtp, "port", 1)
        if port is not None and port > 65535:
            checker.bad("[smtp]", "port", "must be at most 65535")
        elif port is not None:
            values["port"] = port
    elif values.get("security") == "tls":
        values["port"] = 465
    for key in ("username_env", "password_env"):
        if key in smtp:
            if not isinstance(smtp[key], str) or not ENV_NAME_RE.match(smtp[key]):
                checker.bad("[smtp]", key, "must be the NAME of an environment variable "
                                           "(the secret itself never goes in this file)")
            else:
                values[key] = smtp[key]
    if "ca_file" in smtp and (path := checker.path("[smtp]", smtp, "ca_file", base_dir)):
        values["ca_file"] = str(path)
    if "timeout" in smtp and (timeout := checker.seconds("[smtp]", smtp, "timeout", 0.1)):
        values["timeout"] = timeout
    settings = SmtpSettings(**values)
    if settings.security == "none" and "host" in values and not settings.is_loopback:
        checker.bad("[smtp]", "security", f"'none' sends mail unencrypted: allowed only to a "
                                          f"relay on this machine, not to {settings.host!r}")
    return settings


def _parse_topics(entries: Any, checker: FieldChecker) -> tuple[TopicRule, ...]:
    if not isinstance(entries, list):
        checker.problems.append("[[topic]]: must be an array of tables ([[topic]])")
        return ()
    topics: list[TopicRule] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = f"topic #{index}"
        if not isinstance(entry, dict):
            checker.problems.append(f"{label}: must be a table")
            continue
        if isinstance(entry.get("id"), str):
            label = f"topic {entry['id']!r}"
        before = len(checker.problems)
        checker.unknown(label, entry, TOPIC_KEYS)
        topic_id = entry.get("id")
        if not isinstance(topic_id, str) or not ID_RE.match(topic_id):
            checker.bad(label, "id", "missing, or not made of a-z, 0-9, '_' and '-'")
        elif topic_id in seen:
            checker.bad(label, "id", "duplicate id")
        name = entry.get("name", topic_id)
        if not isinstance(name, str) or not name.strip():
            checker.bad(label, "name", "must be a non-empty string")
        keywords = checker.strings(label, entry, "keywords")
        if not keywords:
            checker.bad(label, "keywords", "list at least one keyword")
        exclude = checker.strings(label, entry, "exclude")
        for key, words in (("keywords", keywords), ("exclude", exclude)):
            for word in words:
                if not re.search(r"\w", word):
                    checker.bad(label, key, f"{word!r} has no word in it")
        if len(checker.problems) == before and isinstance(topic_id, str) \
                and isinstance(name, str):             # as checked above
            seen.add(topic_id)
            topics.append(TopicRule(topic_id, name.strip(), tuple(keywords), tuple(exclude)))
    return tuple(topics)


def _template_syntax(text: str) -> str | None:
    try:
        jinja2.Environment().parse(text)
    except jinja2.TemplateSyntaxError as exc:
        return exc.message
    return None
