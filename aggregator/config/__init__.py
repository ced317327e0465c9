"""The whole sources file: the sources, plus the digest's and the scheduler's tables.

`newsagg crawl` needs only the sources (aggregator.config.sources); commands that also
need the digest settings load everything here, so that one run of
`newsagg sources check` reports every problem of every table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aggregator.config.digest import DigestSettings, parse_digest_settings
from aggregator.config.schedule import ScheduleSettings, parse_schedule_settings
from aggregator.config.sources import Source, parse_sources, read_toml
from aggregator.errors import SourcesError


@dataclass(frozen=True)
class Config:
    path: Path
    sources: list[Source]
    digest: DigestSettings
    schedule: ScheduleSettings


def load_config(path: str | Path) -> Config:
    """Read and validate the whole file; raise SourcesError listing every problem."""
    path = Path(path)
    data = read_toml(path)
    problems: list[str] = []
    sources: list[Source] = []
    try:
        sources = parse_sources(data, str(path))
    except SourcesError as exc:
        problems.extend(exc.problems)
    digest = parse_digest_settings(data, path.resolve().parent, problems)
    schedule = parse_schedule_settings(data, digest.timezone, problems)
    if problems:
        raise SourcesError(str(path), problems)
    return Config(path, sources, digest, schedule)
