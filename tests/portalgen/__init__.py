"""Randomized Vietnamese government news portals with gold, for benchmarking the zero-config spider.

from tests.portalgen import build_portal, serve
portal = build_portal(7)          # deterministic per seed
server, url = serve(portal)       # http://127.0.0.1:PORT/
"""

from tests.portalgen.generator import GoldArticle, Page, Portal, build_portal


def serve(portal: Portal, port: int = 0):
    """`tests.portalgen.server.serve`: (server, "http://127.0.0.1:PORT/")."""
    from tests.portalgen.server import serve as _serve  # lazy: `python -m tests.portalgen.server`

    return _serve(portal, port)


__all__ = ["GoldArticle", "Page", "Portal", "build_portal", "serve"]
