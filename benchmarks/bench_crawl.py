"""Crawl cost on a large local portal: full crawl vs incremental re-crawl, CPU and peak memory.

    python benchmarks/bench_crawl.py [--sizes 1000 10000] [--page-size 40] [--repeat 3]
                                     [--site dienbien] [--baseline-src DIR]

Builds a synthetic portal of N articles (the bundled articles of one site, cloned with new ids,
titles and dates spread between 2015 and yesterday, so that every date stays in the past whatever
N), serves it on 127.0.0.1 with the demo server (PAGE-SIZE entries per listing page, as real
portals list 20-50), and runs `python -m crawler crawl` against it: a full crawl into an empty
state, then an incremental re-crawl of the unchanged portal. For each it prints pages fetched,
wall time, CPU per page (the crawl's CPU less the CPU of a one-page crawl, which is the import
and start-up cost) and the crawler process's own peak RSS (VmHWM of that pid, sampled while it
runs: the rusage of a child also counts the parent it was forked from).

It then times extraction alone (decode, extract, dates, normalize, validate) on 200 of the
portal's article pages in a fresh process: the first pass over them (cold: nothing compiled or
cached) and a second pass (warm).

--baseline-src DIR runs an older checkout (`git worktree add /tmp/base-cost COMMIT`) against the
same server, interleaved with this one, and prints the ratios. Figures are medians of --repeat
runs: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # crash_storm's too

# Run in a fresh process with PYTHONPATH=<src>: extraction CPU per page, cold then warm.
EXTRACT_SCRIPT = r"""
import json, sys, time, urllib.request
from pipelines.chain import record_from_page
from pipelines.encoding import decode_html
site, urls = sys.argv[1], json.loads(sys.stdin.read())
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
cls = SpiderLoader.from_settings(get_project_settings()).load(site)
bodies = [(u, urllib.request.urlopen(u).read()) for u in urls]
out = []
for _ in range(2):
    started = time.process_time()
    for url, body in bodies:
        html, _enc = decode_html(body, "utf-8")
        record_from_page(url, html, cls.extraction_rules, site=site)
    out.append((time.process_time() - started) / len(bodies) * 1000)
print(json.dumps(out))
"""


def synthetic(site: str, n: int, out: Path, page_size: int | None = None) -> None:
    """N articles of `site` in out/<site>.json; page_size entries per listing page (None: the
    demo's own)."""
    src = json.loads((ROOT / "crawler/demo/data" / f"{site}.json").read_text("utf-8"))
    base = src["articles"]
    start = datetime(2015, 1, 1, 8, 0)
    # Six hours apart (a portal that grows keeps its old dates: crash_storm --grow), closer when
    # that would run past yesterday: dates never reach the future, however many articles.
    step = min(timedelta(hours=6), (datetime.now() - timedelta(days=1) - start) / max(n, 1))
    articles = []
    for i in range(n):
        a = json.loads(json.dumps(base[i % len(base)]))
        a.pop("seed", None)
        a["id"] = 100000 + i
        a["slug"] = f"{a['slug'][:60]}-{i}"
        a["title"] = f"{a['title']} (bản {i})"
        a["published"] = (start + step * i).strftime("%Y-%m-%dT%H:%M")
        articles.append(a)
    data: dict = {"site": site, "articles": articles}
    if page_size:
        data["page_size"] = page_size
    (out / f"{site}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run(args: list[str], src: Path) -> dict[str, float]:
    """Wall seconds, CPU seconds, exit status and the process's own peak RSS (MiB)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=src, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        # VmHWM is the high-water mark of this process's own memory (reset by exec).
        while not done.is_set():
            kib = _hwm_kib(proc.pid)
            if kib:
                peak[0] = max(peak[0], kib)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "exit": os.waitstatus_to_exitcode(status),
        "rss_mib": peak[0] / 1024,
    }


def crawl_args(site: str, url: str, state: Path, out: Path, extra: list[str]) -> list[str]:
    settings = {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "MAX_LISTING_PAGES": 100000,
        "PROGRESS_INTERVAL": 0,
        "HTTPCACHE_ENABLED": 0,
    }
    args = [sys.executable, "-m", "crawler", "crawl", f"{site}={url}", "--state", str(state)]
    args += ["--output-dir", str(out), "--log-level", "WARNING"]
    for k, v in settings.items():
        args += ["-s", f"{k}={v}"]
    return args + extra


def add_settings_option(parser: argparse.ArgumentParser, example: str) -> None:
    """The benchmarks' -s NAME=VALUE (repeatable): a crawl setting for the crawls they run."""
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"a crawl setting, e.g. -s {example} (repeatable)",
    )


def settings_of(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """The -s settings as a dict; a value without "=" is a usage error naming it."""
    for kv in args.settings:
        if "=" not in kv:
            parser.error(f"-s {kv}: expected NAME=VALUE")
    return dict(kv.split("=", 1) for kv in args.settings)


def pages_of(out: Path, site: str) -> int:
    # manifests/<run>.json; older checkouts wrote <run>.manifest.json beside the records.
    found = sorted((out / site).glob("manifests/*.json")) or sorted(
        (out / site).glob("*.manifest.json")
    )
    manifest = found[-1]
    return json.loads(manifest.read_text())["counts"]["pages"]


def startup_cpu(site: str, url: str, src: Path, work: Path) -> float:
    """CPU of a one-page crawl: import and start-up, subtracted from the per-page figure."""
    d = work / "startup"
    shutil.rmtree(d, ignore_errors=True)
    r = run(crawl_args(site, url, d / "state", d / "out", ["--max-pages", "1"]), src)
    return r["cpu_s"]


def extraction(site: str, urls: list[str], src: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", EXTRACT_SCRIPT, site],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        cwd=src,
        env=env,
        check=True,
    )
    cold, warm = json.loads(proc.stdout.strip().splitlines()[-1])
    return cold, warm


def bench(
    site: str,
    n: int,
    work: Path,
    srcs: dict[str, Path],
    page_size: int,
    repeat: int,
    extra: list[str],
) -> dict:
    data = work / f"data-{n}"
    data.mkdir()
    synthetic(site, n, data, page_size)
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", "--data-dir", str(data), site],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = next(line.split()[2] for line in server.stdout if line.split()[:1] == [site])
        results: dict[str, dict] = {name: {"full": [], "incremental": []} for name in srcs}
        start_cpu = {name: startup_cpu(site, url, src, work) for name, src in srcs.items()}
        for i in range(repeat):
            for name, src in srcs.items():  # interleaved: a load spike hits both
                state, out = work / f"state-{n}-{name}-{i}", work / f"out-{n}-{name}-{i}"
                # -s settings go to this checkout only: an older one may not know them.
                args = crawl_args(site, url, state, out, extra if name == "today" else [])
                for label in ("full", "incremental"):
                    r = run(args, src)
                    r["pages"] = pages_of(out, site)
                    r["cpu_ms_page"] = (
                        max(r["cpu_s"] - start_cpu[name], 0) / max(r["pages"] - 1, 1) * 1000
                    )
                    results[name][label].append(r)
                shutil.rmtree(state, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
        arts = sorted(
            json.loads((data / f"{site}.json").read_text("utf-8"))["articles"],
            key=lambda a: a["id"],
        )[:200]
        from crawler.demo.families import renderer_for
        from crawler.demo.portal import load_site

        renderer = renderer_for(load_site(site, data))
        urls = [url.rstrip("/") + renderer.article_path(a) for a in arts]
        extract = {name: extraction(site, urls, src) for name, src in srcs.items()}
        return {"crawl": results, "startup": start_cpu, "extract": extract}
    finally:
        server.terminate()
        server.wait()


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--site", default="dienbien")
    parser.add_argument("--page-size", type=int, default=40, help="entries per listing page")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawl (median)")
    parser.add_argument("--baseline-src", type=Path, help="an older checkout to run beside")
    add_settings_option(parser, "CONCURRENT_ITEMS=8 (this checkout's crawls only)")
    args = parser.parse_args(argv)
    settings_of(parser, args)  # a malformed -s fails here, before any portal is built
    srcs = {"today": ROOT}
    if args.baseline_src:
        srcs["baseline"] = args.baseline_src.resolve()
    rows = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            extra = [a for kv in args.settings for a in ("-s", kv)]
            rows[n] = bench(args.site, n, Path(tmp), srcs, args.page_size, args.repeat, extra)
    print(
        f"site family of {args.site}, local server, no politeness delay, {args.page_size} per"
        f" listing page; medians of {args.repeat}; load average {load_before[0]:.2f} before,"
        f" {os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores"
    )
    print(
        f"{'articles':>8}  {'src':<8} {'run':<11} {'pages':>6} {'wall s':>7} {'CPU s':>6}"
        f" {'ms/page':>7} {'peak RSS MiB':>12} exit"
    )
    for n, res in rows.items():
        for name, by_run in res["crawl"].items():
            for label, runs in by_run.items():
                pages = int(med(runs, "pages"))
                # A re-crawl that stops at its first listing has no per-page figure.
                per_page = f"{med(runs, 'cpu_ms_page'):.2f}" if pages >= 10 else "-"
                print(
                    f"{n:>8}  {name:<8} {label:<11} {pages:>6}"
                    f" {med(runs, 'wall_s'):>7.1f} {med(runs, 'cpu_s'):>6.1f}"
                    f" {per_page:>7} {med(runs, 'rss_mib'):>12.1f}"
                    f" {max(r['exit'] for r in runs)}"
                )
    print(
        f"\n{'articles':>8}  {'src':<8} {'start-up CPU s':>14} {'extract cold ms/page':>20}"
        f" {'warm ms/page':>12}"
    )
    for n, res in rows.items():
        for name in srcs:
            cold, warm = res["extract"][name]
            print(f"{n:>8}  {name:<8} {res['startup'][name]:>14.2f} {cold:>20.2f} {warm:>12.2f}")
    if "baseline" in srcs:
        print()
        for n, res in rows.items():
            today, base = res["crawl"]["today"]["full"], res["crawl"]["baseline"]["full"]
            ratio = med(today, "cpu_ms_page") / med(base, "cpu_ms_page")
            rss = med(today, "rss_mib") / med(base, "rss_mib")
            print(
                f"{n} articles, full crawl, today vs baseline: CPU per page {ratio:.2f}x,"
                f" peak RSS {rss:.2f}x"
            )
    if len(rows) >= 2:
        small, large = min(rows), max(rows)
        for name in srcs:
            a = med(rows[small]["crawl"][name]["full"], "rss_mib")
            b = med(rows[large]["crawl"][name]["full"], "rss_mib")
            print(
                f"{name}: peak RSS of a full crawl, {large} vs {small} articles: {b / a:.2f}x"
                " (target <= 1.3x)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
