"""Appending a [[source]] table to a sources file, the one place that writes it.

tomlkit keeps the file's comments, order and spelling; the result is validated as
`sources check` does (aggregator.config.load_config) in a temporary file beside it and
only then renamed over it, so a bad table, or a half-written file, never lands.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Table

from aggregator.errors import SourcesError


def source_table(table: dict[str, Any]) -> Table:
    """A tomlkit table of a source, its regex written as a literal string (no escapes)."""
    out = tomlkit.table()
    for key, value in table.items():
        if key == "article_pattern" and "'" not in value and "\n" not in value:
            out.add(key, tomlkit.string(value, literal=True))
        else:
            out.add(key, value)
    out.add(tomlkit.nl())           # a blank line before whatever follows it
    return out


def render_source(table: dict[str, Any]) -> str:
    """The [[source]] table as TOML text (what --dry-run prints)."""
    doc = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(source_table(table))
    doc.append("source", aot)
    return tomlkit.dumps(doc)


def append_source(path: str | Path, table: dict[str, Any]) -> None:
    """Append ``table`` as a [[source]] to ``path`` (created when missing); SourcesError,
    with the file left as it was, on a duplicate id or anything `sources check` refuses."""
    from aggregator.config import load_config

    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise SourcesError(str(path), [f"not valid TOML: {exc}"]) from None
    existing = doc.get("source")
    if existing is not None and not isinstance(existing, AoT):
        raise SourcesError(str(path), ["'source' is not an array of [[source]] tables"])
    ids = [entry.get("id") for entry in existing or []]
    if table.get("id") in ids:
        raise SourcesError(str(path), [f"source {table['id']!r}: field 'id': a source with "
                                       "this id is already in the file (pass --id)"])
    if existing is None:
        aot = tomlkit.aot()
        aot.append(source_table(table))
        if text and not text.endswith("\n\n"):
            doc.add(tomlkit.nl())
        doc.append("source", aot)
    else:
        existing.append(source_table(table))
    _replace_checked(path, tomlkit.dumps(doc), load_config)


def _replace_checked(path: Path, text: str, check: Any) -> None:
    """Write ``text`` to a temporary file beside ``path``, ``check`` it, rename it over."""
    directory = path.resolve().parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            check(temp)
        except SourcesError as exc:
            raise SourcesError(str(path), exc.problems) from None
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
