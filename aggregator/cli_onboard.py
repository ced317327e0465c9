"""`newsagg sources add`: a portal added from its homepage (aggregator/onboard)."""

from __future__ import annotations

import re
import zoneinfo
from typing import TYPE_CHECKING

import click

from aggregator.cli_options import clean_errors, parse_settings, settings_option, sources_option
from aggregator.config.sources import ID_RE, LANG_RE, url_problem
from aggregator.errors import NothingFoundError

if TYPE_CHECKING:
    from aggregator.onboard.discover import Proposal


def _check_options(url: str, source_id: str | None, language: str | None,
                   timezone: str | None, country: str | None,
                   urls: tuple[str, ...]) -> None:
    """A bad URL or option is a usage error (exit 2), before anything is fetched."""
    for value, hint in ((url, "URL"), *((u, "--feed/--listing") for u in urls)):
        if why := url_problem(value):
            raise click.BadParameter(why, param_hint=hint)
    if source_id is not None and not ID_RE.match(source_id):
        raise click.BadParameter(f"{source_id!r}: use only a-z, 0-9, '_' and '-'",
                                 param_hint="--id")
    if language is not None and not LANG_RE.match(language):
        raise click.BadParameter(f"{language!r} is not an ISO 639-1 code like 'ru'",
                                 param_hint="--language")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(f"unknown time zone {timezone!r} (use an IANA name "
                                     "like Europe/Moscow)", param_hint="--timezone") from None
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise click.BadParameter(f"{country!r} is not a two-letter country code like RU",
                                 param_hint="--country")


def _report(proposal: Proposal) -> None:
    """What was found, and the sample as extraction read it."""
    table = proposal.table
    for kind in ("feed", "sitemap", "listing"):
        rows = [f for f in proposal.found if f.kind == kind]
        if not rows:
            click.echo(f"{kind + 's:':<11}none found")
        for i, f in enumerate(rows):
            state = "declared" if f.declared else "not declared"
            note = f"; {f.note}" if f.note else ""
            click.echo(f"{kind + 's:' if i == 0 else '':<11}{f.url}  ({len(f.links)} links, "
                       f"{f.matching} articles{note}; {state})")
    click.echo(f"{'pattern:':<11}{table.get('article_pattern') or 'none inferred'}")
    declared, detected = proposal.language_declared, proposal.language_detected
    click.echo(f"{'language:':<11}{table.get('language') or 'unknown'}  (declared "
               f"{declared or 'none'}, detected {detected or 'none'})")
    click.echo(f"{'charset:':<11}{proposal.charset or 'unknown'}")
    zone = table["timezone"]
    click.echo(f"{'time zone:':<11}{zone}" + (
        f"  (a guess from {proposal.timezone_from}: pass --timezone if it is wrong)"
        if proposal.timezone_guessed else ""))
    click.echo(f"{'requests:':<11}{proposal.requests}")
    if proposal.samples:
        click.echo("\nsample (as the crawl would extract them):")
        click.echo(f"  {'':2} {'date':<25} {'from':<9} {'chars':>6} {'lang':<4}  title / url")
        for s in proposal.samples:
            mark = ("ok" if s.ok else "!!") if s.expected_article else "--"
            title = (s.title or s.reason or "")[:60]
            if not s.expected_article:
                title = f"(must not match) {s.reason or 'an article'}"
            click.echo(f"  {mark:2} {s.published_at or 'no date':<25} "
                       f"{s.published_from or '-':<9} {s.text_chars:>6} "
                       f"{s.language or '-':<4}  {title}")
            click.echo(f"  {'':2} {s.url}")


@click.command("add")
@click.argument("url")
@click.option("--id", "source_id", metavar="ID", help="Source id (default: from the host).")
@click.option("--name", metavar="NAME", help="Name (default: the site's name or <title>).")
@click.option("--language", metavar="L", help="ISO 639-1 code (default: declared or detected).")
@click.option("--timezone", metavar="TZ", help="IANA time zone (default: a guess, printed).")
@click.option("--region", metavar="R", help="Region, for grouping.")
@click.option("--country", metavar="CC", help="Two-letter country code.")
@click.option("--feed", "feeds", multiple=True, metavar="URL",
              help="A feed to use (repeatable), when discovery cannot find it.")
@click.option("--listing", "listings", multiple=True, metavar="URL",
              help="A listing page to use (repeatable), when discovery cannot find it.")
@sources_option
@click.option("--dry-run", is_flag=True, help="Print the [[source]] table; write nothing.")
@click.option("--sample", "sample_size", type=click.IntRange(1, 20), default=5,
              show_default=True, metavar="N", help="Pages extracted to check the source.")
@settings_option("Override a crawl setting for the probe, e.g. -s DOWNLOAD_DELAY=0.")
@clean_errors
def sources_add(url: str, source_id: str | None, name: str | None, language: str | None,
                timezone: str | None, region: str | None, country: str | None,
                feeds: tuple[str, ...], listings: tuple[str, ...], sources_path: str,
                dry_run: bool, sample_size: int, set_pairs: tuple[str, ...]) -> None:
    """Find a portal's feeds, sitemaps, news listing and article URL shape from its
    homepage (politely: robots.txt, the crawl's User-Agent and delay, a few dozen
    requests), check them on a sample of articles, and append a [[source]] table.

    \b
    Example:
        newsagg sources add https://ulgov.ru/ --timezone Europe/Ulyanovsk --dry-run
    Exit status 2 on a bad URL or option, 4 when nothing that works was found.
    """
    from aggregator.config.write import append_source, render_source
    from aggregator.onboard.discover import discover
    from aggregator.onboard.fetch import PoliteFetcher

    _check_options(url, source_id, language, timezone, country, feeds + listings)
    fetcher = PoliteFetcher.from_settings(parse_settings(set_pairs))
    click.echo(f"probing {url} ...")
    proposal = discover(url, fetcher=fetcher, source_id=source_id, name=name,
                        language=language.lower() if language else None, timezone=timezone,
                        region=region, country=country.upper() if country else None,
                        sample_size=sample_size, feeds=feeds, listings=listings)
    _report(proposal)
    if not proposal.works:
        tried = "\n".join(f"  - {line}" for line in proposal.tried)
        raise NothingFoundError(
            f"{url}: no source that works: {'; '.join(proposal.problems)}.\n"
            f"Tried ({proposal.requests} requests):\n{tried}\n"
            "Pass the news listing page with --listing URL and/or the feed with --feed URL "
            "(repeatable), and --language / --timezone if they were guessed wrong.")
    click.echo("")
    if dry_run:
        click.echo(render_source(proposal.table), nl=False)
        return
    append_source(sources_path, proposal.table)
    click.echo(f"appended source {proposal.table['id']!r} to {sources_path}; next: "
               f"newsagg sources try {proposal.table['id']}")


def register(sources: click.Group) -> None:
    """Add this module's commands to the `sources` group."""
    sources.add_command(sources_add)
