"""Randomized Vietnamese government news portals with gold, for benchmarking the zero-config spider.

from tests.portalgen import build_portal, serve
portal = build_portal(7)          # deterministic per seed
server, url = serve(portal)       # http://127.0.0.1:PORT/
"""

from tests.portalgen.generator import GoldArticle, Page, Portal, build_portal
from tests.portalgen.server import serve

__all__ = ["GoldArticle", "Page", "Portal", "build_portal", "serve"]
