"""Rendering a digest with Jinja2 templates: HTML and Atom escaped, Markdown escaped too.

The packaged templates live in ``aggregator/digest/templates``; a directory set
as ``[digest] templates`` is searched first, so a user overrides one template by
writing a file of the same name there. Every template speaks the digest's language
through ``t`` (aggregator/digest/i18n.py) and the ``day`` and ``moment`` filters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
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
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from aggregator.clock import utc_now
from aggregator.config.digest import DigestSettings
from aggregator.digest.i18n import Language, language
from aggregator.digest.select import Digest
from aggregator.digest.text import one_line
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
    env.filters["day"] = _day
    env.filters["moment"] = _moment
    env.filters["rfc3339"] = rfc3339
    return env


@pass_context
def _day(ctx: Context, value: date) -> str:
    """A date in the digest's language (the environment is shared by all languages)."""
    return _words(ctx).day(value)


@pass_context
def _moment(ctx: Context, value: datetime) -> str:
    return _words(ctx).moment(value)


def _words(ctx: Context) -> Language:
    words = ctx.get("t")
    return words if isinstance(words, Language) else language("en")


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
    template = settings.subject or language(digest.language).subject
    try:
        text = env.from_string(template).render(**context(digest, settings))
    except jinja2.TemplateError as exc:
        raise TemplateError(f"[digest] field 'subject': {exc}") from None
    fallback = language(digest.language).text("feed_title", date=digest.date.isoformat())
    return one_line(text)[:SUBJECT_MAX_CHARS] or fallback


def _template_problem(name: str, exc: jinja2.TemplateError) -> str:
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    return f"digest template {where}{f', line {line}' if line else ''}: {exc.message or exc}"


def context(digest: Digest, settings: DigestSettings) -> dict[str, Any]:
    """What every template (and the subject) may use; the names are part of the
    contract with users' own templates."""
    words = language(digest.language)
    top = digest.items[0].title if digest.items else ""
    stories_text = words.count("stories", digest.stories)
    return {
        "digest": digest, "date": words.day(digest.date), "iso_date": digest.date.isoformat(),
        "stories": digest.stories, "articles": digest.articles, "sources": digest.sources,
        "top_title": top, "sections": digest.sections, "timezone": digest.timezone,
        "window_start": digest.window_start, "window_end": digest.window_end,
        "t": words, "language": words.code, "stories_text": stories_text,
        # "5 new stories from 3 sources", "5 новостей из 3 источников"
        "totals": f"{stories_text} {words.count('from_sources', digest.sources)}",
        # What the window's crawls did: said in every format, so a gap is never silent.
        "crawl_note": digest.crawls.empty_note_in(words),
        "problems": digest.crawls.problems_in(words),
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
