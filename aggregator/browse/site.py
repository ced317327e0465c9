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


def template_dir(db_name: str) -> Path:
    """A template directory whose article page is named for this database, as Datasette
    looks it up (``_table-row-<db>-articles.html``)."""
    folder = Path(tempfile.mkdtemp(prefix="newsagg-browse-"))
    shutil.copy(TEMPLATES / "_table-row-articles.html",
                folder / f"_table-row-{to_css_class(db_name)}-articles.html")
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
