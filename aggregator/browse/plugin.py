"""The Datasette plugin of `newsagg browse`: in the article list, a title opens the
article's own page (rendered by browse/templates/_table-row-articles.html)."""

from __future__ import annotations

from typing import Any

import markupsafe
from datasette import hookimpl


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> markupsafe.Markup | None:
    # `in` on a sqlite3.Row looks at its values, so the keys are asked for.
    if table == "news" and column == "title" and "id" in row.keys():  # noqa: SIM118
        href = datasette.urls.row(database, "articles", str(row["id"]))
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, value or "(no title)")
    return None
