"""Crawl cost on a large local portal: full crawl vs incremental re-crawl, and peak memory.

    python benchmarks/bench_crawl.py [--sizes 1000 5000] [--site dienbien]

Builds a synthetic portal of N articles (the bundled articles of one site, cloned with new ids,
titles and dates), serves it on 127.0.0.1 with the demo server, and runs `python -m crawler crawl`
against it: a full crawl into an empty state, then an incremental re-crawl of the unchanged
portal. Prints pages fetched, wall time and the crawler process's peak RSS for each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def synthetic(site: str, n: int, out: Path) -> None:
    src = json.loads((ROOT / "crawler/demo/data" / f"{site}.json").read_text("utf-8"))
    base = src["articles"]
    start = datetime(2015, 1, 1, 8, 0)
    articles = []
    for i in range(n):
        a = json.loads(json.dumps(base[i % len(base)]))
        a.pop("seed", None)
        a["id"] = 100000 + i
        a["slug"] = f"{a['slug'][:60]}-{i}"
        a["title"] = f"{a['title']} (bản {i})"
        a["published"] = (start + timedelta(hours=6 * i)).strftime("%Y-%m-%dT%H:%M")
        articles.append(a)
    (out / f"{site}.json").write_text(
        json.dumps({"site": site, "articles": articles}, ensure_ascii=False), "utf-8"
    )


def run(args: list[str]) -> tuple[float, int, int]:
    """(wall seconds, exit status, peak RSS in MiB) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024


def bench(site: str, n: int, work: Path) -> dict:
    data = work / f"data-{n}"
    data.mkdir()
    synthetic(site, n, data)
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", "--data-dir", str(data), site],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = next(line.split()[2] for line in server.stdout if line.split()[:1] == [site])
        crawl = [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            f"{site}={url}",
            "--state",
            str(work / f"state-{n}"),
            "--output-dir",
            str(work / f"out-{n}"),
            "--log-level",
            "WARNING",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "-s",
            "MAX_LISTING_PAGES=100000",
            "-s",
            "PROGRESS_INTERVAL=0",
            "-s",
            "HTTPCACHE_ENABLED=0",
        ]
        results = {}
        for label in ("full", "incremental"):
            wall, code, rss = run(crawl)
            manifest = json.loads(
                sorted((work / f"out-{n}" / site).glob("manifests/*.json"))[-1].read_text()
            )
            results[label] = {
                "wall_s": wall,
                "exit": code,
                "rss_mib": rss,
                "pages": manifest["counts"]["pages"],
                "records": manifest["counts"]["records"],
            }
        return results
    finally:
        server.terminate()
        server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--site", default="dienbien")
    args = parser.parse_args(argv)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rows[n] = bench(args.site, n, Path(tmp))
    print(f"site family of {args.site}, local server, no politeness delay")
    print(
        f"{'articles':>8}  {'run':<11} {'pages':>6} {'records':>7} {'wall s':>7} {'peak RSS MiB':>12} exit"
    )
    for n, res in rows.items():
        for label, r in res.items():
            print(
                f"{n:>8}  {label:<11} {r['pages']:>6} {r['records']:>7} {r['wall_s']:>7.1f} {r['rss_mib']:>12} {r['exit']}"
            )
    if len(rows) >= 2:
        small, large = min(rows), max(rows)
        growth = rows[large]["full"]["rss_mib"] / rows[small]["full"]["rss_mib"] - 1
        print(
            f"peak memory of a full crawl, {large} vs {small} articles: {growth:+.0%} (target within +20%)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
