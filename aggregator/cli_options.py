"""What every `newsagg` command shares: the error wrapper that turns library errors into
one clean line and an exit code, and the options that name the sources file and the
database (flags override NEWSAGG_SOURCES / NEWSAGG_DB, which override the defaults)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from aggregator.errors import NewsaggError

DEFAULT_SOURCES = "sources.toml"
DEFAULT_DB = "news.db"


def clean_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a NewsaggError into 'newsagg: error: ...' and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsaggError as exc:
            click.echo(f"newsagg: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def sources_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--sources", "sources_path", type=click.Path(dir_okay=False), default=DEFAULT_SOURCES,
        envvar="NEWSAGG_SOURCES", show_envvar=True, show_default=True,
        help="Sources file.")(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), default=DEFAULT_DB,
        envvar="NEWSAGG_DB", show_envvar=True, show_default=True,
        help="SQLite database file.")(func)


def settings_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-s/--set NAME=VALUE, repeatable: settings over the crawl's own (parse_settings)."""
    return click.option("-s", "--set", "set_pairs", multiple=True, metavar="NAME=VALUE",
                        help=help_text)


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE", param_hint="--set")
        settings[name.strip()] = value.strip()
    return settings
