"""The generic extraction path against bare trafilatura on a public article-extraction benchmark.

Run from the repository root:
`python benchmarks/extraction_benchmark.py PATH [--json] [-v] [--show HASH]`, where PATH is a copy
of the article-extraction benchmark (`html/<hash>.html.gz` pages and `ground-truth.json`, whose
entries give each page's `url` and `articleBody`). Not a test: the data is not part of the project.

Three systems run on every page in the same run:
- `generic`: `pipelines.extract.extract_article(url, html)` with no site rules (the path a portal
  nobody wrote rules for takes);
- `chain`: `pipelines.chain.record_from_page(url, html)`, the whole pipeline over the same path;
- `trafilatura`: bare `trafilatura.extract(html)`.
A page a system rejects (ExtractionError, RejectItem: no title, no text, invalid record) counts as
an empty text. Figures are the mean token precision / recall / F1 of benchmarks/evaluate.py (`prf`).

Exit status: 0 when the generic path's mean F1 is at least trafilatura's and no page is empty where
trafilatura finds text, 1 when not, 2 when PATH holds no pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow running the file directly without installing the project
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from benchmarks.evaluate import prf  # noqa: E402
from pipelines.chain import record_from_page  # noqa: E402
from pipelines.errors import RejectItem  # noqa: E402
from pipelines.extract import ExtractionError, extract_article  # noqa: E402

SYSTEMS = ("generic", "chain", "trafilatura")
# A page where the generic path trails trafilatura by more than this is listed with -v.
WORSE_MARGIN = 0.05
_FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Page:
    id: str
    url: str
    html: str
    expected: str


@dataclass
class Score:
    text: str
    p: float
    r: float
    f1: float
    error: str | None = None


def load_pages(root: Path) -> list[Page]:
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        return []
    truth = json.loads(truth_path.read_text("utf-8"))
    pages = []
    for page_id in sorted(truth):
        html_path = root / "html" / f"{page_id}.html.gz"
        if not html_path.is_file():
            continue
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        entry = truth[page_id]
        pages.append(Page(page_id, entry.get("url") or "", html, entry.get("articleBody") or ""))
    return pages


def _generic(page: Page) -> tuple[str, str | None]:
    try:
        return extract_article(page.url, page.html)["text"], None
    except ExtractionError as exc:
        return "", f"{exc}"


def _chain(page: Page) -> tuple[str, str | None]:
    try:
        return record_from_page(page.url, page.html, fetched_at=_FETCHED)["text"], None
    except RejectItem as exc:
        return "", f"{exc}"


def _trafilatura(page: Page) -> tuple[str, str | None]:
    return trafilatura.extract(page.html) or "", None


RUNNERS = {"generic": _generic, "chain": _chain, "trafilatura": _trafilatura}


def score(page: Page, system: str) -> Score:
    text, error = RUNNERS[system](page)
    p, r, f1 = prf(text, page.expected)
    return Score(text, p, r, f1, error)


def run(pages: list[Page]) -> list[dict[str, Score]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [{s: score(page, s) for s in SYSTEMS} for page in pages]


def summary(pages: list[Page], results: list[dict[str, Score]]) -> dict[str, dict]:
    n = len(results) or 1
    out: dict[str, dict] = {}
    for system in SYSTEMS:
        scores = [r[system] for r in results]
        out[system] = {
            "pages": len(scores),
            "precision": sum(s.p for s in scores) / n,
            "recall": sum(s.r for s in scores) / n,
            "f1": sum(s.f1 for s in scores) / n,
            "empty": sum(1 for s in scores if not s.text.strip()),
        }
    for system in ("generic", "chain"):
        out[system]["empty_where_trafilatura_has_text"] = [
            page.id
            for page, r in zip(pages, results, strict=True)
            if not r[system].text.strip() and r["trafilatura"].text.strip()
        ]
        out[system]["worse_than_trafilatura"] = [
            page.id
            for page, r in zip(pages, results, strict=True)
            if r[system].f1 < r["trafilatura"].f1 - WORSE_MARGIN
        ]
        out[system]["better_than_trafilatura"] = sum(
            1 for r in results if r[system].f1 > r["trafilatura"].f1 + WORSE_MARGIN
        )
    return out


def failures(figures: dict[str, dict]) -> list[str]:
    """Why the generic path does not pass (empty when it does)."""
    ours, bare = figures["generic"], figures["trafilatura"]
    failed = []
    if ours["f1"] < bare["f1"]:
        failed.append(f"generic mean F1 {ours['f1']:.3f} < trafilatura {bare['f1']:.3f}")
    empty = ours["empty_where_trafilatura_has_text"]
    if empty:
        failed.append(f"{len(empty)} pages empty where trafilatura has text: {', '.join(empty)}")
    return failed


def report(pages: list[Page], results: list[dict[str, Score]], verbose: bool = False) -> str:
    figures = summary(pages, results)
    lines = [
        f"{len(pages)} pages",
        f"{'':36} {'precision':>9} {'recall':>9} {'F1':>9} {'empty':>6}",
    ]
    labels = {
        "generic": "ours: extract_article (no rules)",
        "chain": "ours: record_from_page",
        "trafilatura": "bare trafilatura.extract",
    }
    for system in SYSTEMS:
        f = figures[system]
        lines.append(
            f"  {labels[system]:34} {f['precision']:9.3f} {f['recall']:9.3f} {f['f1']:9.3f}"
            f" {f['empty']:6d}"
        )
    for system in ("generic", "chain"):
        f = figures[system]
        lines.append(
            f"  {system}: empty where trafilatura has text: "
            f"{len(f['empty_where_trafilatura_has_text'])}; worse than trafilatura by > "
            f"{WORSE_MARGIN} F1: {len(f['worse_than_trafilatura'])}; better by > {WORSE_MARGIN}:"
            f" {f['better_than_trafilatura']}"
        )
    if verbose:
        lines.append(f"pages where generic trails trafilatura by > {WORSE_MARGIN} F1:")
        for page, r in zip(pages, results, strict=True):
            ours, bare = r["generic"], r["trafilatura"]
            if ours.f1 < bare.f1 - WORSE_MARGIN:
                why = f"  ({ours.error})" if ours.error else ""
                lines.append(
                    f"  {page.id[:16]}  generic {ours.f1:.3f}  chain {r['chain'].f1:.3f}"
                    f"  trafilatura {bare.f1:.3f}  {page.url[:60]}{why}"
                )
    return "\n".join(lines)


def show(page: Page) -> str:
    """One page: each system's figures and text, then the expected text."""
    out = [f"== {page.id} {page.url}"]
    for system in SYSTEMS:
        s = score(page, system)
        out.append(f"-- {system}: P {s.p:.3f} R {s.r:.3f} F1 {s.f1:.3f}")
        if s.error:
            out.append(f"   rejected: {s.error}")
        out.extend(f"   {line[:150]}" for line in s.text.split("\n") if line)
    out.append("-- expected:")
    out.extend(f"   {line[:150]}" for line in page.expected.split("\n") if line)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="extraction_benchmark",
        description="The generic extraction path against bare trafilatura on a public benchmark.",
    )
    parser.add_argument("path", type=Path, help="benchmark folder (html/, ground-truth.json)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pages ours loses")
    parser.add_argument("--show", metavar="HASH", help="print one page's texts (id prefix)")
    args = parser.parse_args(argv)
    pages = load_pages(args.path)
    if not pages:
        print(f"no benchmark pages under {args.path}", file=sys.stderr)
        return 2
    if args.show:
        chosen = [p for p in pages if p.id.startswith(args.show)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for page in chosen:
                print(show(page))
        return 0 if chosen else 2
    results = run(pages)
    figures = summary(pages, results)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(report(pages, results, args.verbose))
    failed = failures(figures)
    for line in failed:
        print(f"NOT MET: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
