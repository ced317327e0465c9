"""`newsagg search` and `newsagg export`: the store's articles found by word forms, or
taken elsewhere."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add `search` and `export` to the top level."""
