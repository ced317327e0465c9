"""The Datasette plugin of `newsagg browse`: in the article list, a title opens the
article's own page (rendered by browse/templates/_table-row-articles.html)."""

from __future__ import annotations

import markupsafe
from datasette import hookimpl


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table == "news" and column == "title" and "id" in row.keys():
        href = datasette.urls.row(database, "articles", str(row["id"]))
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, value or "(no title)")
    return None
