"""How fast the demo server answers, so that crawl benchmarks measure the crawler, not it.

    python benchmarks/bench_server.py [--requests 200]

Starts the demo portal in this process and times GET requests of one site's home page over one
reused (keep-alive) connection and over fresh connections: median, 95th percentile and max.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.demo.server import DemoPortal  # noqa: E402


def timed(requests: int, host: str, port: int, reuse: bool) -> list[float]:
    times = []
    conn = http.client.HTTPConnection(host, port)
    for _ in range(requests):
        if not reuse:
            conn.close()
            conn = http.client.HTTPConnection(host, port)
        started = time.perf_counter()
        conn.request("GET", "/")
        conn.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return times[1:]  # the first request opens the connection either way


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    with DemoPortal(["dienbien"]) as sites:
        url = urlsplit(sites[0].url)
        for label, reuse in (("reused connection", True), ("new connection", False)):
            ms = sorted(timed(args.requests, url.hostname, url.port, reuse))
            p95 = ms[int(0.95 * (len(ms) - 1))]
            print(
                f"{label:<18} median {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms"
                f"  max {ms[-1]:6.2f} ms  ({len(ms)} requests)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
