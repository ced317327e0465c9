"""The one clock. Every "now" of the project is UTC and comes from here, so a stored
time never carries a local offset by accident and tests can compare against one
helper."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """This moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utc_stamp(moment: datetime | None = None) -> str:
    """``moment`` (default: now) as stored: ISO 8601 in UTC, to the second."""
    return (moment or utc_now()).astimezone(UTC).isoformat(timespec="seconds")
