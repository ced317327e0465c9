"""The one whitespace rule: runs of whitespace (newlines, tabs, no-break spaces) read as
one space, as a reader sees them."""

from __future__ import annotations


def squash(text: str) -> str:
    """``text`` on one line, single-spaced, stripped."""
    return " ".join(text.split())
