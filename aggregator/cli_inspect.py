"""`newsagg sources try` and `newsagg extract`: what a source or one page gives, shown
before anything is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from aggregator.cli_options import (
    clean_errors,
    db_option,
    parse_settings,
    settings_option,
    sources_option,
)


@click.command("try")
@click.argument("source_id", metavar="ID")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
              help="Stop after this many article pages are extracted.")
@sources_option
@db_option
@settings_option("Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page (Scrapy INFO level).")
@clean_errors
def sources_try(source_id: str, limit: int, sources_path: str, db_path: str,
                set_pairs: tuple[str, ...], verbose: bool) -> None:
    """Crawl one source as `newsagg crawl` would, storing nothing: what each feed,
    sitemap and listing gives, a sample of extracted articles, and warnings.

    \b
    Example:
        newsagg sources try ulgov --limit 10
    The database (--db) is only read, to tell which links are stored already; the
    crawl runs against a temporary copy that is deleted afterwards.
    """
    from aggregator.onboard.tryout import format_try, try_source

    settings: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    settings.update(parse_settings(set_pairs))
    click.echo(f"newsagg: trying {source_id}: fetching as a crawl would, until {limit} "
               "page(s) are extracted; nothing is stored", err=True)
    result = try_source(sources_path, source_id, limit=limit, db_path=db_path,
                        settings=settings)
    click.echo(format_try(result))


@click.command("extract")
@click.argument("target", metavar="URL|FILE")
@click.option("--source", "source_id", metavar="ID",
              help="Extract with this source's languages and time zone (from --sources).")
@sources_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a header and the text; json: every field.")
@clean_errors
def extract(target: str, source_id: str | None, sources_path: str, fmt: str) -> None:
    """Extract one page (a URL, or a saved HTML file) as the crawl would, and print it.

    \b
    Examples:
        newsagg extract https://ulgov.ru/news/index/permlink/id/12345 --source ulgov
        newsagg extract saved.html --format json
    A URL is fetched with the crawl's User-Agent, robots.txt obeyed (exit 4 when it
    cannot be fetched); its fetch time is now. A file is read as saved bytes; its
    modification time stands for the fetch time (for dates like "yesterday").
    """
    from aggregator.onboard.inspect import as_json, as_text, inspect_file, inspect_url, is_url

    source = None
    if source_id:
        from aggregator.config.sources import load_sources, select_sources

        source = select_sources(load_sources(sources_path), [source_id])[0]
    if is_url(target):
        found = inspect_url(target, source)
    else:
        path = Path(target)
        if not path.is_file():
            raise click.BadParameter(f"{target}: no such file (and not an http(s) URL)",
                                     param_hint="URL|FILE")
        found = inspect_file(path, source)
    click.echo(as_json(found) if fmt == "json" else as_text(found))


def register(cli: click.Group, sources: click.Group) -> None:
    """Add `extract` to the top level and `try` to the `sources` group."""
    sources.add_command(sources_try)
    cli.add_command(extract)
