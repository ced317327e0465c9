"""`newsagg sources try` and `newsagg extract`: what a source or one page gives, shown
before anything is stored."""

from __future__ import annotations

import click


def register(cli: click.Group, sources: click.Group) -> None:
    """Add `extract` to the top level and `try` to the `sources` group."""
