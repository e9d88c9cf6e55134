"""Median time per string of pipelines.dates.parse_date against plain dateparser.

Run from the repository root: `python benchmarks/bench_dates.py [--repeat N]`. Not a test.
Each string is timed N times and its best time kept (less scheduler noise); the median is then
taken over the corpus. Every parser gets one untimed warm-up pass so lazy loading is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow running the file directly without installing the project
    sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from pipelines.dates import VN_TZ, parse_date  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "date_corpus.tsv"
DEFAULT_REFERENCE = datetime(2025, 6, 15, 12, 0, tzinfo=VN_TZ)


def load_corpus(path: Path = CORPUS) -> list[tuple[str, datetime]]:
    """The parse_date rows of the corpus (lead sentences for search_date are left out)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip("\t"):
            continue
        text, reference, _expected, _precision, mode = (line.split("\t") + [""] * 5)[:5]
        if mode == "search":
            continue
        rows.append((text, datetime.fromisoformat(reference) if reference else DEFAULT_REFERENCE))
    return rows


def median_seconds(
    func: Callable[[str, datetime], object], rows: list[tuple[str, datetime]], repeat: int
) -> float:
    for text, ref in rows:  # warm-up: language data, regex caches, our lazy fallback
        func(text, ref)
    per_string = []
    clock = time.perf_counter
    for text, ref in rows:
        best = float("inf")
        for _ in range(repeat):
            start = clock()
            func(text, ref)
            best = min(best, clock() - start)
        per_string.append(best)
    return statistics.median(per_string)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timings per string (best kept)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # dateparser's deprecation chatter is not under test

    rows = load_corpus()
    candidates = [
        ("pipelines.dates.parse_date(s)", lambda s, ref: parse_date(s, ref)),
        ("dateparser.parse(s)", lambda s, ref: dateparser.parse(s)),
        (
            "dateparser.parse(s, languages=['vi'])",
            lambda s, ref: dateparser.parse(s, languages=["vi"]),
        ),
    ]
    print(f"corpus: {len(rows)} strings from {CORPUS.relative_to(ROOT)}, best of {args.repeat}")
    medians = {}
    for name, func in candidates:
        medians[name] = median_seconds(func, rows, args.repeat)
        print(f"  {name:<40} median {medians[name] * 1e6:10.1f} µs/string")
    ours, plain, vi = (medians[name] for name, _ in candidates)
    print(
        f"  speed-up vs dateparser.parse(s):                     {plain / ours:7.1f}x (target >= 10x)"
    )
    print(
        f"  speed-up vs dateparser.parse(s, languages=['vi']):   {vi / ours:7.1f}x (target >= 3x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
