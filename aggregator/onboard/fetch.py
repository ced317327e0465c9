"""A small, polite, blocking fetcher for the commands that look at a site before it is a
source (`sources add`, `extract URL`): a few dozen requests, one at a time.

It keeps the crawl's manners (its User-Agent, its delay between requests to one host,
robots.txt read as RFC 9309 says: 4xx means no rules, 5xx or no answer means nothing may
be fetched) without starting Scrapy's reactor, which a process can run only once and
which a step-by-step probe does not need. Redirects to another site are refused, as in
the crawl (aggregator/crawl/middlewares.py).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from functools import cached_property
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from aggregator.decoding import decode_html
from aggregator.errors import FetchError
from aggregator.urls import same_site

MAX_REQUESTS = 60           # "a few dozen": the probe stops asking past this


@dataclass(frozen=True)
class Fetched:
    """One answer: the URL it came from (after redirects on the site), its status,
    content type and body, and the body decoded as the crawl would decode it."""

    url: str
    status: int
    content_type: str
    body: bytes

    @cached_property
    def text(self) -> str:
        return decode_html(self.body, self.content_type or None).text

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or (
            not self.content_type and self.body.lstrip()[:1] == b"<")


class _OnSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only on the site it started from."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                         msg: str, headers: HTTPMessage, newurl: str
                         ) -> urllib.request.Request | None:
        target = urljoin(req.full_url, newurl)
        if not same_site(target, req.full_url):
            raise FetchError(req.full_url, f"redirects to another site ({target}): refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class PoliteFetcher:
    """GETs with the crawl's User-Agent, ``delay`` seconds between requests to one host,
    robots.txt obeyed, at most ``max_requests`` requests (robots.txt included)."""

    user_agent: str
    delay: float = 1.0
    timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_requests: int = MAX_REQUESTS
    requests: int = 0
    log: list[str] = field(default_factory=list)     # "GET url -> status", in order
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(
        default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _robots_answers: dict[str, Fetched] = field(default_factory=dict)   # by robots.txt URL

    @classmethod
    def from_settings(cls, overrides: dict[str, Any] | None = None) -> PoliteFetcher:
        """The crawl's own settings (aggregator/settings.py), with ``overrides`` on top."""
        from aggregator import settings

        values = {name: getattr(settings, name) for name in
                  ("USER_AGENT", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE")}
        values.update(overrides or {})
        return cls(user_agent=str(values["USER_AGENT"]),
                   delay=float(values["DOWNLOAD_DELAY"]),
                   timeout=float(values["DOWNLOAD_TIMEOUT"]),
                   max_bytes=int(values["DOWNLOAD_MAXSIZE"]))

    @property
    def exhausted(self) -> bool:
        return self.requests >= self.max_requests

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets the crawl fetch ``url`` (fetching robots.txt once)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = self._read_robots(root)
        rules = self._robots[root]
        return rules is not None and rules.can_fetch(self.user_agent, url)

    def get(self, url: str) -> Fetched:
        """The answer to a GET of ``url``; FetchError (naming the URL) when robots.txt
        forbids it, the budget is spent, or no answer came. HTTP errors are answers."""
        if not url.startswith(("http://", "https://")):
            raise FetchError(url, "not an http(s) URL")
        if url in self._robots_answers:        # read for its rules already: not again
            return self._robots_answers[url]
        if not self.allowed(url):
            raise FetchError(url, "robots.txt does not allow it (or could not be read)")
        return self._get(url)

    def _get(self, url: str) -> Fetched:
        if self.exhausted:
            raise FetchError(url, f"request budget spent ({self.max_requests} requests)")
        self._wait(url)
        self.requests += 1
        opener = urllib.request.build_opener(_OnSiteRedirects)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept-Encoding": "identity"})
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                fetched = self._read(answer, answer.status)
        except urllib.error.HTTPError as error:
            fetched = self._read(error, error.code)
        except FetchError:
            raise
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            self.log.append(f"GET {url} -> {reason}")
            raise FetchError(url, f"no answer: {reason}") from None
        finally:
            self._last[urlsplit(url).netloc] = time.monotonic()
        self.log.append(f"GET {url} -> {fetched.status}")
        return fetched

    def _read(self, answer: Any, status: int) -> Fetched:
        body = answer.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise FetchError(answer.geturl(), f"larger than {self.max_bytes} bytes")
        return Fetched(url=answer.geturl(), status=status,
                       content_type=answer.headers.get("Content-Type", "") or "",
                       body=body)

    def _wait(self, url: str) -> None:
        last = self._last.get(urlsplit(url).netloc)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def _read_robots(self, root: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; an empty rule set for 4xx; None (nothing allowed) for 5xx or
        no answer (RFC 9309, 2.3.1)."""
        rules = urllib.robotparser.RobotFileParser(f"{root}/robots.txt")
        try:
            answer = self._get(f"{root}/robots.txt")
        except FetchError:
            return None
        self._robots_answers[f"{root}/robots.txt"] = answer
        if answer.status >= 500 or answer.status == 429:
            return None
        rules.parse(answer.text.splitlines() if answer.status < 400 else [])
        return rules
