"""Variants of the demo's sources file for tests: its [digest], [smtp] or [schedule]
table replaced, everything else kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

TABLE_RE = r"^\[{name}\]\n(?:(?!\[)[^\n]*\n)*"


def toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)      # strings, numbers, booleans, lists


def with_tables(sources: Path, target: Path, **tables: dict) -> Path:
    """A copy of ``sources`` where each named table is replaced (or added)."""
    text = sources.read_text(encoding="utf-8")
    for name, values in tables.items():
        text = re.sub(TABLE_RE.format(name=name), "", text, flags=re.M)
        body = "".join(f"{key} = {toml_value(value)}\n" for key, value in values.items())
        text = text.rstrip("\n") + f"\n\n[{name}]\n{body}"
    target.write_text(text, encoding="utf-8")
    return target


def demo_digest(**changes: object) -> dict:
    """The demo's [digest] table with some fields changed."""
    table = {"time": "07:00", "timezone": "Europe/Moscow", "recipients": ["editor@example.org"],
             "sender": "newsagg demo <newsagg@example.org>",
             "subject": "Дайджест newsagg {{ date }}: {{ stories }} new stories",
             "max_age_days": 0}
    table.update(changes)
    return table
