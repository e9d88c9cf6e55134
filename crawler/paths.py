"""Where files go when nobody says: under the crawler's home, never inside the installed package.

The home is `$CRAWLER_HOME` when set, else the current directory. Each way of running writes
its own folder there, so that the data of scheduled crawls is never mixed with anything else
(a stateless run numbers every article version 1 again):

    output/         python -m crawler crawl   records, rejects, manifests of scheduled crawls
    state/          python -m crawler crawl   the SQLite crawl state
    demo-output/    python -m crawler demo
    scrapy-output/  scrapy crawl SITE (and Scrapyd jobs), without state unless STATE_DIR is set
"""

from __future__ import annotations

import os
from pathlib import Path

OUTPUT = "output"
STATE = "state"
DEMO_OUTPUT = "demo-output"
SCRAPY_OUTPUT = "scrapy-output"
DEFAULT_FOLDERS = (OUTPUT, STATE, DEMO_OUTPUT, SCRAPY_OUTPUT)


def home() -> Path:
    """`$CRAWLER_HOME` if set (and not empty), else the current directory; absolute."""
    value = os.environ.get("CRAWLER_HOME", "").strip()
    return Path(value).expanduser().resolve() if value else Path.cwd().resolve()


def default_dir(folder: str) -> Path:
    """One of DEFAULT_FOLDERS under the home, e.g. default_dir(OUTPUT)."""
    return home() / folder
