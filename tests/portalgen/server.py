"""Serve generated portals on 127.0.0.1, one port per seed.

    python -m tests.portalgen.server --seed 3 --seed 4 [--port 0]

prints `seed <N> http://127.0.0.1:<port>/` per portal, then `ready`, and serves until killed.
In-process: `server, url = serve(portal)`; stop with `server.shutdown(); server.server_close()`.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from tests.portalgen.generator import Portal, build_portal


def _handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "portalgen/1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _lookup(self):
            path = self.path
            if path.startswith(("http://", "https://")):  # absolute-form request target
                path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
            path = path.split("#", 1)[0]
            if path not in portal.pages and unquote(path) in portal.pages:
                path = unquote(path)
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
            return portal.page(path, f"http://{host}")

        def _respond(self, head_only: bool) -> None:
            page = self._lookup()
            self.server.hits.append(self.path)  # type: ignore[attr-defined]
            lines = [
                f"HTTP/1.1 {page.status} {HTTPStatus(page.status).phrase}",
                f"Server: {self.server_version}",
                f"Content-Type: {page.content_type}",
                f"Content-Length: {len(page.body)}",
                *(f"{k}: {v}" for k, v in page.headers),
                "",
                "",
            ]
            data = "\r\n".join(lines).encode("latin-1")
            if not head_only:
                data += page.body
            self.wfile.write(data)
            self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802
            self._respond(False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(True)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    """Records every request target in `hits` (in arrival order)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hits: list[str] = []


def serve(portal: Portal, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve `portal` on 127.0.0.1:`port` (0: any free port) in a daemon thread.

    `server.hits` lists the request targets received so far.
    """
    server = _Server(("127.0.0.1", port), _handler(portal))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--seed", type=int, action="append", required=True, help="portal seed (repeatable)"
    )
    ap.add_argument("--port", type=int, default=0, help="first port (0: any free port per portal)")
    args = ap.parse_args(argv)
    servers = []
    for i, seed in enumerate(args.seed):
        server, url = serve(build_portal(seed), args.port + i if args.port else 0)
        servers.append(server)
        print(f"seed {seed} {url}", flush=True)
    print("ready", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
