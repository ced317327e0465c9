"""The offline demo web: a handful of regional news sites served on 127.0.0.1.

Each site gets its own port (so each is its own "site" to the crawler). The
web has two revisions: switching ``revision`` to 2 makes one article change
and a new one appear, as a publisher would between two crawls.

    with DemoWeb() as web:
        web.write_sources(Path("demo-sources.toml"))
        ...  # crawl it
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from aggregator.demo.render import SITES_DIR, Reply, load_sites, render_site

SOURCES_TEMPLATE = Path(__file__).resolve().parent / "sources.toml"
REVISIONS = (1, 2)
NOT_FOUND = Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                  "text/html; charset=utf-8")


class DemoWeb:
    """Serves every demo site on its own 127.0.0.1 port, in background threads."""

    def __init__(self, root: Path | None = None, delay: float = 0.0) -> None:
        self.sites = load_sites(root or SITES_DIR)
        self.site_ids = sorted(self.sites)
        self.delay = delay
        self.revision = 1
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._routes: dict[int, dict[str, dict[str, Reply]]] = {}

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> DemoWeb:
        for site_id in self.site_ids:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self, site_id))
            server.daemon_threads = True
            self._servers[site_id] = server
        self._routes = {rev: {sid: render_site(self.sites[sid], self.base_url(sid), rev)
                              for sid in self.site_ids} for rev in REVISIONS}
        for server in self._servers.values():
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests and the CLI ask --------------------------------------------------
    def base_url(self, site_id: str) -> str:
        return f"http://127.0.0.1:{self._servers[site_id].server_port}"

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def sources_toml(self) -> str:
        """The demo sources file, pointing at this run's ports."""
        text = SOURCES_TEMPLATE.read_text(encoding="utf-8")
        for site_id in self.site_ids:
            text = text.replace(f"__BASE_{site_id}__", self.base_url(site_id))
        return text

    def write_sources(self, path: Path) -> Path:
        path = Path(path)
        path.write_text(self.sources_toml(), encoding="utf-8")
        return path

    # -- serving --------------------------------------------------------------------
    def reply(self, site_id: str, raw_path: str) -> Reply:
        with self._lock:
            self.requests.append((site_id, raw_path))
        if self.delay:
            time.sleep(self.delay)
        routes = self._routes[2 if self.revision >= 2 else 1][site_id]
        return routes.get(route_key(raw_path), NOT_FOUND)


def route_key(raw_path: str) -> str:
    """Path plus ``?page=N`` (N > 1); every other query parameter is ignored."""
    parts = urlsplit(raw_path)
    path = parts.path.rstrip("/") or "/"
    page = dict(parse_qsl(parts.query)).get("page", "1")
    return f"{path}?page={page}" if page not in ("", "1") else path


def _handler_for(web: DemoWeb, site_id: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsagg-demo/1"

        def do_GET(self) -> None:                      # http.server's naming
            reply = web.reply(site_id, self.path)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass    # the crawler gave up on this request; nothing to do

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
