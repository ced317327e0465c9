"""The `newsagg` command: a thin click layer over the library.

Library errors (aggregator.errors) become one clean message and an exit code;
see README.md for the codes.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import click

from aggregator.errors import EXIT_USAGE, NewsaggError, SourcesError

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
        "--sources", "sources_path", type=click.Path(dir_okay=False), show_default=True,
        default=lambda: os.environ.get("NEWSAGG_SOURCES", DEFAULT_SOURCES),
        help="Sources file (env NEWSAGG_SOURCES).")(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), show_default=True,
        default=lambda: os.environ.get("NEWSAGG_DB", DEFAULT_DB),
        help="SQLite database file (env NEWSAGG_DB).")(func)


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE", param_hint="--set")
        settings[name.strip()] = value.strip()
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsagg")
def cli() -> None:
    """Follow regional government news portals and keep every article once.

    \b
    Example:
        newsagg demo                 # offline demo: serve, crawl, summarise
        newsagg crawl --db news.db   # crawl the sources in ./sources.toml
    """


@cli.command()
@sources_option
@db_option
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Crawl only this source (repeatable). Default: every enabled source.")
@click.option("--refresh", is_flag=True, help="Fetch known articles again too.")
@click.option("-s", "--set", "set_pairs", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page (Scrapy INFO level).")
@clean_errors
def crawl(sources_path: str, db_path: str, source_ids: tuple[str, ...], refresh: bool,
          set_pairs: tuple[str, ...], verbose: bool) -> None:
    """Crawl every enabled source once and print a per-source summary.

    \b
    Example:
        newsagg crawl --sources sources.toml --db news.db --source ulgov
    Exit status 0 when the crawl ran (even if some pages failed).
    """
    from aggregator.crawl import format_summary, run_crawl, summary_rows

    settings: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    settings.update(parse_settings(set_pairs))
    run_id = run_crawl(sources_path, db_path, source_ids=source_ids, refresh=refresh,
                       settings=settings)
    click.echo(format_summary(summary_rows(db_path, run_id)))


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="demo.db",
              show_default=True, help="Database to create (replaced if it exists).")
@click.option("-v", "--verbose", is_flag=True, help="Log every page.")
@clean_errors
def demo(db_path: str, verbose: bool) -> None:
    """Serve the bundled demo web on 127.0.0.1, crawl it into a fresh database.

    \b
    Example:
        newsagg demo --db demo.db
    """
    from aggregator.crawl import QUIET_LOCAL_SETTINGS, format_summary, run_crawl, summary_rows
    from aggregator.demo.server import DemoWeb

    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="newsagg-demo-"))
    try:
        with DemoWeb() as web:
            sources = web.write_sources(workdir / "sources.toml")
            click.echo(f"Demo web: {len(web.site_ids)} sites on 127.0.0.1 "
                       f"({', '.join(web.base_url(s) for s in web.site_ids)})", err=True)
            settings = {**QUIET_LOCAL_SETTINGS, "LOG_LEVEL": "INFO" if verbose else "WARNING"}
            run_id = run_crawl(sources, db_path, settings=settings)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    click.echo(format_summary(summary_rows(db_path, run_id)))
    click.echo(f"""
Stored in {db_path}. Look at it with:
  sqlite-utils {db_path} "select source_id, published_at, title from articles order by published_at desc" --table
  sqlite-utils search {db_path} articles "правительство" --table -c title
  sqlite-utils {db_path} "select * from stories where sources > 1" --table
  sqlite-utils {db_path} "select * from crawl_runs" --table""")


@cli.group()
def sources() -> None:
    """Inspect the sources file."""


@sources.command("check")
@sources_option
def sources_check(sources_path: str) -> None:
    """Validate the sources file; print every problem, naming source and field.

    \b
    Example:
        newsagg sources check --sources sources.toml
    """
    from aggregator.sources import load_sources

    try:
        found = load_sources(sources_path)
    except SourcesError as exc:
        click.echo(f"newsagg: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    enabled = sum(s.enabled for s in found)
    click.echo(f"{sources_path}: {len(found)} sources OK ({enabled} enabled)")
    for s in found:
        kinds = ", ".join(f"{len(getattr(s, k))} {k}" for k in ("feeds", "sitemaps", "listings")
                          if getattr(s, k))
        state = "" if s.enabled else "  [disabled]"
        click.echo(f"  {s.id:<16} {s.name}  ({kinds}; {s.timezone}){state}")


def main() -> None:
    cli(prog_name="newsagg")


if __name__ == "__main__":
    main()
