"""Command line: `python -m crawler demo [--serve]`, `python -m crawler dates ...`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")


def _crawl_sites(targets: list[tuple[str, str]], overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """Crawl (spider name, start URL) pairs in one process; one summary row per site."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for name, url in targets:
        crawler = process.create_crawler(name)
        process.crawl(crawler, start_url=url)
        crawlers.append((name, crawler))
    process.start()
    rows = []
    for name, crawler in crawlers:
        stats = crawler.stats.get_stats()
        rows.append(
            {
                "site": name,
                "pages": stats.get("response_received_count", 0),
                "records": stats.get("output/records", stats.get("item_scraped_count", 0)),
                "rejects": stats.get("rejects/count", 0),
                "duplicates": stats.get("dedupe/dropped", 0),
                "output": stats.get("output/file", "-"),
                "finish_reason": stats.get("finish_reason", "?"),
            }
        )
    return rows


def _print_table(rows: list[dict[str, Any]]) -> None:
    cols = ["site", "pages", "records", "rejects", "duplicates", "output"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in cols))


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.server import DemoPortal

    portal = DemoPortal(args.sites or None, verbose=args.serve)
    sites = portal.start()
    try:
        if args.serve:
            print("Demo portal (offline reconstructions) is serving; Ctrl-C stops it.")
            for s in sites:
                print(f"  {s.key:<10} {s.family:<13} {s.url}", flush=True)
            while True:
                time.sleep(3600)
        overrides = {
            "OUTPUT_DIR": args.output_dir,
            # A local server needs no politeness; real crawls keep the defaults.
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "LOG_LEVEL": args.log_level,
        }
        rows = _crawl_sites([(s.key, s.url) for s in sites], overrides)
    except KeyboardInterrupt:
        return 0
    finally:
        portal.stop()
    print()
    _print_table(rows)
    expected = {s.key: len(s.article_paths) for s in sites}
    bad = [r["site"] for r in rows if r["records"] != expected[r["site"]] or r["rejects"]]
    if bad:
        print(f"\nproblem sites: {', '.join(bad)} (see the rejects files and the log)")
        return 1
    return 0


def cmd_dates(argv: list[str]) -> int:
    from pipelines.dates import main as dates_main

    return dates_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "dates":
        return cmd_dates(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m crawler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="serve the bundled offline portal and crawl every site in it"
    )
    demo.add_argument(
        "--serve", action="store_true", help="only serve the portal until interrupted"
    )
    demo.add_argument("--output-dir", default=None, help="where JSONL goes (default: output/)")
    demo.add_argument("--log-level", default="WARNING")
    demo.add_argument("sites", nargs="*", help="site names (default: all)")
    sub.add_parser("dates", help="normalize date strings (see `dates --help`)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        if args.output_dir is None:
            from crawler import settings

            args.output_dir = settings.OUTPUT_DIR
        return cmd_demo(args)
    return 2
