"""CPU time of the per-page work on hostile pages: none may hold the crawl for long.

Run from the repository root: `python benchmarks/bench_hostile.py [--goal SECONDS]`. Each page is
built here (no data needed) and goes through what a crawl does with one page: extraction as the
ExtractPipeline runs it (with its bounds), and the generic spider's look at it (observe and
page_links, under the same CPU budget). Prints one line per page and step; exits 1 when a step
took longer than the goal (default: the CPU budget plus one second, for the last C call the
budget cannot interrupt), whatever its outcome (a record or a named reject).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow running the file directly without installing the project
    sys.path.insert(0, str(ROOT))

from pipelines.budget import BudgetExceeded, cpu_budget  # noqa: E402
from pipelines.extract import (  # noqa: E402
    EXTRACT_MAX_SECONDS,
    FALLBACK_MAX_LINKS,
    ExtractionError,
    extract_article,
)
from pipelines.sitemodel import observe, page_links  # noqa: E402

URL = "http://127.0.0.1/vi/news/tin-tuc/bai-1.html"
SENTENCE = "Sở Thông tin và Truyền thông tổ chức hội nghị chuyển đổi số năm 2024."


def _page(body: str) -> str:
    return f"<html><head><title>T</title></head><body><h1>Tiêu đề bài viết</h1>{body}</body></html>"


def pages() -> dict[str, str]:
    links = "".join(
        f"<div><a href='/tin/bai-{i}.html'>Liên kết số {i}</a></div>" for i in range(32_000)
    )
    return {
        "32k links, 1 MB, no body container": _page(f"<p>{SENTENCE}</p>{links}"),
        "100k links in one list": _page(
            "<ul>"
            + "".join(f"<li><a href='/b{i}.html'>{i}</a></li>" for i in range(100_000))
            + "</ul>"
        ),
        "400 unclosed div/font paragraphs": _page(
            "".join(f"<div><font><p>{i} {SENTENCE}</p>" for i in range(400))
        ),
        "nesting past 2048 levels": _page("<div><font>" * 3000 + SENTENCE),
        "JSON-LD 5000 deep": _page(
            "<script type='application/ld+json'>" + '{"a":' * 5000 + "1" + "}" * 5000 + "</script>"
            f"<p>{SENTENCE}</p>"
        ),
        "5 MB of one paragraph": _page("<p>" + (SENTENCE + " ") * 70_000 + "</p>"),
    }


def timed(step: object, seconds: float) -> tuple[float, str]:
    start = time.process_time()
    try:
        with cpu_budget(seconds):
            result = step()  # type: ignore[operator]
        outcome = "ok" if result is not None else "none"
    except ExtractionError as exc:
        outcome = f"reject {exc.reason}"
    except BudgetExceeded:
        outcome = "reject extraction_timeout"
    return time.process_time() - start, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--goal", type=float, default=EXTRACT_MAX_SECONDS + 1, help="seconds a step may take"
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    slow = 0
    for name, html in pages().items():
        steps = {
            "extract": lambda h=html: extract_article(
                URL, h, fallback_max_links=FALLBACK_MAX_LINKS
            ),
            "observe": lambda h=html: observe(URL, h),
            "page_links": lambda h=html: page_links(URL, h),
        }
        for step, run in steps.items():
            took, outcome = timed(run, EXTRACT_MAX_SECONDS)
            flag = "SLOW" if took > args.goal else ""
            slow += bool(flag)
            print(f"{took:7.2f}s  {step:10s}  {outcome:28s}  {name}  {flag}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
