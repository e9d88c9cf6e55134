"""A second, independently written generator of randomized Vietnamese government portals with gold.

from tests.portalgen2 import build_portal, serve
portal = build_portal(7)          # deterministic per seed; a tests.portalgen.Portal
server, url = serve(portal)       # http://127.0.0.1:PORT/ (tests.portalgen.server)
"""

from tests.portalgen import GoldArticle, Page, Portal, serve
from tests.portalgen2.generator import build_portal

__all__ = ["GoldArticle", "Page", "Portal", "build_portal", "serve"]
