"""Downloader middlewares: what newsagg refuses to send or follow.

Each refusal is an :class:`Refused` (a Scrapy ``IgnoreRequest``) naming the counter
it is counted under, so the spider's errback counts it as a lost page with its cause.

Scrapy's own redirect, retry and robots.txt middlewares are replaced (settings.py) by
subclasses that keep their behaviour and add newsagg's rules:

- a redirect is checked where Scrapy builds it, before it is scheduled: one that leaves
  the source's site is never sent (a followed site must not make the crawler fetch
  internal URLs), and one back into its own chain ends at once (Scrapy's duplicate
  filter would otherwise drop it without a word);
- ``Retry-After`` on 429 and 503 is waited for, without blocking the reactor, up to
  ``NEWSAGG_RETRY_AFTER_MAX`` seconds; a server asking for longer is given up on at once;
- a robots.txt answering 5xx or 429, or not answering at all, disallows its whole site
  for this crawl (RFC 9309 §2.3.1.4); a 4xx means no rules (§2.3.1.3). Pages refused
  for a 5xx/429 count as robots_unavailable; for no answer, as network_errors (the host
  is unreachable, and its pages would have failed the same way).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message
from w3lib.url import canonicalize_url

from aggregator.clock import utc_now
from aggregator.urls import same_site

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

log = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)     # where RFC 6585 / RFC 9110 give Retry-After a meaning


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


class RobotsUnreachable(Refused):
    """robots.txt could not be fetched at all (refused, timed out, dropped): RFC 9309
    says disallow everything; the page is lost to the network, and counted so."""

    cause = "network_errors"


# -- redirects ---------------------------------------------------------------------------
def check_redirect(spider: Spider | None, redirected: Request) -> None:
    """Raise unless ``redirected`` (a request Scrapy built from a redirect) may be sent.

    It may go to the source's site or stay on the site of the URL first requested (a
    declared feed on a feed host). Requests of no source (robots.txt) are not checked.
    """
    source_id = redirected.meta.get("source_id")
    chain: list[str] = redirected.meta.get("redirect_urls", [])
    if source_id is None or not chain:
        return
    target = redirected.url
    source = getattr(spider, "sources", {}).get(source_id)
    homepage = source.homepage if source is not None else chain[0]
    if not (same_site(target, homepage) or same_site(target, chain[0])):
        raise OffsiteRedirect(f"redirect to {target} refused: off the site of {homepage} "
                              f"(from {chain[0]})")
    if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
        raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")


def _follow(middleware: RedirectMiddleware | MetaRefreshMiddleware,
            follow: Callable[[Request, Response], Request | Response],
            request: Request, response: Response) -> Request | Response:
    try:
        result = follow(request, response)
    except IgnoreRequest as exc:          # Scrapy's "max redirections reached"
        first = request.meta.get("redirect_urls", [request.url])[0]
        raise RedirectLoop(f"more than {middleware.max_redirect_times} redirects from "
                           f"{first} (last: {request.url})") from exc
    if isinstance(result, Request):
        check_redirect(middleware.crawler.spider, result)
    return result


class SiteRedirectMiddleware(RedirectMiddleware):
    """Scrapy's 3xx redirects, refused off the source's site and in loops."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        return _follow(self, super().process_response, request, response)


class SiteMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv=refresh> redirects, under the same rules."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        return _follow(self, super().process_response, request, response)


# -- retries -----------------------------------------------------------------------------
def retry_after_seconds(value: str, now: datetime) -> float | None:
    """The delay a Retry-After value asks for (delta-seconds or an HTTP-date), or None
    when it is not one (then the retry is an ordinary one)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:                      # HTTP-dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting as long as a 429/503 asks when that is under the cap."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSAGG_RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]  # Scrapy awaits coroutines here
            self, request: Request, response: Response,
            spider: Spider | None = None) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if (header is None or request.meta.get("dont_retry", False)
                or response.status not in RETRY_AFTER_STATUSES
                or response.status not in self.retry_http_codes):
            return super().process_response(request, response)
        delay = retry_after_seconds(header.decode("latin-1"), utc_now())
        if delay is None:
            return super().process_response(request, response)
        if delay > self.max_wait:
            log.warning("%s: HTTP %d asks to retry after %.0f s, more than "
                        "NEWSAGG_RETRY_AFTER_MAX (%.0f s): not retried", request.url,
                        response.status, delay, self.max_wait)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        log.info("%s: HTTP %d, retrying in %.1f s as asked", request.url, response.status,
                 delay)
        await sleep(delay)                       # the reactor goes on meanwhile
        return retry


# -- robots.txt --------------------------------------------------------------------------
class _Unavailable(RobotParser):
    """The rules of a site whose robots.txt could not be read: nothing is allowed."""

    def __init__(self, why: str, refusal: type[Refused] = RobotsUnavailable) -> None:
        self.why = why
        self.refusal = refusal

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> _Unavailable:
        return cls("robots.txt unavailable")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt handling, with RFC 9309's rules for a robots.txt that fails.

    Scrapy reads any answer's body as rules (a 503 page allows everything) and allows
    everything when robots.txt cannot be fetched. Here, after RetryMiddleware's retries:
    5xx or 429 -> nothing of that host is fetched in this crawl; an unreachable robots.txt
    (refused, timed out, dropped) -> the same, as RFC 9309 requires (a host whose
    robots.txt times out three times is not hammered with its pages); 4xx -> no rules.
    """

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._disallow_all(netloc, f"robots.txt answered HTTP {response.status}")
            return
        if 400 <= response.status < 500:        # "unavailable": crawl without rules
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):       # e.g. too many redirects: no rules (§2.3.1.2)
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._disallow_all(netloc, f"robots.txt could not be fetched "
                                   f"({type(exc).__name__}: {exc})", RobotsUnreachable)

    def _disallow_all(self, netloc: str, why: str,
                      refusal: type[Refused] = RobotsUnavailable) -> None:
        log.warning("%s: %s: nothing of this host is fetched in this crawl (RFC 9309)",
                    netloc, why)
        waiting: Any = self._parsers[netloc]
        rules = _Unavailable(why, refusal)
        self._parsers[netloc] = rules
        waiting.callback(rules)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _Unavailable):
            raise rp.refusal(f"{rp.why}: not fetched (RFC 9309: disallow all)")
        super().process_request_2(rp, request)
