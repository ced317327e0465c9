"""`newsagg search` and `newsagg export`: the store's articles found by word forms, or
taken elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from aggregator.cli_options import clean_errors, db_option


def register(cli: click.Group) -> None:
    """Add `search` and `export` to the top level."""
    cli.add_command(export)
    cli.add_command(search)


# -- export -----------------------------------------------------------------------------
def _since_stamp(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--since as the UTC stamp first_seen_at is compared with: a date is that day's
    midnight in UTC; a datetime without an offset is read as UTC."""
    from datetime import UTC, date, datetime

    from aggregator.clock import utc_stamp

    if value is None:
        return None
    try:
        if len(value) == 10:
            return f"{date.fromisoformat(value).isoformat()}T00:00:00+00:00"
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: expected a date YYYY-MM-DD or an ISO datetime "
            "(2026-11-30T08:00:00+03:00)") from None
    return utc_stamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _write_rows(out: IO[str], rows: Iterable[dict[str, Any]], fmt: str, bom: bool) -> int:
    """Write the rows as CSV (RFC 4180, a header) or JSON Lines; return how many."""
    import csv
    import json

    from storage.export import COLUMNS

    count = 0
    if fmt == "csv":
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(row.values())
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_file(path: Path, rows: Iterable[dict[str, Any]], fmt: str, bom: bool) -> int:
    """Write to a temporary file beside ``path`` and rename it over: a reader never sees
    half an export, and a failed one leaves the old file as it was."""
    import os
    import tempfile

    directory = path.resolve().parent
    if not directory.is_dir():
        raise click.BadParameter(f"{path}: no such directory {directory}", param_hint="--out")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = _write_rows(out, rows, fmt, bom)
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return count


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True, help="csv: a header row, RFC 4180 quoting; jsonl: one JSON "
                                      "object per line.")
@click.option("--since", metavar="DATE", callback=_since_stamp,
              help="Only articles first seen on or after this day (YYYY-MM-DD, the day in "
                   "UTC) or moment (an ISO datetime; without an offset, UTC).")
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Only this source's articles (repeatable). Default: every source.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file, replaced whole when done (default: stdout).")
@click.option("--bom", is_flag=True,
              help="Start the CSV with a UTF-8 byte order mark (Excel then reads Cyrillic).")
@db_option
@clean_errors
def export(fmt: str, since: str | None, source_ids: tuple[str, ...], out_path: Path | None,
           bom: bool, db_path: str) -> None:
    """Write every article with its story, dates and source, one row per article, for
    use elsewhere (a spreadsheet, pandas, another database). UTF-8, oldest first.

    \b
    Examples:
        newsagg export --out articles.csv --bom          # opens in Excel, Cyrillic intact
        newsagg export --format jsonl --since 2026-11-30 --source ulgov

    Columns: id, story_id, url, source_id, source_name, region, country, language,
    title, published_at, published_from, modified_at, first_seen_at, last_seen_at,
    author, text.
    """
    import io
    import sys
    from contextlib import closing

    from aggregator.errors import StoreError
    from storage.export import articles, known_sources
    from storage.store import Store

    if bom and fmt != "csv":
        raise click.BadParameter("--bom applies to --format csv only", param_hint="--bom")
    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database (run `newsagg crawl` first)")
    with Store(db_path) as store:
        unknown = sorted(set(source_ids) - known_sources(store))
        if unknown:
            raise click.BadParameter(
                f"unknown source {', '.join(map(repr, unknown))}: not in {db_path}",
                param_hint="--source")
        with closing(articles(store, since, list(dict.fromkeys(source_ids)))) as rows:
            if out_path is not None:
                count = _write_file(out_path, rows, fmt, bom)
                click.echo(f"newsagg: exported {count} article(s) to {out_path}", err=True)
                return
            out = sys.stdout
            if isinstance(out, io.TextIOWrapper):   # UTF-8 whatever the locale; CSV's \r\n
                out.reconfigure(encoding="utf-8", newline="")
            try:
                _write_rows(out, rows, fmt, bom)
                out.flush()
            except BrokenPipeError:                  # `| head`: the reader has had enough
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# -- search -----------------------------------------------------------------------------
@click.command("search")
@click.argument("query")
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Only this source's articles (repeatable). Default: every source.")
@click.option("--since", metavar="DATE",
              help="Only articles published (undated: first seen) on or after this day.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many articles, best first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table: for reading; json: a list; csv: a header row.")
@db_option
@clean_errors
def search(query: str, source_ids: tuple[str, ...], since: str | None, limit: int, fmt: str,
           db_path: str) -> None:
    """Find articles by any form of the query's words (ru, uk, en), best match first,
    each with a snippet where the words found are [bracketed].

    \b
    QUERY: words (each in any of its forms), word* (a prefix), "a phrase", -word (not);
    a query that starts with - goes after -- (newsagg search -- -word ...).
    Examples:
        newsagg search правительство --db demo.db
        newsagg search '"цифровой сервис" -москва' --source ulgov --format json
    """
    import csv
    import dataclasses
    import json
    import sys

    from aggregator.errors import StoreError
    from storage.search import search as find
    from storage.store import Store

    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database (run `newsagg crawl` first)")
    with Store(db_path) as store:
        hits = find(store, query, sources=source_ids, since=since, limit=limit)
    rows = [{k: v for k, v in dataclasses.asdict(hit).items() if k != "rank"} for hit in hits]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["id", "title", "url", "source_id",
                                                        "published_at", "snippet"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        for number, row in enumerate(rows, 1):
            day = (row["published_at"] or "")[:10] or "undated"
            click.echo(f"{number:>3}. {row['title'] or '(untitled)'}  [{row['source_id']}, {day}]")
            click.echo(f"     {row['url']}")
            click.echo(f"     {row['snippet']}")
    click.echo(f"{len(rows)} article(s) found", err=True)
