"""`newsagg browse`: Datasette on the store, with our metadata, plugin and article page.

The live database is served as a mutable file, which Datasette opens read-only
(``mode=ro``) and never as immutable, so it can be browsed while a crawl writes to
it. Arbitrary SQL is off unless asked for; the canned queries cover the usual
questions, and ``latest`` is also an Atom feed (datasette-atom).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils import to_css_class

from aggregator.browse.metadata import database_name, metadata

TEMPLATES = Path(__file__).resolve().parent / "templates"


def register_plugin() -> None:
    from aggregator.browse import plugin

    if pm.get_plugin("newsagg") is None:
        pm.register(plugin, name="newsagg")


# Our templates, under the names Datasette looks up for this database ({db}: its name
# as a CSS class). Those included by name (the style, one digest) keep their own.
TEMPLATE_NAMES = {
    "newsagg-style.html": "newsagg-style.html",
    "_table-row-articles.html": "_table-row-{db}-articles.html",
    "news.html": "table-{db}-news.html",
    "digests.html": "_table-{db}-digests.html",
    "digest.html": "newsagg-digest.html",
    "database.html": "database-{db}.html",
    "query.html": "query-{db}.html",
}


def template_dir(db_name: str) -> Path:
    """A template directory holding our templates named for this database, as Datasette
    looks them up (e.g. ``table-<db>-news.html``, ``_table-row-<db>-articles.html``)."""
    folder = Path(tempfile.mkdtemp(prefix="newsagg-browse-"))
    for source, target in TEMPLATE_NAMES.items():
        shutil.copy(TEMPLATES / source, folder / target.format(db=to_css_class(db_name)))
    return folder


def make_datasette(db_path: str | Path, *, allow_sql: bool = False,
                   settings: dict[str, Any] | None = None) -> Datasette:
    """A Datasette instance on the live store: read-only, never immutable.

    ``settings`` overrides Datasette settings (the benchmark compares defaults)."""
    register_plugin()
    name = database_name(db_path)
    return Datasette(
        files=[str(db_path)], metadata=metadata(name), template_dir=str(template_dir(name)),
        # Suggested facets cost four times the configured ones (a query per column,
        # over a view joining every article): ours are configured, so they are off.
        settings={"default_allow_sql": allow_sql, "sql_time_limit_ms": 3000,
                  "truncate_cells_html": 300, "facet_time_limit_ms": 1000,
                  "suggest_facets": False, **(settings or {})})


def serve(db_path: str | Path, host: str, port: int, *, allow_sql: bool = False) -> None:
    import uvicorn

    ds = make_datasette(db_path, allow_sql=allow_sql)
    print(f"newsagg browse: http://{host}:{port}/{database_name(db_path)}/news "
          f"(Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
    finally:
        shutil.rmtree(ds.template_dir, ignore_errors=True)
