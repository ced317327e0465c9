"""The Datasette plugin of `newsagg browse`: word-form search, links, highlighted
snippets, a latest-first day facet and CSV that spreadsheets open as UTF-8.

Datasette's own search would quote the raw words against an exact-form index; here
``?_search=`` becomes the lemma query of storage/search.py (the one `newsagg search`
runs), so the list, the ranked ``search`` query and the command line agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import markupsafe
from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import BadRequest

from aggregator.browse.bom import with_bom
from aggregator.browse.facets import LatestFirstFacet
from storage.search import MATCH_FILTER, QueryError, parse_query, register_functions

SEARCHABLE = ("news", "articles")
MARKED = re.compile(r"\[([^\[\]]+)\]")
# Beside each "CSV" export link: the same file, downloaded, with a UTF-8 byte order mark
# (aggregator/browse/bom.py), which spreadsheets need to read Cyrillic as UTF-8.
EXCEL_LINK_SCRIPT = """
document.querySelectorAll('.export-links a[href*=".csv"]').forEach(function (a) {
  if (a.dataset.newsaggBom) { return; }
  var link = document.createElement('a');
  link.href = a.getAttribute('href') + (a.getAttribute('href').indexOf('?') < 0 ? '?' : '&')
    + '_bom=1&_dl=1';
  link.textContent = 'CSV for Excel';
  link.dataset.newsaggBom = '1';
  a.insertAdjacentText('afterend', ', ');
  a.nextSibling.after(link);
});
"""


@hookimpl
def prepare_connection(conn: Any) -> None:
    # conn: the sqlite3 connection Datasette opened (read-only) for one thread.
    register_functions(conn)


@hookimpl(trylast=True)
def filters_from_request(request: Any, database: str, table: str,
                         datasette: Any) -> FilterArguments | None:
    """``?_search=`` on the article list and table, by word forms. Runs after Datasette's
    own hook, so that its ``supports_search`` (false: no FTS table is configured) is
    replaced by ours."""
    if table not in SEARCHABLE:
        return None
    query = (request.args.get("_search") or "").strip()
    context = {"supports_search": True, "search": query}
    if not query:
        return FilterArguments([], extra_context=context)
    try:
        match = parse_query(query).match
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    return FilterArguments([MATCH_FILTER], {"newsagg_match": match},
                           [f'search matches "{query}" (any form of each word)'], context)


def marked(snippet: str) -> markupsafe.Markup:
    """A snippet with its [matched] words as <mark>, the text escaped first."""
    escaped = str(markupsafe.escape(snippet))
    return markupsafe.Markup(MARKED.sub(r"<mark>\1</mark>", escaped))


def _link(href: str, text: Any) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text or "(no title)")


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> markupsafe.Markup | None:
    # `in` on a sqlite3.Row looks at its values, so the keys are asked for.
    keys = row.keys()
    if column == "title" and table in (None, "news") and "id" in keys:
        return _link(datasette.urls.row(database, "articles", str(row["id"])), value)
    if table is None and column == "title" and "story" in keys:        # shared_stories
        return _link(f"{datasette.urls.table(database, 'news')}?story={quote(str(row['story']))}",
                     value)
    if table is None and column == "snippet" and isinstance(value, str):
        return marked(value)
    return None


@hookimpl
def register_facet_classes() -> list[type]:
    return [LatestFirstFacet]


@hookimpl
def extra_body_script() -> str:
    return EXCEL_LINK_SCRIPT


@hookimpl
def asgi_wrapper() -> Callable[[Any], Any]:
    return with_bom

