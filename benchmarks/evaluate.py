"""Golden-set evaluation of article extraction: our pipeline against bare trafilatura.

Run from the repository root: `python benchmarks/evaluate.py [--golden DIR] [-v] [--json]`,
`… --show NAME` (one page's record beside the expected one) or `… --bench [--repeat N]`.
Exit status: 0 when the floors of tests/test_golden.py are met, 1 when not, 2 without pages.

The golden set lives in `tests/golden/<dir>/<name>.html` with `<name>.json` beside it:
{"url", "family", "fetched_at", "expected": {"title", "published_at", "summary", "paragraphs",
"captions", "author"}, "junk": [chrome strings printed on the page]}. Each page is extracted with
its family's RULES (`spiders.families.<family>.RULES`) through `pipelines.chain.record_from_page`.

Figures, per page and overall, for ours and for bare `trafilatura.extract(html)`:
- token precision / recall / F1 of the text against the expected paragraphs joined by "\\n"
  (NFC, lower-case, whitespace tokens with punctuation stripped at their edges, bag of tokens with
  multiplicity, the usual way of trafilatura's evaluation);
- leaks: a page leaks when a line of the text is not part of the expected text (trafilatura's
  "| a | b |" rows and "- " bullets are read as plain lines), or when one of the page's chrome
  strings ("junk": menus, footer lines, related titles, counters, comments) is in it;
- title accuracy, and date accuracy (exact `published_at`; bare trafilatura only yields a day, so
  its date is compared to the expected day).
Ours additionally reports summary, caption and author accuracy.

`--bench` times the same pages instead: median over pages of the best of N runs each, for our
extraction (`extract_article`), our whole chain (`record_from_page`) and bare `trafilatura.extract`.
"""

from __future__ import annotations

import importlib
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow running the file directly without installing the project
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines.chain import record_from_page  # noqa: E402
from pipelines.errors import RejectItem  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402
from pipelines.rules import ExtractionRules  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
# Floors the golden test enforces (tests/test_golden.py).
MIN_MEAN_F1 = 0.98
MIN_PAGE_F1 = 0.95
MAX_SPEED_RATIO = 1.3

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_WS = re.compile(r"\s+")


# ---- the golden set ---------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    family: str
    url: str
    fetched_at: datetime
    html: str
    expected: dict[str, Any]
    junk: list[str] = field(default_factory=list)

    @property
    def expected_text(self) -> str:
        return "\n".join(self.expected["paragraphs"])


def load_cases(root: Path = GOLDEN) -> list[Case]:
    cases = []
    for meta_path in sorted(root.glob("*/*.json")):
        html_path = meta_path.with_suffix(".html")
        meta = json.loads(meta_path.read_text("utf-8"))
        cases.append(
            Case(
                name=f"{meta_path.parent.name}/{meta_path.stem}",
                family=meta["family"],
                url=meta["url"],
                fetched_at=datetime.fromisoformat(meta["fetched_at"]),
                html=html_path.read_text("utf-8"),
                expected=meta["expected"],
                junk=meta.get("junk", []),
            )
        )
    return cases


def family_rules(family: str) -> ExtractionRules:
    return importlib.import_module(f"spiders.families.{family}").RULES


# ---- measures ---------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def tokens(text: str) -> list[str]:
    """NFC, lower-case, whitespace tokens without punctuation at their edges."""
    out = []
    for tok in unicodedata.normalize("NFC", text).lower().split():
        tok = _EDGE_PUNCT.sub("", tok)
        if tok:
            out.append(tok)
    return out


def prf(got: str, expected: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall and F1 (tokens counted with multiplicity)."""
    g, e = Counter(tokens(got)), Counter(tokens(expected))
    overlap = sum((g & e).values())
    if not g and not e:
        return 1.0, 1.0, 1.0
    p = overlap / sum(g.values()) if g else 0.0
    r = overlap / sum(e.values()) if e else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _line(text: str) -> str:
    """A text line without the markup trafilatura prints around rows and list items
    ("| a | b |", "- item"): a difference of form, not boilerplate."""
    line = _norm(text)
    if line.startswith("|") and line.endswith("|"):
        line = _norm(line.strip("|"))
    return line[2:] if line.startswith("- ") else line


def _contains_phrase(text: str, phrase: str) -> bool:
    """`phrase` in `text`, starting and ending at word boundaries."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def leaks(text: str, case: Case) -> list[str]:
    """Lines of `text` that are not part of the expected text, and chrome strings found in it."""
    expected = [_norm(p) for p in case.expected["paragraphs"]]
    joined = " ".join(expected)
    found = []
    for line in (_line(x) for x in text.split("\n")):
        if line and not any(_contains_phrase(p, line) for p in (*expected, joined)):
            found.append(line)
    body = _norm(text)
    found += [f"[junk] {j}" for j in case.junk if _contains_phrase(body, _norm(j))]
    return found


# ---- running ------------------------------------------------------------------------------------


@dataclass
class Result:
    case: Case
    system: str
    text: str
    p: float
    r: float
    f1: float
    leaked: list[str]
    title_ok: bool
    date_ok: bool | None
    extra: dict[str, bool] = field(default_factory=dict)
    error: str | None = None


def run_ours(case: Case) -> Result:
    exp = case.expected
    try:
        rec = record_from_page(
            case.url, case.html, family_rules(case.family), fetched_at=case.fetched_at
        )
    except RejectItem as exc:
        return Result(case, "ours", "", 0, 0, 0, [], False, False, {}, f"{exc}")
    p, r, f1 = prf(rec["text"], case.expected_text)
    captions = [i["caption"] for i in rec["images"] if i["caption"]]
    return Result(
        case,
        "ours",
        rec["text"],
        p,
        r,
        f1,
        leaks(rec["text"], case),
        rec["title"] == exp["title"],
        rec["published_at"] == exp["published_at"],
        {
            "summary": rec["summary"] == exp["summary"],
            "captions": captions == exp["captions"],
            "author": rec["author"] == exp["author"],
        },
    )


def run_bare(case: Case) -> Result:
    text = trafilatura.extract(case.html) or ""
    meta = trafilatura.extract_metadata(case.html)
    title = meta.title if meta else None
    day = meta.date if meta else None
    p, r, f1 = prf(text, case.expected_text)
    return Result(
        case,
        "trafilatura",
        text,
        p,
        r,
        f1,
        leaks(text, case),
        title == case.expected["title"],
        bool(day) and day == case.expected["published_at"][:10],
    )


def evaluate(cases: list[Case]) -> list[tuple[Result, Result]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(run_ours(c), run_bare(c)) for c in cases]


def summary(results: list[Result]) -> dict[str, float]:
    n = len(results) or 1
    out = {
        "pages": len(results),
        "precision": sum(r.p for r in results) / n,
        "recall": sum(r.r for r in results) / n,
        "f1": sum(r.f1 for r in results) / n,
        "min_f1": min((r.f1 for r in results), default=0.0),
        "leaky_pages": sum(1 for r in results if r.leaked),
        "title_acc": sum(r.title_ok for r in results) / n,
        "date_acc": sum(bool(r.date_ok) for r in results) / n,
    }
    for key in ("summary", "captions", "author"):
        if all(key in r.extra for r in results):
            out[f"{key}_acc"] = sum(r.extra[key] for r in results) / n
    return out


# ---- report -------------------------------------------------------------------------------------


def _yn(value: bool | None) -> str:
    return "-" if value is None else ("ok" if value else "NO")


def report(pairs: list[tuple[Result, Result]], verbose: bool = False) -> str:
    lines = []
    head = (
        f"{'page':44} {'family':9} | {'P':>5} {'R':>5} {'F1':>5} {'leak':>4} {'ttl':>3} {'date':>4}"
        f" | {'P':>5} {'R':>5} {'F1':>5} {'leak':>4} {'ttl':>3} {'day':>4}"
    )
    lines.append(f"{'':54} | {'ours':^32} | {'bare trafilatura':^32}")
    lines.append(head)
    lines.append("-" * len(head))
    for ours, bare in pairs:
        lines.append(
            f"{ours.case.name[:44]:44} {ours.case.family[:9]:9} | "
            f"{ours.p:5.3f} {ours.r:5.3f} {ours.f1:5.3f} {len(ours.leaked):4d} "
            f"{_yn(ours.title_ok):>3} {_yn(ours.date_ok):>4} | "
            f"{bare.p:5.3f} {bare.r:5.3f} {bare.f1:5.3f} {len(bare.leaked):4d} "
            f"{_yn(bare.title_ok):>3} {_yn(bare.date_ok):>4}"
        )
        if verbose:
            if ours.error:
                lines.append(f"    ours rejected: {ours.error}")
            for leak in ours.leaked:
                lines.append(f"    ours leaked: {leak[:140]}")
            for key, ok in ours.extra.items():
                if not ok:
                    lines.append(f"    ours {key} differs")
    o = summary([p[0] for p in pairs])
    b = summary([p[1] for p in pairs])
    lines.append("-" * len(head))
    lines.append(f"overall ({o['pages']} pages){'':27} {'ours':>10} {'trafilatura':>12}")
    rows = [
        ("mean precision", "precision", "{:.3f}"),
        ("mean recall", "recall", "{:.3f}"),
        ("mean F1", "f1", "{:.3f}"),
        ("lowest page F1", "min_f1", "{:.3f}"),
        ("pages with leaked boilerplate", "leaky_pages", "{:d}"),
        ("title accuracy", "title_acc", "{:.1%}"),
        ("date accuracy (bare: day only)", "date_acc", "{:.1%}"),
    ]
    for label, key, fmt in rows:
        lines.append(f"  {label:42} {fmt.format(o[key]):>10} {fmt.format(b[key]):>12}")
    for key in ("summary_acc", "captions_acc", "author_acc"):
        if key in o:
            lines.append(f"  {key.replace('_acc', ' accuracy'):42} {o[key]:>10.1%} {'n/a':>12}")
    worse = [ours.case.name for ours, bare in pairs if ours.f1 < bare.f1]
    lines.append(
        f"  pages where ours F1 < trafilatura F1: {len(worse)}{' ' + str(worse) if worse else ''}"
    )
    return "\n".join(lines)


def floors_met(pairs: list[tuple[Result, Result]]) -> list[str]:
    """The golden-test floors that are not met (empty when all are)."""
    mean_f1 = summary([p[0] for p in pairs])["f1"]
    failed = []
    if mean_f1 < MIN_MEAN_F1:
        failed.append(f"mean F1 {mean_f1:.3f} < {MIN_MEAN_F1}")
    low = [f"{r.case.name} ({r.f1:.3f})" for r, _ in pairs if r.f1 < MIN_PAGE_F1]
    if low:
        failed.append(f"pages below F1 {MIN_PAGE_F1}: {', '.join(low)}")
    leaky = [r.case.name for r, _ in pairs if r.leaked]
    if leaky:
        failed.append(f"pages with leaked boilerplate: {', '.join(leaky)}")
    bad_title = [r.case.name for r, _ in pairs if not r.title_ok]
    if bad_title:
        failed.append(f"wrong titles: {', '.join(bad_title)}")
    bad_date = [r.case.name for r, _ in pairs if not r.date_ok]
    if bad_date:
        failed.append(f"wrong dates: {', '.join(bad_date)}")
    worse = [f"{r.case.name} ({r.f1:.3f} < {b.f1:.3f})" for r, b in pairs if r.f1 < b.f1]
    if worse:
        failed.append(f"pages where bare trafilatura beats us: {', '.join(worse)}")
    return failed


def show(case: Case) -> str:
    """Our record of one page beside its expected values, line by line."""
    out = [f"== {case.name} ({case.family})"]
    try:
        rec = record_from_page(
            case.url, case.html, family_rules(case.family), fetched_at=case.fetched_at
        )
    except RejectItem as exc:
        return "\n".join([*out, f"rejected: {exc}"])
    exp = case.expected
    got = {
        "title": rec["title"],
        "published_at": rec["published_at"],
        "summary": rec["summary"],
        "captions": [i["caption"] for i in rec["images"] if i["caption"]],
        "author": rec["author"],
    }
    for key, value in got.items():
        mark = "  " if value == exp[key] else "!!"
        out.append(f"{mark} {key}: {value!r}")
        if value != exp[key]:
            out.append(f"   expected: {exp[key]!r}")
    expected = set(exp["paragraphs"])
    out.append("-- text (!! = not an expected paragraph):")
    for line in rec["text"].split("\n"):
        out.append(f"{'  ' if line in expected else '!!'} {line[:150]}")
    missing = [p for p in exp["paragraphs"] if p not in rec["text"].split("\n")]
    for line in missing:
        out.append(f"-- missing: {line[:150]}")
    for leak in leaks(rec["text"], case):
        out.append(f"-- leak: {leak[:150]}")
    return "\n".join(out)


# ---- speed ------------------------------------------------------------------------------------


def _best_time(fn: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench(cases: list[Case], repeat: int = 5) -> dict[str, float]:
    """Median over pages of the best-of-`repeat` time per page, in seconds."""
    timings: dict[str, list[float]] = {"extract": [], "chain": [], "trafilatura": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case in cases:
            rules = family_rules(case.family)
            jobs = {
                "extract": lambda c=case, r=rules: extract_article(c.url, c.html, r),
                "chain": lambda c=case, r=rules: record_from_page(
                    c.url, c.html, r, fetched_at=c.fetched_at
                ),
                "trafilatura": lambda c=case: trafilatura.extract(c.html),
            }
            for fn in jobs.values():
                fn()  # warm-up: lazy imports and caches are not timed
            for key, fn in jobs.items():
                timings[key].append(_best_time(fn, repeat))
    return {key: statistics.median(values) for key, values in timings.items()}


def bench_report(t: dict[str, float], pages: int, repeat: int) -> str:
    base = t["trafilatura"]
    return "\n".join(
        [
            f"median extraction time per page ({pages} pages, best of {repeat} runs each)",
            f"  ours: extract_article                {t['extract'] * 1000:8.2f} ms"
            f"   ratio {t['extract'] / base:.2f}",
            f"  ours: record_from_page (whole chain) {t['chain'] * 1000:8.2f} ms"
            f"   ratio {t['chain'] / base:.2f}",
            f"  bare trafilatura.extract             {base * 1000:8.2f} ms   ratio 1.00",
            f"  target ratio (extract_article) <= {MAX_SPEED_RATIO}",
        ]
    )


# ---- entry point ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from crawler.preflight import OneLineArgumentParser

    parser = OneLineArgumentParser(
        prog="evaluate",
        description="Golden-set evaluation of article text: ours against bare trafilatura.",
    )
    parser.add_argument("--golden", type=Path, default=GOLDEN, help="golden set directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each page's leaks")
    parser.add_argument("--bench", action="store_true", help="time extraction instead")
    parser.add_argument("--repeat", type=int, default=5, help="runs per page with --bench")
    parser.add_argument("--json", action="store_true", help="print the overall figures as JSON")
    parser.add_argument("--show", metavar="NAME", help="print our record beside the expected one")
    args = parser.parse_args(argv)
    cases = load_cases(args.golden)
    if args.show:
        cases = [c for c in cases if args.show in c.name]
        for case in cases:
            print(show(case))
        if not cases:
            print(
                f"evaluate: error: --show {args.show}: no golden page of that name", file=sys.stderr
            )
        return 0 if cases else 2
    if not cases:
        print(f"evaluate: error: --golden {args.golden}: no golden pages there", file=sys.stderr)
        return 2
    if args.bench:
        t = bench(cases, max(1, args.repeat))
        if args.json:
            print(json.dumps({k: v * 1000 for k, v in t.items()}, indent=2))
        else:
            print(bench_report(t, len(cases), args.repeat))
        return 0
    pairs = evaluate(cases)
    if args.json:
        print(
            json.dumps(
                {
                    "ours": summary([p[0] for p in pairs]),
                    "trafilatura": summary([p[1] for p in pairs]),
                },
                indent=2,
            )
        )
    else:
        print(report(pairs, args.verbose))
    failed = floors_met(pairs)
    for line in failed:
        print(f"FLOOR NOT MET: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
