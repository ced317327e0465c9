"""Rendering a digest with Jinja2 templates: HTML and Atom escaped, Markdown escaped too.

The packaged templates live in ``aggregator/digest/templates``; a directory set
as ``[digest] templates`` is searched first, so a user overrides one template by
writing a file of the same name there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import Markup

from aggregator.clock import utc_now
from aggregator.config.digest import DigestSettings
from aggregator.digest.select import Digest
from aggregator.digest.text import display_day, one_line
from aggregator.errors import TemplateError

FORMATS = {"html": "digest.html", "text": "digest.txt", "markdown": "digest.md",
           "atom": "digest.atom"}
MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()<>#!|~])")
SUBJECT_MAX_CHARS = 200


def markdown_escape(value: Any) -> Any:
    """Every value printed into Markdown has its markup characters backslash-escaped."""
    if isinstance(value, Markup) or value is None:
        return value if value is not None else ""
    return MARKDOWN_SPECIAL_RE.sub(r"\\\1", str(value))


@lru_cache(maxsize=16)
def environment(kind: str, templates: Path | None = None) -> Environment:
    """The Jinja2 environment for a format: autoescape for HTML and Atom, Markdown
    escaping for Markdown, plain for text (whose values are one-line already)."""
    loaders: list[BaseLoader] = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(PackageLoader("aggregator.digest", "templates"))
    options: dict[str, Any] = {"loader": ChoiceLoader(loaders), "undefined": StrictUndefined,
                               "trim_blocks": True, "lstrip_blocks": True,
                               "keep_trailing_newline": True}
    if kind in ("html", "atom"):
        options["autoescape"] = True
    elif kind == "markdown":
        options["finalize"] = markdown_escape
    env = Environment(**options)
    env.filters["day"] = display_day
    env.filters["rfc3339"] = rfc3339
    return env


def render(digest: Digest, settings: DigestSettings, fmt: str = "html") -> str:
    """The digest in one format: html, text, markdown or atom."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown digest format {fmt!r} (use {', '.join(FORMATS)})")
    name = FORMATS[fmt]
    try:
        template = environment(fmt, settings.templates).get_template(name)
        return template.render(**context(digest, settings))
    except jinja2.TemplateError as exc:
        raise TemplateError(_template_problem(name, exc)) from None


def subject(digest: Digest, settings: DigestSettings) -> str:
    """The mail subject from the configured template, on one line."""
    env = Environment(undefined=StrictUndefined)
    try:
        text = env.from_string(settings.subject).render(**context(digest, settings))
    except jinja2.TemplateError as exc:
        raise TemplateError(f"[digest] field 'subject': {exc}") from None
    return one_line(text)[:SUBJECT_MAX_CHARS] or f"newsagg digest {digest.date.isoformat()}"


def _template_problem(name: str, exc: jinja2.TemplateError) -> str:
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    return f"digest template {where}{f', line {line}' if line else ''}: {exc.message or exc}"


def context(digest: Digest, settings: DigestSettings) -> dict[str, Any]:
    top = digest.items[0].title if digest.items else ""
    return {
        "digest": digest, "date": display_day(digest.date), "iso_date": digest.date.isoformat(),
        "stories": digest.stories, "articles": digest.articles, "sources": digest.sources,
        "top_title": top, "sections": digest.sections, "timezone": digest.timezone,
        "window_start": digest.window_start, "window_end": digest.window_end,
        # What the window's crawls did: said in every format, so a gap is never silent.
        "crawl_note": digest.crawls.empty_note, "problems": digest.crawls.problems,
        "generated_at": utc_now(),
    }


def rfc3339(value: str | datetime | None, fallback: str = "") -> str:
    """An Atom date: a stored date-only value becomes midnight UTC of that day."""
    if value is None:
        return fallback
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if len(value) == 10:
        return f"{value}T00:00:00Z"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")
