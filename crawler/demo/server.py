"""Serve the demo portal: one HTTP server per site on 127.0.0.1, each on its own free port.

Separate ports make each site a separate origin, as the real portals are separate hosts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler.demo.families import Route, renderer_for
from crawler.demo.portal import load_sites


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        # Like real portals, ignore query parameters a page does not use.
        route = self.server.routes.get(self.path) or self.server.routes.get(self.path.split("?")[0])
        if route is None:
            body = b"<html><body><h1>404 - Trang khong ton tai</h1></body></html>"
            self._send(404, "text/html; charset=utf-8", body)
            return
        ctype, body = route
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

    def __init__(self, routes: dict[str, Route], port: int, verbose: bool) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.routes = routes
        self.verbose = verbose
        self.hits: dict[str, int] = {}
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


@dataclass
class RunningSite:
    key: str
    family: str
    url: str
    server: _SiteServer
    article_paths: list[str]


class DemoPortal:
    """Start every demo site in background threads; use as a context manager."""

    def __init__(self, keys: list[str] | None = None, verbose: bool = False) -> None:
        self.keys = keys
        self.verbose = verbose
        self.sites: list[RunningSite] = []

    def start(self) -> list[RunningSite]:
        for site in load_sites(self.keys):
            renderer = renderer_for(site)
            server = _SiteServer(renderer.routes(), 0, self.verbose)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            paths = [renderer.article_path(a) for a in site.articles]
            self.sites.append(
                RunningSite(site.key, site.family, server.origin + "/", server, paths)
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
