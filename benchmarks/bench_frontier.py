"""Pending requests and memory of a full crawl against portal size: site spider and generic.

    python benchmarks/bench_frontier.py [--sizes 1000 4000] [--site dienbien] [--page-size 40]
                                        [-s NAME=VALUE]

Builds synthetic portals of N articles (bench_crawl.synthetic), serves each with the demo server
and crawls it to the end, no politeness delay, once with the site's own spider and once with the
zero-config `generic` spider, in a fresh process each. Prints pages fetched, the peak of pending
requests (the scheduler's length, sampled every 50 ms), the generic spider's peak of pages held
for its site model, and the crawler process's own peak RSS (VmHWM). Pending requests that stay
flat as N grows mean the crawl does not queue the whole site.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_crawl import add_settings_option, settings_of, synthetic  # noqa: E402

CRAWL = r"""
import hashlib, json, sys
from scrapy.crawler import CrawlerProcess
from scrapy.spiderloader import SpiderLoader
from scrapy import signals
from scrapy.utils.project import get_project_settings
spider, url, work, extra = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
settings = get_project_settings()
settings.setdict({
    "STATE_DIR": f"{work}/state", "OUTPUT_DIR": f"{work}/out", "LOG_LEVEL": "ERROR",
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "PROGRESS_INTERVAL": 0, "HTTPCACHE_ENABLED": False, "MAX_LISTING_PAGES": 100000,
    "SITE_MODEL_MAX_PAGES": 1000000, **extra,
}, priority="cmdline")
process = CrawlerProcess(settings)
crawler = process.create_crawler(SpiderLoader.from_settings(settings).load(spider))
peak = {"pending": 0, "facts": 0}
emitted = []
def sample():
    scheduler = crawler.engine.scheduler if crawler.engine else None
    if scheduler is not None:
        peak["pending"] = max(peak["pending"], len(scheduler))
    facts = getattr(crawler.spider, "facts", None)
    if facts is not None:
        peak["facts"] = max(peak["facts"], len(facts))
def on_open(spider):
    from twisted.internet import task  # after CrawlerProcess has installed its reactor
    crawler._sampler = task.LoopingCall(sample)
    crawler._sampler.start(0.05)
crawler.signals.connect(on_open, signal=signals.spider_opened)
def on_item(item, **kw):
    emitted.append(item["url"])
crawler.signals.connect(on_item, signal=signals.item_scraped)
process.crawl(crawler, start_url=url)
process.start()
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
stats = crawler.stats.get_stats()
records = hashlib.sha1("\n".join(sorted(emitted)).encode()).hexdigest()
print(json.dumps({**peak, "pages": stats.get("response_received_count", 0),
                  "items": stats.get("item_scraped_count", 0), "rss": hwm / 1024,
                  "records": records}))
"""


def crawl(spider: str, url: str, work: Path, settings: dict | None = None) -> dict:
    """One full crawl in a fresh process: peaks, pages, items, RSS and a digest of the URLs
    emitted (`records`)."""
    proc = subprocess.run(
        [sys.executable, "-c", CRAWL, spider, url, str(work), json.dumps(settings or {})],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--site", default="dienbien")
    parser.add_argument("--page-size", type=int, default=40, help="entries per listing page")
    add_settings_option(parser, "SITE_MODEL_SAMPLE_PAGES=500")
    args = parser.parse_args(argv)
    extra = settings_of(parser, args)
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = Path(tmp, f"data-{n}")
            data.mkdir()
            synthetic(args.site, n, data, args.page_size)
            server = subprocess.Popen(
                [sys.executable, "-m", "crawler", "demo", "--serve", "--data-dir", str(data)]
                + [args.site],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            try:
                url = next(x.split()[2] for x in server.stdout if x.split()[:1] == [args.site])
                for spider in (args.site, "generic"):
                    work = Path(tmp, f"{spider}-{n}")
                    rows.append((n, spider, crawl(spider, url, work, extra)))
            finally:
                server.terminate()
                server.wait()
    print(
        f"{args.site} portal, {args.page_size} per listing page, no politeness delay;"
        f" load average {load:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    print(
        f"{'articles':>8} {'spider':<9} {'pages':>6} {'items':>6} {'peak pending':>12}"
        f" {'peak pages held':>15} {'peak RSS MiB':>12}"
    )
    for n, spider, r in rows:
        held = r["facts"] if spider == "generic" else "-"
        print(
            f"{n:>8} {spider:<9} {r['pages']:>6} {r['items']:>6} {r['pending']:>12}"
            f" {held:>15} {r['rss']:>12.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
