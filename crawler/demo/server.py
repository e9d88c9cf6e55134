"""Serve the demo portal: one HTTP server per site on 127.0.0.1, each on its own free port.

Separate ports make each site a separate origin, as the real portals are separate hosts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from crawler.demo.families import Route, renderer_for
from crawler.demo.portal import SITES, load_site


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two sends: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK stall every request on a reused connection by ~40 ms.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        if self.server.latency:
            time.sleep(self.server.latency)  # a slow CMS, for benchmarks at real page latency
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        routes = self.server.current_routes()
        # Like real portals, ignore query parameters a page does not use.
        route = routes.get(self.path) or routes.get(self.path.split("?")[0])
        if route is None:
            body = b"<html><body><h1>404 - Trang khong ton tai</h1></body></html>"
            self._send(404, "text/html; charset=utf-8", body)
            return
        ctype, body = route
        if callable(body):
            body = body()
        self._send(200, ctype, body.replace(b"{base}", self.server.origin.encode()))

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
        if self.server.verbose:
            super().log_message(format, *args)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, key: str, data_dir: Path | None, port: int, verbose: bool, latency: float = 0.0
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.key = key
        self.latency = latency
        self.data_dir = data_dir
        self.verbose = verbose
        self.hits: dict[str, int] = {}
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self._stamp: float | None = None
        self.lock = threading.Lock()
        self.current_routes()

    def current_routes(self) -> dict[str, Route]:
        """The site's pages, rendered again when its data file changes (tests edit it)."""
        stamp = (self.data_dir / f"{self.key}.json").stat().st_mtime if self.data_dir else 0.0
        with self.lock:
            if stamp != self._stamp:
                self.site = load_site(self.key, self.data_dir)
                self.renderer = renderer_for(self.site)
                self.routes = self.renderer.routes()
                self._stamp = stamp
            return self.routes


@dataclass
class RunningSite:
    key: str
    family: str
    url: str
    server: _SiteServer
    article_paths: list[str]


class DemoPortal:
    """Start every demo site in background threads; use as a context manager."""

    def __init__(
        self,
        keys: list[str] | None = None,
        verbose: bool = False,
        data_dir: str | None = None,
        copies: int = 1,
        latency: float = 0.0,
    ) -> None:
        # copies > 1: each site served that many times on separate ports, so that a cluster
        # (or a benchmark) has many distinct portals to crawl.
        self.keys = [k for _ in range(copies) for k in keys or list(SITES)]
        self.latency = latency
        self.verbose = verbose
        self.data_dir = Path(data_dir) if data_dir else None
        self.sites: list[RunningSite] = []

    def start(self) -> list[RunningSite]:
        for key in self.keys:
            server = _SiteServer(key, self.data_dir, 0, self.verbose, self.latency)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            paths = [server.renderer.article_path(a) for a in server.site.articles]
            self.sites.append(
                RunningSite(key, server.site.family, server.origin + "/", server, paths)
            )
        return self.sites

    def stop(self) -> None:
        for site in self.sites:
            site.server.shutdown()
            site.server.server_close()

    def __enter__(self) -> list[RunningSite]:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
