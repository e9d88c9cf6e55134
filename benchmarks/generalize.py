"""How well the zero-config spider generalizes: crawl randomized portals and score against their gold.

    python benchmarks/generalize.py --seeds 1-10 [--spider generic] [--jobs 2] [--json] [-v]
                                    [--floors recall=0.97,precision=0.97] [--keep DIR]
                                    [--generator portalgen|portalgen2] [-s NAME=VALUE]

For each seed it builds a portal (tests/portalgen), serves it on 127.0.0.1, runs
`python -m crawler crawl <spider> -a start_url=URL` on it in a subprocess (no delays, robots.txt
obeyed) and matches the records (`*Z.jsonl`) to the gold articles by path+query of `url` or
`canonical_url` (an alias URL of an article, `portal.aliases`, counts as the article). Per site,
then overall (micro over all gold articles; "mean" is the mean of the per-site figures):

  recall     gold articles emitted / gold articles
  precision  records that are gold articles / records
  dup        gold articles emitted more than once
  title      matched articles whose title is exactly the gold title (NFC, whitespace collapsed)
  date       matched articles whose published_at is right (to the minute, or the day when the
             page only states the day)
  f1         mean bag-of-tokens F1 of `text` against the gold paragraphs
  leak       matched articles whose text holds a boilerplate string or another article's title
  pages      pages fetched (the run manifest's counts.pages; else requests in the log or at the
             server), time: wall time of the crawl

`--floors name=value,...` exits 1 when an overall (micro) figure is below its floor; for `dup` and
`leak` the value is a ceiling. `-v` lists per site the misses, the false positives (with the kind
of page when the generator knows it) and the wrong titles and dates.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.portalgen import build_portal, serve  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ICT = timezone(timedelta(hours=7))
FIGURES = ("recall", "precision", "title", "date", "f1")
CEILINGS = ("dup", "leak")
_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?…-–—/\\|*•·%"


def parse_seeds(spec: str) -> list[int]:
    seeds: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            seeds.extend(range(int(lo), int(hi) + 1))
        else:
            seeds.append(int(part))
    return list(dict.fromkeys(seeds))


def norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s or "").split())


def url_key(url: str | None) -> str | None:
    """Path + query of a URL (scheme and host stripped), query parameters sorted."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    if not parts.query:
        return path
    return path + "?" + urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def tokens(text: str) -> Counter:
    out = Counter()
    for tok in unicodedata.normalize("NFC", text).lower().split():
        tok = tok.strip(_PUNCT)
        if tok:
            out[tok] += 1
    return out


def f1(got: str, want: str) -> float:
    g, w = tokens(got), tokens(want)
    if not g or not w:
        return 1.0 if g == w else 0.0
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def date_ok(got: str | None, gold: str, precision: str) -> bool:
    if not got:
        return False
    try:
        dt = datetime.fromisoformat(got.replace("Z", "+00:00"))
    except ValueError:
        return False
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ICT)
    dt = dt.astimezone(ICT)
    want = datetime.fromisoformat(gold)
    fmt = "%Y-%m-%dT%H:%M" if precision == "minute" else "%Y-%m-%d"
    return dt.strftime(fmt) == want.strftime(fmt)


def crawl(
    spider: str, url: str, work: Path, timeout: int, extra: tuple[str, ...] = ()
) -> tuple[int, float, Path, str]:
    out, state, log = work / "out", work / "state", work / "crawl.log"
    cmd = [
        sys.executable, "-m", "crawler", "crawl", spider, "-a", f"start_url={url}",
        "--output-dir", str(out), "--state", str(state), "--log-file", str(log),
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "ROBOTSTXT_OBEY=True",
    ]  # fmt: skip
    for setting in extra:
        cmd += ["-s", setting]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout
        )
        rc, err = proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        rc, err = -1, f"timeout after {timeout}s"
    return rc, time.perf_counter() - start, out, err


def read_records(out: Path) -> list[dict]:
    recs: list[dict] = []
    for f in sorted(out.glob("*/records/*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh if line.strip())
    return recs


def pages_fetched(out: Path, log: Path, hits: list[str]) -> int | None:
    for f in sorted(out.glob("*/manifests/*.json")):
        try:
            pages = json.loads(f.read_text("utf-8")).get("counts", {}).get("pages")
        except (OSError, ValueError):
            continue
        if pages is not None:
            return int(pages)
    if log.exists():
        return sum(
            1
            for line in log.open(encoding="utf-8", errors="replace")
            if "Crawled (" in line and "robots.txt" not in line
        )
    return None


def score(portal, records: list[dict]) -> dict:
    gold = {url_key(g.path): g for g in portal.gold}
    alias = {url_key(a): url_key(t) for a, t in portal.aliases.items()}
    kinds = {url_key(p): k for p, k in portal.non_article_kinds.items()}
    boiler = [norm(b) for b in portal.boilerplate]
    titles = [g.title for g in portal.gold]
    by_gold: dict[str, list[dict]] = {}
    false_pos = []
    for r in records:
        k = url_key(r.get("url"))
        k = alias.get(k, k)
        if k not in gold:
            k = url_key(r.get("canonical_url"))
            k = alias.get(k, k)
        if k in gold:
            by_gold.setdefault(k, []).append(r)
        else:
            u = url_key(r.get("canonical_url")) or url_key(r.get("url"))
            false_pos.append(
                (r.get("url"), kinds.get(url_key(r.get("url"))) or kinds.get(u) or "unknown")
            )
    title_ok = date_hits = leaks = 0
    f1s = []
    wrong_titles, wrong_dates, leaked = [], [], []
    for k, recs in by_gold.items():
        g, r = gold[k], recs[0]
        if norm(r.get("title")) == g.title:
            title_ok += 1
        else:
            wrong_titles.append((g.path, r.get("title"), g.title))
        if date_ok(r.get("published_at"), g.published_at, g.published_precision):
            date_hits += 1
        else:
            wrong_dates.append(
                (g.path, r.get("published_at"), g.published_at, g.published_precision)
            )
        text = norm(r.get("text"))
        f1s.append(f1(r.get("text") or "", "\n".join(g.paragraphs)))
        hit = next((b for b in boiler if b in text), None) or next(
            (t for t in titles if t != g.title and t in text), None
        )
        if hit:
            leaks += 1
            leaked.append((g.path, hit))
    n_gold, n_match, n_rec = len(gold), len(by_gold), len(records)
    true_recs = sum(len(v) for v in by_gold.values())
    return {
        "gold": n_gold,
        "records": n_rec,
        "matched": n_match,
        "true_records": true_recs,
        "title_ok": title_ok,
        "date_ok": date_hits,
        "f1_sum": sum(f1s),
        "recall": n_match / n_gold if n_gold else 0.0,
        "precision": true_recs / n_rec if n_rec else 0.0,
        "dup": sum(1 for v in by_gold.values() if len(v) > 1),
        "title": title_ok / n_match if n_match else 0.0,
        "date": date_hits / n_match if n_match else 0.0,
        "f1": sum(f1s) / n_match if n_match else 0.0,
        "leak": leaks,
        "misses": [(g.path, g.title) for k, g in gold.items() if k not in by_gold],
        "false_positives": false_pos,
        "wrong_titles": wrong_titles,
        "wrong_dates": wrong_dates,
        "leaked": leaked,
    }


def run_site(
    seed: int, spider: str, timeout: int, keep: Path | None, extra: tuple[str, ...] = ()
) -> dict:
    portal = build_portal(seed)
    server, url = serve(portal)
    work = Path(tempfile.mkdtemp(prefix=f"generalize-{seed}-"))
    try:
        rc, wall, out, err = crawl(spider, url, work, timeout, extra)
        records = read_records(out)
        result = score(portal, records)
        result.update(
            seed=seed,
            url=url,
            rc=rc,
            time=wall,
            pages=pages_fetched(out, work / "crawl.log", server.hits),
            stderr=err if rc not in (0, 1) else "",
        )
        if keep:
            dest = keep / f"seed-{seed}"
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(work, dest)
            result["kept"] = str(dest)
        return result
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)


def overall(sites: list[dict]) -> tuple[dict, dict]:
    n_gold = sum(s["gold"] for s in sites)
    n_match = sum(s["matched"] for s in sites)
    n_rec = sum(s["records"] for s in sites)
    micro = {
        "gold": n_gold,
        "records": n_rec,
        "matched": n_match,
        "recall": n_match / n_gold if n_gold else 0.0,
        "precision": sum(s["true_records"] for s in sites) / n_rec if n_rec else 0.0,
        "dup": sum(s["dup"] for s in sites),
        "title": sum(s["title_ok"] for s in sites) / n_match if n_match else 0.0,
        "date": sum(s["date_ok"] for s in sites) / n_match if n_match else 0.0,
        "f1": sum(s["f1_sum"] for s in sites) / n_match if n_match else 0.0,
        "leak": sum(s["leak"] for s in sites),
        "pages": sum(s["pages"] or 0 for s in sites),
        "time": sum(s["time"] for s in sites),
    }
    mean = {k: sum(s[k] for s in sites) / len(sites) for k in FIGURES} if sites else {}
    return micro, mean


def print_table(sites: list[dict], micro: dict, mean: dict, out=sys.stdout) -> None:
    head = f"{'site':<8}{'gold':>5}{'recs':>6}{'recall':>8}{'prec':>7}{'dup':>5}{'title':>7}{'date':>7}{'f1':>7}{'leak':>6}{'pages':>7}{'time':>8}"
    print(head, file=out)
    print("-" * len(head), file=out)

    def row(name, s, pages, wall):
        return f"{name:<8}{s['gold']:>5}{s['records']:>6}{s['recall']:>8.3f}{s['precision']:>7.3f}{s['dup']:>5}{s['title']:>7.3f}{s['date']:>7.3f}{s['f1']:>7.3f}{s['leak']:>6}{pages:>7}{wall:>7.1f}s"

    for s in sites:
        print(
            row(f"seed {s['seed']}", s, "?" if s["pages"] is None else s["pages"], s["time"])
            + ("" if s["rc"] in (0, 1) else f"  (exit {s['rc']})"),
            file=out,
        )
    print("-" * len(head), file=out)
    print(row("overall", micro, micro["pages"], micro["time"]), file=out)
    if mean:
        print(
            f"{'mean':<8}{'':>5}{'':>6}{mean['recall']:>8.3f}{mean['precision']:>7.3f}{'':>5}{mean['title']:>7.3f}{mean['date']:>7.3f}{mean['f1']:>7.3f}",
            file=out,
        )


def print_details(s: dict, out=sys.stdout) -> None:
    print(
        f"\n== seed {s['seed']} ({s['url']}) exit {s['rc']}"
        + (f", kept in {s['kept']}" if s.get("kept") else ""),
        file=out,
    )
    if s.get("stderr"):
        print("  stderr: " + s["stderr"].strip().replace("\n", "\n    "), file=out)
    print(f"  misses ({len(s['misses'])}):", file=out)
    for path, title in s["misses"]:
        print(f"    {path}  {title}", file=out)
    print(f"  false positives ({len(s['false_positives'])}):", file=out)
    for url, kind in s["false_positives"]:
        print(f"    [{kind}] {url}", file=out)
    print(f"  wrong titles ({len(s['wrong_titles'])}):", file=out)
    for path, got, want in s["wrong_titles"]:
        print(f"    {path}\n      got:  {got!r}\n      gold: {want!r}", file=out)
    print(f"  wrong dates ({len(s['wrong_dates'])}):", file=out)
    for path, got, want, prec in s["wrong_dates"]:
        print(f"    {path}  got {got}  gold {want} ({prec})", file=out)
    if s["leaked"]:
        print(f"  leaks ({len(s['leaked'])}):", file=out)
        for path, hit in s["leaked"]:
            print(f"    {path}  contains {hit!r}", file=out)


def check_floors(spec: str, micro: dict) -> list[str]:
    failures = []
    for item in spec.split(","):
        if not item.strip():
            continue
        name, _, value = item.partition("=")
        name, limit = name.strip(), float(value)
        if name not in micro:
            raise SystemExit(f"unknown figure in --floors: {name}")
        got = micro[name]
        if (name in CEILINGS and got > limit) or (name not in CEILINGS and got < limit):
            failures.append(f"{name} {got:.3f} {'above' if name in CEILINGS else 'below'} {limit}")
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", default="1-10", help='e.g. "1-10", "1,4,7", "100-130"')
    ap.add_argument("--spider", default="generic")
    ap.add_argument(
        "--generator", default="portalgen", help="portal generator: tests.<NAME>.build_portal"
    )
    ap.add_argument("--jobs", type=int, default=2, help="portals crawled in parallel")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per crawl")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "-v", "--verbose", action="store_true", help="misses, false positives, wrong titles/dates"
    )
    ap.add_argument("--floors", default="", help="e.g. recall=0.97,precision=0.97,leak=0")
    ap.add_argument(
        "--keep", type=Path, help="copy each run's output, state and log under DIR/seed-N"
    )
    ap.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a crawl setting, e.g. -s SITE_MODEL_SAMPLE_PAGES=20 (repeatable)",
    )
    args = ap.parse_args(argv)
    global build_portal
    build_portal = importlib.import_module(f"tests.{args.generator}").build_portal
    seeds = parse_seeds(args.seeds)
    if not seeds:
        ap.error("no seeds")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        extra = tuple(args.settings)
        sites = list(
            pool.map(lambda s: run_site(s, args.spider, args.timeout, args.keep, extra), seeds)
        )
    micro, mean = overall(sites)
    if args.json:
        keep = (
            "seed",
            "url",
            "rc",
            "gold",
            "records",
            "matched",
            "recall",
            "precision",
            "dup",
            "title",
            "date",
            "f1",
            "leak",
            "pages",
            "time",
        )
        doc = {
            "spider": args.spider,
            "seeds": seeds,
            "sites": [{k: s[k] for k in keep} for s in sites],
            "overall": micro,
            "mean": mean,
        }
        if args.verbose:
            for d, s in zip(doc["sites"], sites, strict=True):
                d.update(
                    {
                        k: s[k]
                        for k in (
                            "misses",
                            "false_positives",
                            "wrong_titles",
                            "wrong_dates",
                            "leaked",
                        )
                    }
                )
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print_table(sites, micro, mean)
        if args.verbose:
            for s in sites:
                print_details(s)
    failures = check_floors(args.floors, micro) if args.floors else []
    for f in failures:
        print(f"FLOOR: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
