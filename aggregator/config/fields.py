"""Checking the tables of the sources file: every problem names its table and field.

Every table ([[source]], [digest], [smtp], [[topic]], [schedule]) is read with one
:class:`FieldChecker`, so a problem reads the same wherever it is found and one
`newsagg sources check` lists them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class FieldChecker:
    """Collects problems, each as '<table>: field <key>: <why>'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def bad(self, table: str, key: str, why: str) -> None:
        self.problems.append(f"{table}: field {key!r}: {why}")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        """A top-level ``[key]`` table, or {} (a problem when it is not a table)."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problems.append(f"[{key}]: must be a table")
            return {}
        return value

    def unknown(self, table: str, entry: dict[str, Any], known: set[str]) -> None:
        for key in sorted(set(entry) - known):
            self.bad(table, key, f"unknown key (known: {', '.join(sorted(known))})")

    def strings(self, table: str, entry: dict[str, Any], key: str,
                what: str = "a list of strings") -> list[str]:
        """A string or a list of them (one value may be written bare), stripped."""
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.bad(table, key, f"must be {what}")
            return []
        return [x.strip() for x in value]

    def text(self, table: str, entry: dict[str, Any], key: str) -> str | None:
        """A required, non-empty string."""
        if key not in entry:
            self.bad(table, key, "missing")
            return None
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            self.bad(table, key, "must be a non-empty string")
            return None
        return value

    def integer(self, table: str, entry: dict[str, Any], key: str, minimum: int) -> int | None:
        value = entry[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.bad(table, key, f"must be an integer >= {minimum}")
            return None
        return value

    def seconds(self, table: str, entry: dict[str, Any], key: str,
                minimum: float) -> float | None:
        value = entry[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            self.bad(table, key, f"must be a number of seconds >= {minimum:g}")
            return None
        return float(value)

    def choice(self, table: str, entry: dict[str, Any], key: str,
               allowed: Sequence[Any]) -> Any | None:
        if entry[key] not in allowed:
            self.bad(table, key, f"use one of {', '.join(map(repr, allowed))}")
            return None
        return entry[key]

    def flag(self, table: str, entry: dict[str, Any], key: str) -> bool | None:
        if not isinstance(entry[key], bool):
            self.bad(table, key, "must be true or false")
            return None
        return entry[key]

    def timezone(self, table: str, entry: dict[str, Any], key: str) -> str | None:
        zone = entry[key]
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            self.bad(table, key, f"unknown time zone {zone!r} (use an IANA name)")
            return None
        return zone

    def path(self, table: str, entry: dict[str, Any], key: str, base_dir: Path,
             directory: bool = False) -> Path | None:
        """A path relative to the sources file's folder, which must exist."""
        value = entry[key]
        kind = "directory" if directory else "file"
        if not isinstance(value, str) or not value:
            self.bad(table, key, f"must be a {kind} path")
            return None
        path = (base_dir / value).resolve()
        if not (path.is_dir() if directory else path.is_file()):
            self.bad(table, key, f"no such {kind}: {path}")
            return None
        return path
