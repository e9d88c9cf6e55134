"""Shared helpers for tests that run the crawler in a subprocess against a local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# A local test server needs no politeness delays.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def scrapy_crawl(
    spider: str,
    start_url: str,
    *extra: str,
    settings: dict[str, str] | None = None,
    timeout: int = 300,
) -> subprocess.CompletedProcess:
    """`scrapy crawl SPIDER -a start_url=URL` with fast local settings plus `settings`."""
    args = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"start_url={start_url}", *extra]
    for name, value in {**FAST, **(settings or {})}.items():
        args += ["-s", f"{name}={value}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=ENV)


def run_file(out: Path, site: str, kind: str = "") -> Path:
    """The one run file of `site` under `out` (kind "" records, "rejects", "manifest")."""
    pattern = {"": "records/*.jsonl", "rejects": "rejects/*.jsonl", "manifest": "manifests/*.json"}
    files = sorted((out / site).glob(pattern[kind]))
    assert len(files) == 1, files
    return files[0]


@contextmanager
def serve_demo(data_dir: Path | None = None) -> Iterator[dict[str, str]]:
    """`python -m crawler demo --serve` in a subprocess; yields {site: URL}."""
    from crawler.demo.portal import SITES

    args = [sys.executable, "-m", "crawler", "demo", "--serve"]
    if data_dir is not None:
        args += ["--data-dir", str(data_dir)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)
    try:
        urls: dict[str, str] = {}
        while len(urls) < len(SITES):
            line = proc.stdout.readline()
            assert line, "demo --serve exited early"
            parts = line.split()
            if len(parts) == 3 and parts[0] in SITES:
                urls[parts[0]] = parts[2]
        yield urls
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def serve_handler(handler: type) -> Iterator[Any]:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) with `handler`, in a thread; the server
    counts requests per path in `server.hits`."""
    import threading
    from collections import Counter
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.hits = Counter()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
