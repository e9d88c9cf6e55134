"""What the zero-config spider costs beside a site spider on the same portals.

    python benchmarks/bench_generic.py [--articles N] [--baseline-src DIR] [--repeat N]

Serves the demo portal (`python -m crawler demo --serve`) and crawls each of its five sites twice in
subprocesses, with its own site spider and with `generic`, no politeness delays: records, pages
fetched (the run manifest's `counts.pages`), CPU seconds of the crawl process (user + system) and
CPU per page. `--baseline-src DIR` adds a third crawl with the `generic` spider of another checkout
of this project (e.g. `git worktree add /tmp/base <commit>`), to compare with an earlier version.
`--articles N` serves N articles per site instead of the bundled 12 (the bundled ones cloned with
new ids, titles and dates, as in bench_crawl.py): the generic walk's fixed cost (home, menus,
static pages) weighs less on a portal of realistic size. Run it on an otherwise idle machine: CPU figures of parallel jobs disturb each other.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]


def crawl(spider: str, url: str, src: Path) -> dict:
    """One crawl in a subprocess: records, pages and CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        args = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"start_url={url}"]
        args += ["-O", str(out), "-s", f"OUTPUT_DIR={tmp}/runs", *FAST]
        env = {**os.environ, "PYTHONPATH": str(src)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, cwd=src, env=env, capture_output=True, check=True, timeout=900)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # This layout, or an older checkout's (<site>/<run>.manifest.json).
        runs = Path(tmp, "runs")
        manifests = list(runs.glob("*/manifests/*.json")) or list(runs.glob("*/*.manifest.json"))
        pages = json.loads(manifests[0].read_text())["counts"]["pages"] if manifests else None
        records = sum(1 for _ in out.open()) if out.exists() else 0
    return {"records": records, "pages": pages, "cpu": cpu}


def serve_demo(data_dir: Path | None = None):
    extra = ["--data-dir", str(data_dir)] if data_dir else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    urls = {}
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 3 and parts[2].startswith("http"):
            urls[parts[0]] = parts[2]
        if len(urls) == 5:
            break
    return proc, urls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, help="another checkout's generic spider too")
    parser.add_argument("--repeat", type=int, default=1, help="crawls per spider (best CPU kept)")
    parser.add_argument("--articles", type=int, help="articles per site (default: the bundled 12)")
    args = parser.parse_args(argv)
    data_dir = None
    if args.articles:
        from benchmarks.bench_crawl import synthetic
        from crawler.demo.portal import SITES

        data_dir = Path(tempfile.mkdtemp(prefix="bench-generic-"))
        for site in SITES:
            synthetic(site, args.articles, data_dir)
    proc, urls = serve_demo(data_dir)
    rows = []
    try:
        for site, url in urls.items():
            row = {"name": site}
            runs = [("own", site, ROOT), ("generic", "generic", ROOT)]
            if args.baseline_src:
                runs.append(("baseline", "generic", args.baseline_src.resolve()))
            for label, spider, src in runs:
                best = min(
                    (crawl(spider, url, src) for _ in range(args.repeat)), key=lambda r: r["cpu"]
                )
                row[label] = best
            rows.append(row)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    labels = ["own", "generic"] + (["baseline"] if args.baseline_src else [])
    print(f"{'site':<10}" + "".join(f"{lab + ' rec/pages/cpu ms/page':>34}" for lab in labels))
    totals = {lab: {"pages": 0, "cpu": 0.0, "records": 0} for lab in labels}
    for row in rows:
        cells = []
        for lab in labels:
            r = row[lab]
            for k in totals[lab]:
                totals[lab][k] += r[k] or 0
            per = 1000 * r["cpu"] / r["pages"] if r["pages"] else float("nan")
            cells.append(f"{r['records']:>12}{r['pages']:>8}{per:>14.1f}")
        print(f"{row['name']:<10}" + "".join(cells))
    print()
    for lab in labels:
        t = totals[lab]
        print(
            f"{lab:<9} records {t['records']:>4}  pages {t['pages']:>4}  CPU {t['cpu']:6.2f} s"
            f"  {1000 * t['cpu'] / max(t['pages'], 1):6.1f} ms/page"
        )
    site, gen = totals["own"], totals["generic"]
    print(f"\ngeneric / site spider: pages {gen['pages'] / max(site['pages'], 1):.2f}x")
    if args.baseline_src:
        base = totals["baseline"]
        ratio = (gen["cpu"] / max(gen["pages"], 1)) / (base["cpu"] / max(base["pages"], 1))
        print(f"generic / baseline generic: CPU per page {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
