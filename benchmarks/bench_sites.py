"""Many sites, one crawler process, default politeness: how many sites one core keeps up with.

    python benchmarks/bench_sites.py [--sites 50 100 200] [--seconds 60] [--site dienbien]
                                     [--servers 1] [-s NAME=VALUE ...]

Serves N copies of one demo site (a synthetic portal of --articles articles, 40 per listing page),
each on its own 127.0.0.1 port, from --servers server processes apart from the crawler (an
asyncio loop each, pages rendered once: the server's busiest process's CPU share is printed, to
show that it does not set the pace), and crawls all of them from one
crawler process with the project's politeness settings unchanged (DOWNLOAD_DELAY 1, AutoThrottle
on, one request at a time per site) for --seconds. Prints, per N: pages/s per site (median and
10th percentile), the crawler process's CPU share of one core over the crawl, the sites one core
would sustain at that rate (N / CPU share, a linear estimate) and its peak RSS; then the same in
the steady window (from 15 s after the last site opened until the first one closes: start-up
and shut-down are no per-page cost). The machine's load average is printed with them: on a
shared machine CPU share is inflated.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_crawl import add_settings_option, settings_of, synthetic  # noqa: E402

# The sites' server: one asyncio loop answering every copy (one listening port each) from pages
# rendered once and cached, keep-alive, TCP_NODELAY. The demo server (a thread per connection,
# every page rendered per request) was itself the bottleneck at 100+ sites: what was measured
# was the server, not the crawler. Answers are the demo server's: same status, type and body.
SERVE = r"""
import asyncio, socket, sys
from pathlib import Path
from crawler.demo.families import renderer_for
from crawler.demo.portal import load_site
site, data, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
routes = renderer_for(load_site(site, data)).routes()
rendered = {}
NOT_FOUND = b"<html><body><h1>404 - Trang khong ton tai</h1></body></html>"

def page(path):
    found = rendered.get(path)
    if found is None:
        route = routes.get(path) or routes.get(path.split("?")[0])
        if route is None:
            found = (404, "Not Found", "text/html; charset=utf-8", NOT_FOUND)
        else:
            ctype, body = route
            found = (200, "OK", ctype, body() if callable(body) else body)
        rendered[path] = found
    return found

class Http(asyncio.Protocol):
    def __init__(self, origin):
        self.origin, self.buf = origin, b""
    def connection_made(self, transport):
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def data_received(self, data):
        self.buf += data
        while b"\r\n\r\n" in self.buf:  # GET requests: no body
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            status, reason, ctype, body = page(target)
            body = body.replace(b"{base}", self.origin)
            self.transport.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode() + body
            )

async def main():
    for _ in range(n):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        origin = f"http://127.0.0.1:{sock.getsockname()[1]}"
        await asyncio.get_running_loop().create_server(
            lambda o=origin.encode(): Http(o), sock=sock, backlog=64
        )
        print(origin + "/", flush=True)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""

CRAWL = r"""
import gc, json, resource, sys, time
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from scrapy.spiderloader import SpiderLoader
site, work, seconds, extra = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
WARM = min(15, seconds // 4)  # seconds after the last site opened before the steady window
urls = json.loads(sys.stdin.read())
settings = get_project_settings()
base = SpiderLoader.from_settings(settings).load(site)
settings.setdict({
    "STATE_DIR": f"{work}/state", "OUTPUT_DIR": f"{work}/out", "LOG_LEVEL": "ERROR",
    "CLOSESPIDER_TIMEOUT": seconds, "PROGRESS_INTERVAL": 0, "HTTPCACHE_ENABLED": False,
    "MAX_LISTING_PAGES": 100000, "TELNETCONSOLE_ENABLED": False, **extra,
}, priority="cmdline")
process = CrawlerProcess(settings)
gc_time, gc_started, gc_by_gen = [0.0], [0.0], [[0, 0.0], [0, 0.0], [0, 0.0]]
def gc_clock(phase, info):
    # The collector's share of the crawl: time spent inside collections, by generation.
    if phase == "start":
        gc_started[0] = time.process_time()
    else:
        spent = time.process_time() - gc_started[0]
        gc_time[0] += spent
        gc_by_gen[info["generation"]][0] += 1
        gc_by_gen[info["generation"]][1] += spent
gc.callbacks.append(gc_clock)
crawlers, opened, mark, samples, closing = [], [], {}, [], []
def sample():
    # Until the first site closes: the steady window leaves out start-up and shut-down.
    if not closing:
        pages = sum(c.stats.get_value("response_received_count", 0) for c in crawlers)
        samples.append((time.monotonic(), time.process_time(), pages, gc_time[0]))
def on_open(spider):
    # The CPU window starts once every site has started: start-up is no per-page cost.
    opened.append(spider)
    if len(opened) == len(urls):
        mark.update(cpu=time.process_time(), t=time.monotonic())
        from twisted.internet import task
        mark["sampler"] = task.LoopingCall(sample)
        mark["sampler"].start(1.0)
def on_close(spider):
    closing.append(spider)
for i, url in enumerate(urls):
    # One spider class per site: state and output are keyed by the spider's name.
    cls = type(f"Site{i}", (base,), {"name": f"{site}_{i:03d}"})
    crawler = process.create_crawler(cls)
    crawler.signals.connect(on_open, signal=signals.spider_opened)
    crawler.signals.connect(on_close, signal=signals.spider_closed)
    process.crawl(crawler, start_url=url)
    crawlers.append(crawler)
process.start()
wall = time.monotonic() - mark["t"]; cpu = time.process_time() - mark["cpu"]
rates, listings, pages_all = [], 0, 0
for c in crawlers:
    s = c.stats.get_stats()
    pages = s.get("response_received_count", 0)
    span = (s["finish_time"] - s["start_time"]).total_seconds()
    rates.append(pages / span if span else 0.0)
    listings += s.get("listing/pages", 0)
    pages_all += pages
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
steady = [x for x in samples if x[0] >= mark["t"] + WARM]
(t0, c0, p0, g0), (t1, c1, p1, g1) = steady[0], steady[-1]
print(json.dumps({"rates": rates, "listing_share": listings / max(pages_all, 1), "cpu": cpu, "wall": wall, "rss": rss,
                  "steady_rate": (p1 - p0) / (t1 - t0) / len(urls),
                  "steady_share": (c1 - c0) / (t1 - t0), "steady_s": t1 - t0,
                  "steady_gc": (g1 - g0) / (c1 - c0), "gc_by_gen": gc_by_gen}))
"""


def _cpu_s(pid: int) -> float:
    """utime + stime of a live process, in seconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    site: str, n: int, seconds: int, articles: int, servers: int, work: Path, extra: dict
) -> dict:
    data = work / "data"
    if not data.exists():
        data.mkdir()
        synthetic(site, articles, data, 40)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    shares = [n // servers + (i < n % servers) for i in range(servers)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE, site, str(data), str(k)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in shares
        if k
    ]
    try:
        urls = []
        for server in procs:
            for line in server.stdout:
                if line.strip() == "ready":
                    break
                urls.append(line.strip())
        crawl_dir = work / f"crawl-{n}"
        load = os.getloadavg()[0]
        server_cpu = [_cpu_s(s.pid) for s in procs]
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", CRAWL, site, str(crawl_dir), str(seconds), json.dumps(extra)],
            input=json.dumps(urls),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        elapsed = time.monotonic() - started
        # The busiest server process's share of a core: near 100% would mean it, not the
        # crawler, sets the pace.
        result_server = max(_cpu_s(s.pid) - c for s, c in zip(procs, server_cpu, strict=True))
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["load"] = (load + os.getloadavg()[0]) / 2
        result["server_share"] = result_server / elapsed
        return result
    finally:
        for server in procs:
            server.stdin.close()
            server.terminate()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seconds", type=int, default=60, help="crawl time per run")
    parser.add_argument("--site", default="dienbien")
    parser.add_argument("--articles", type=int, default=400, help="articles per site")
    parser.add_argument(
        "--servers", type=int, default=1, help="server processes the sites are spread over"
    )
    add_settings_option(parser, "DOWNLOADER=scrapy.core.downloader.Downloader")
    args = parser.parse_args(argv)
    extra = settings_of(parser, args)
    print(
        f"{args.site} copies, default politeness (DOWNLOAD_DELAY 1, AutoThrottle), one crawler"
        f" process, {args.seconds} s per run, {os.cpu_count()} cores"
        + "".join(f", {k}={v}" for k, v in extra.items())
    )
    print(
        f"{'sites':>5} {'pages/s/site':>12} {'p10':>5} {'CPU share':>9} {'sites/core':>10}"
        f" {'steady pages/s/site':>19} {'steady CPU':>10} {'steady sites/core':>17}"
        f" {'CPU ms/page':>11} {'GC share':>8}"
        f" {'peak RSS MiB':>12} {'server CPU':>10} {'load avg':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sites:
            r = measure(args.site, n, args.seconds, args.articles, args.servers, Path(tmp), extra)
            rates = sorted(r["rates"])
            share = r["cpu"] / r["wall"]
            print(
                f"{n:>5} {statistics.median(rates):>12.2f} {rates[len(rates) // 10]:>5.2f}"
                f" {share:>9.0%} {n / share:>10.0f} {r['steady_rate']:>19.2f}"
                f" {r['steady_share']:>10.0%} {n / r['steady_share']:>17.0f}"
                f" {1000 * r['steady_share'] / (r['steady_rate'] * n):>11.2f}"
                f" {r['steady_gc']:>8.0%}"
                f" {r['rss']:>12.0f} {r['server_share']:>10.0%}"
                f" {r['load']:>8.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
