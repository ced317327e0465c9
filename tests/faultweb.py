"""Misbehaving web servers on 127.0.0.x, for the fault tests.

A :class:`FaultWeb` runs one HTTP server per site, each on its own loopback address
and port, so that "another host" is really another host to the crawler. Every path
of a site is a *behaviour*: a function that answers one request, politely or not
(drop the connection mid-body, hang after the headers, drip, redirect elsewhere,
answer 429 with Retry-After...). Every request is logged, so tests count what the
crawler really sent.

    with FaultWeb() as web:
        site = web.site("portal")
        site.route("/feed.xml", ok(rss([...]), "application/rss+xml"))
        site.route("/news/1", drop_mid_body(article_html("...")))
        sources = web.write_sources(tmp_path / "sources.toml", site_source(site, ...))
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.sourcefiles import toml_value

Behaviour = Callable[[BaseHTTPRequestHandler], None]
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Hit:
    site: str
    path: str
    at: float            # time.monotonic() when the request arrived


class FaultSite:
    """One site: a server on (host, a free port) and its routes."""

    def __init__(self, web: FaultWeb, name: str, host: str) -> None:
        self.web = web
        self.name = name
        self.routes: dict[str, Behaviour] = {}
        self.prefixes: list[tuple[str, Callable[[str], Behaviour]]] = []
        self.server = ThreadingHTTPServer((host, 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def route(self, path: str, behaviour: Behaviour) -> FaultSite:
        """Answer ``path`` (with its query, as the crawler sends it) with ``behaviour``."""
        self.routes[path] = behaviour
        return self

    def route_prefix(self, prefix: str, make: Callable[[str], Behaviour]) -> FaultSite:
        """Answer every path under ``prefix`` with ``make(path)``: endless generated sites."""
        self.prefixes.append((prefix, make))
        return self

    def behaviour(self, path: str) -> Behaviour:
        if path in self.routes:
            return self.routes[path]
        for prefix, make in self.prefixes:
            if path.startswith(prefix):
                return make(path)
        if path == "/robots.txt":
            return ok(b"User-agent: *\nAllow: /\n", "text/plain")
        return ok(b"<html><body><h1>404</h1></body></html>", HTML, status=404)

    def hits(self, path: str | None = None) -> list[Hit]:
        return [h for h in self.web.hits if h.site == self.name
                and (path is None or h.path == path)]


class FaultWeb:
    """A set of fault sites; loopback addresses 127.0.0.1, .2, ... one per site unless given."""

    def __init__(self) -> None:
        self.sites: dict[str, FaultSite] = {}
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def site(self, name: str, host: str | None = None) -> FaultSite:
        host = host or f"127.0.0.{len(self.sites) + 1}"
        site = FaultSite(self, name, host)
        self.sites[name] = site
        site.thread.start()
        return site

    def log(self, site: str, path: str) -> None:
        with self._lock:
            self.hits.append(Hit(site, path, time.monotonic()))

    def __enter__(self) -> FaultWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for site in self.sites.values():
            site.server.shutdown()
            site.server.server_close()

    @staticmethod
    def write_sources(path: Path, *sources: dict[str, Any], extra: str = "") -> Path:
        """A sources file with one [[source]] table per dict (TOML values as JSON)."""
        tables = ["[[source]]\n" + "".join(f"{key} = {toml_value(value)}\n"
                                           for key, value in source.items())
                  for source in sources]
        path.write_text("\n".join(tables) + extra, encoding="utf-8")
        return path


def site_source(site: FaultSite, source_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """A [[source]] table for a fault site; fields override the defaults."""
    table: dict[str, Any] = {"id": source_id or site.name, "name": f"Portal {site.name}",
                             "homepage": site.url("/"), "language": "ru",
                             "timezone": "Europe/Moscow"}
    table.update(fields)
    return table


def _handler(site: FaultSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsagg-faults/1"

        def do_GET(self) -> None:
            site.web.log(site.name, self.path)
            # The crawler may give up on a request before its answer is written.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                site.behaviour(self.path)(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# -- behaviours --------------------------------------------------------------------------
def ok(body: bytes | str, content_type: str = HTML, status: int = 200,
       headers: dict[str, str] | None = None) -> Behaviour:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def redirect(location: str, status: int = 302) -> Behaviour:
    return ok(b"", headers={"Location": location}, status=status)


def drop_mid_body(body: bytes | str, keep: float = 0.5, times: int | None = None,
                  then: Behaviour | None = None) -> Behaviour:
    """Promise the whole body (Content-Length), send part of it, drop the connection;
    after ``times`` drops, answer with ``then`` (or the whole body)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    served = _Counter()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if times is not None and served.next() > times:
            return (then or ok(data))(handler)
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[:int(len(data) * keep)])
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    return answer


def hang_after_headers(web: FaultWeb, times: int | None = None,
                       then: Behaviour | None = None) -> Behaviour:
    """Send the headers, then nothing until the web stops (the crawler must time out)."""
    served = _Counter()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if times is not None and served.next() > times and then is not None:
            return then(handler)
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.flush()
        web.stopping.wait(120)

    return answer


def drip(body: bytes | str, chunk: int, interval: float) -> Behaviour:
    """The whole body, ``chunk`` bytes every ``interval`` seconds."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        for start in range(0, len(data), chunk):
            handler.wfile.write(data[start:start + chunk])
            handler.wfile.flush()
            time.sleep(interval)

    return answer


def delayed(seconds: float, behaviour: Behaviour) -> Behaviour:
    """``behaviour``, after a pause: a slow server, so that a crawl lasts a while."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        behaviour(handler)

    return answer


def refuse_then(times: int, status: int, retry_after: str | None, then: Behaviour) -> Behaviour:
    """``status`` (429, 503...) with ``Retry-After`` for the first ``times`` requests."""
    served = _Counter()
    headers = {"Retry-After": retry_after} if retry_after is not None else {}

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if served.next() <= times:
            return ok(b"slow down", "text/plain", status=status, headers=headers)(handler)
        return then(handler)

    return answer


class _Counter:
    """Requests served so far by one behaviour (thread-safe)."""

    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()

    def next(self) -> int:
        with self.lock:
            self.n += 1
            return self.n


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
