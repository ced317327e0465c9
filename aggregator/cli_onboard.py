"""`newsagg sources add`: a portal added from its homepage (aggregator/onboard)."""

from __future__ import annotations

import click


def register(sources: click.Group) -> None:
    """Add this module's commands to the `sources` group."""
