"""Downloader middlewares: what newsagg refuses to send or follow.

Each refusal is an :class:`Refused` (a Scrapy ``IgnoreRequest``) naming the counter
it is counted under, so the spider's errback counts it as a lost page with its cause.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class Refused(IgnoreRequest):
    """A request newsagg would not send; ``cause`` is its key in counters.FAILURE_CAUSES."""

    cause = ""


class OffsiteRedirect(Refused):
    """A redirect to a host outside the source's site: never sent."""

    cause = "offsite_redirects"


class RedirectLoop(Refused):
    """A redirect back to a URL of its own chain, or a chain longer than allowed."""

    cause = "redirect_loops"


class RobotsUnavailable(Refused):
    """robots.txt answered 5xx (or 429): RFC 9309 says assume everything disallowed."""

    cause = "robots_unavailable"
