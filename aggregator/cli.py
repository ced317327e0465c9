"""The `newsagg` command: a thin click layer over the library.

Library errors (aggregator.errors) become one clean message and an exit code;
see README.md for the codes.
"""

from __future__ import annotations

import sys
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
from aggregator.errors import EXIT_USAGE, SourcesError


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
@settings_option("Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page (Scrapy INFO level).")
@clean_errors
def crawl(sources_path: str, db_path: str, source_ids: tuple[str, ...], refresh: bool,
          set_pairs: tuple[str, ...], verbose: bool) -> None:
    """Crawl every enabled source once and print a per-source summary.

    \b
    Example:
        newsagg crawl --sources sources.toml --db news.db --source ulgov
    Exit status 0 when the crawl ran (even if some pages failed: the summary says which
    and why); 3 when the database stopped taking writes.
    """
    from aggregator.crawl.run import format_summary, run_crawl
    from aggregator.errors import StoreError

    settings: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    settings.update(parse_settings(set_pairs))
    result = run_crawl(sources_path, db_path, source_ids=source_ids, refresh=refresh,
                       settings=settings)
    click.echo(format_summary(result.rows))
    if result.store_error:
        raise StoreError(f"{result.store_error}; the crawl stopped there (what it could not "
                         "store is counted as failed above)")


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="demo.db",
              show_default=True, help="Database to create (replaced if it exists).")
@click.option("-v", "--verbose", is_flag=True, help="Log every page.")
@clean_errors
def demo(db_path: str, verbose: bool) -> None:
    """Serve the bundled demo web on 127.0.0.1, crawl it into a fresh database,
    and write the digest of what was found.

    \b
    Example:
        newsagg demo --db demo.db    # also writes demo-sources.toml, demo-digest.html
    """
    from aggregator.crawl.run import format_summary
    from aggregator.demo.run import run_demo

    result = run_demo(db_path, verbose=verbose, notify=lambda line: click.echo(line, err=True),
                      crawled=lambda crawl: click.echo(format_summary(crawl.rows)))
    click.echo(result.next_steps())


@cli.command()
@sources_option
@db_option
@click.option("--date", "date_value", metavar="YYYY-MM-DD|next",
              help="Digest date: its window ends at the digest time of that day. "
                   "Default: the newest digest whose window has closed; 'next': the open one.")
@click.option("--format", "fmt", type=click.Choice(["html", "text", "markdown", "atom"]),
              default="html", show_default=True, help="Format written to --out or stdout.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Write the digest to this file (default: stdout, unless --send).")
@click.option("--send", "do_send", is_flag=True,
              help="Mail it (HTML and text parts) to the configured recipients.")
@click.option("--force", is_flag=True, help="With --send: send even if this date was sent, "
                                           "or its window has not closed yet.")
@clean_errors
def digest(sources_path: str, db_path: str, date_value: str | None, fmt: str,
           out_path: str | None, do_send: bool, force: bool) -> None:
    """Render the daily digest of new articles, by topic and story; optionally mail it.

    \b
    Examples:
        newsagg digest --format text                 # the latest digest, on stdout
        newsagg digest --date next --out today.html  # what tomorrow's mail holds so far
        newsagg digest --send                        # mail it, once per date
    The SMTP login is read from the variables named in [smtp] (default
    NEWSAGG_SMTP_USER, NEWSAGG_SMTP_PASSWORD). --send refuses (exit 2) a window still
    open or in the future; --force sends it. A send of a date already in progress
    elsewhere sends nothing and says so (exit 0).
    """
    from aggregator.config import load_config
    from aggregator.digest.deliver import deliver, parse_digest_date
    from aggregator.digest.render import render
    from aggregator.digest.select import build_digest
    from aggregator.errors import StoreError
    from storage.store import Store

    if force and not do_send:
        raise click.UsageError("--force only makes sense with --send")
    config = load_config(sources_path)
    settings = config.digest
    try:
        day = parse_digest_date(date_value, settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None
    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database (run `newsagg crawl` first)")
    with Store(db_path) as store:
        found = build_digest(store, settings, day)
        if out_path or not do_send:
            body = render(found, settings, fmt)
            if out_path:
                Path(out_path).write_text(body, encoding="utf-8")
            else:
                click.echo(body, nl=False)
        summary = (f"digest {day.isoformat()}: {found.stories} stories, {found.articles} "
                   f"articles from {found.sources} sources")
        if found.older:
            summary += f" ({found.older} older articles not listed)"
        if do_send:
            result = deliver(store, settings, found, force=force)
            if result.sent:
                summary += (f"; sent to {', '.join(result.recipients)}, "
                            f"Message-ID {result.message_id}")
                if result.refused:
                    refused = "; ".join(f"{a}: {r}" for a, r in result.refused.items())
                    summary += f"; REFUSED: {refused}"
            else:
                summary += f"; not sent: {result.reason}"
    click.echo(summary, err=True)


@cli.command()
@sources_option
@db_option
@settings_option("A Scrapy setting for every crawl it runs, e.g. -s DOWNLOAD_DELAY=2.")
@click.option("-v", "--verbose", is_flag=True, help="Log every job as it starts and ends.")
@clean_errors
def schedule(sources_path: str, db_path: str, set_pairs: tuple[str, ...],
             verbose: bool) -> None:
    """Run crawls and the digest on schedule until stopped (SIGTERM or Ctrl-C).

    \b
    Example:
        newsagg schedule --sources sources.toml --db news.db
    Each source is crawled on its `schedule` cron (default: [schedule] crawl), each
    crawl in its own process with a time limit; the digest is sent at [digest] time.
    A digest or crawl missed while it was down runs once when it starts again. One
    scheduler per database: a second one exits with code 6.
    """
    import logging

    from aggregator.schedule.scheduler import NewsScheduler

    parse_settings(set_pairs)                      # a bad pair is a usage error now
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    logging.getLogger("newsagg.schedule").setLevel(logging.INFO)
    crawl_args = [arg for pair in set_pairs for arg in ("-s", pair)]
    NewsScheduler(sources_path, db_path, crawl_args=crawl_args).run()


@cli.command()
@sources_option
@db_option
@clean_errors
def status(sources_path: str, db_path: str) -> None:
    """Per source: last crawl, next crawl, articles in 24 h and 7 days, health.

    \b
    Example:
        newsagg status --db news.db
    Every source of the sources file is listed, one never crawled too. Health flags a
    source whose last crawl got no answer (unreachable) or read nothing and lost pages
    (failing), one whose crawls never read an article, one whose last two crawls found no
    article links, whose pages without text or without a date jumped against its earlier
    crawls (a redesign), or that stored nothing new in 7 days after a busy month. Next
    crawls are shown only while a scheduler runs.
    """
    from aggregator.config import load_config
    from aggregator.errors import StoreError
    from aggregator.schedule.status import format_status, read_status

    config = load_config(sources_path)
    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database (run `newsagg crawl` first)")
    click.echo(format_status(read_status(config, db_path)))


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--allow-sql", is_flag=True, help="Let visitors run arbitrary SQL (off by default).")
@clean_errors
def browse(db_path: str, host: str, port: int, allow_sql: bool) -> None:
    """Browse and search the store in Datasette (read-only, safe while crawls run).

    \b
    Example:
        newsagg browse --db news.db            # then open http://127.0.0.1:8001/news/news
    Facets by source, region, language and day; search by word forms (as `newsagg
    search`: ?_search= on the news list, or the ranked `search` query); canned queries:
    search, latest (also .atom), todays_digest, since_last_digest, shared_stories,
    health; the digest archive in `digests`.
    """
    from aggregator.browse.site import serve
    from aggregator.errors import StoreError
    from storage.store import Store

    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database (run `newsagg crawl` first)")
    Store(db_path).close()                 # bring the schema (its views) up to date first
    serve(db_path, host, port, allow_sql=allow_sql)


@cli.group()
def sources() -> None:
    """Inspect the sources file."""


@sources.command("check")
@sources_option
def sources_check(sources_path: str) -> None:
    """Validate the sources file (sources, topics, digest, smtp); print every problem,
    naming the table and the field.

    \b
    Example:
        newsagg sources check --sources sources.toml
    """
    from aggregator.config import load_config

    try:
        config = load_config(sources_path)
    except SourcesError as exc:
        click.echo(f"newsagg: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    found = config.sources
    enabled = sum(s.enabled for s in found)
    click.echo(f"{sources_path}: {len(found)} sources OK ({enabled} enabled)")
    for s in found:
        kinds = ", ".join(f"{len(getattr(s, k))} {k}" for k in ("feeds", "sitemaps", "listings")
                          if getattr(s, k))
        state = "" if s.enabled else "  [disabled]"
        click.echo(f"  {s.id:<16} {s.name}  ({kinds}; {s.timezone}){state}")
    digest = config.digest
    click.echo(f"digest: daily at {digest.time:%H:%M} {digest.timezone}, "
               f"{len(digest.recipients)} recipient(s), via {digest.smtp.host}:"
               f"{digest.smtp.port} ({digest.smtp.security})")
    for topic in digest.topics:
        click.echo(f"  topic {topic.id:<10} {topic.name}  ({len(topic.keywords)} keywords)")


def _register() -> None:
    """The commands that live in their own modules (cli_onboard.py, cli_inspect.py,
    cli_data.py)."""
    from aggregator import cli_data, cli_inspect, cli_onboard

    cli_onboard.register(sources)
    cli_inspect.register(cli, sources)
    cli_data.register(cli)


_register()


def main() -> None:
    cli(prog_name="newsagg")


if __name__ == "__main__":
    main()
