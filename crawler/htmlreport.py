"""`python -m crawler report`: one static HTML page about the delivered crawls, per site and overall.

Read from the output directory alone (the same files downstream users consume): a run counts once
its manifest exists (pipelines/write.py). The page is self-contained: inline CSS and SVG plots
drawn here, no script, no font or stylesheet to fetch, so it opens the same offline or mailed.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.write import KINDS, out_file_problem, write_atomic

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("title", "published_at", "text")
# Colour per coverage series; the bars' colour is distinct from all three.
COLOURS = {"title": "#1b7837", "published_at": "#c2410c", "text": "#6a3d9a"}
BAR = "#2563eb"


class ReportError(Exception):
    """Bad input (status 2) or nothing to report (status 1); the message is one line."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Site:
    name: str
    manifests: list[dict[str, Any]] = field(default_factory=list)  # delivered runs, oldest first
    months: Counter[str] = field(default_factory=Counter)  # "YYYY-MM" -> articles
    articles: int = 0
    undated: int = 0
    bad_lines: int = 0

    @property
    def last(self) -> dict[str, Any]:
        return self.manifests[-1]

    def drift_alarms(self) -> list[tuple[str, str]]:
        return [
            (m.get("run_id", "?"), p.removeprefix("drift: "))
            for m in self.manifests
            for p in m.get("problems") or []
            if p.startswith("drift: ")
        ]

    def rejects_by_reason(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for m in self.manifests:
            total.update(m.get("rejects_by_reason") or {})
        return total


def load(output_dir: Path, runs: int) -> list[Site]:
    """Every site's delivered runs (the last `runs` manifests) and its delivered articles, each
    article counted once (its latest version) in the month of its local publication day."""
    if not output_dir.is_dir():
        raise ReportError(f"--output-dir {output_dir}: no such directory")
    records_dir, records_suffix = KINDS["records"]
    manifests_dir, manifest_suffix = KINDS["manifest"]
    sites = []
    for folder in sorted(p for p in output_dir.iterdir() if p.is_dir()):
        site = Site(folder.name)
        delivered = sorted((folder / manifests_dir).glob(f"*{manifest_suffix}"))
        if not delivered:
            continue
        latest: dict[str, tuple[int, str | None]] = {}
        for path in delivered:
            try:
                manifest = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue  # a manifest is written atomically; an unreadable one is not ours
            site.manifests.append(manifest)
            run = path.name.removesuffix(manifest_suffix)
            records = folder / records_dir / f"{run}{records_suffix}"
            if records.exists():
                site.bad_lines += _read_articles(records, latest)
        if not site.manifests:
            continue
        site.manifests = site.manifests[-runs:]
        for _, published in latest.values():
            if published and len(published) >= 10:
                # The portal's calendar: the local (+07:00) day as printed, not its UTC date.
                site.months[published[:7]] += 1
            else:
                site.undated += 1
        site.articles = len(latest)
        sites.append(site)
    if not sites:
        raise ReportError(f"nothing to report: no delivered run under {output_dir}", status=1)
    return sites


def _read_articles(path: Path, latest: dict[str, tuple[int, str | None]]) -> int:
    bad = 0
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
                key, version = rec["id"], int(rec.get("version") or 1)
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            if key not in latest or version >= latest[key][0]:
                latest[key] = (version, rec.get("published_at"))
    return bad


def _months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _nice_max(value: int) -> int:
    """A round axis top (1, 2, 5, 10, 20, ...) at or above `value`."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def months_svg(site: Site, width: int = 720, height: int = 220) -> str:
    """Articles per month as bars, every month from the first to the last (empty ones too)."""
    e = html.escape
    if not site.months:
        return (
            f'<svg class="plot months empty" data-site="{e(site.name)}" width="{width}" height="60"'
            f' viewBox="0 0 {width} 60" role="img"><text x="8" y="34">no dated article'
            "</text></svg>"
        )
    months = _months_between(min(site.months), max(site.months))
    left, right, top, bottom = 44, 10, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = _nice_max(max(site.months.values()))
    slot = plot_w / len(months)
    bar_w = min(max(slot * 0.8, 1.0), 48.0)
    parts = [
        f'<svg class="plot months" data-site="{e(site.name)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="articles per month">'
    ]
    for tick in (0, ymax // 2, ymax) if ymax % 2 == 0 else (0, ymax):
        y = top + plot_h - plot_h * tick / ymax
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    label_every = max(1, -(-len(months) // 12))  # at most about 12 labels
    for i, month in enumerate(months):
        n = site.months.get(month, 0)
        x = left + i * slot + (slot - bar_w) / 2
        h = plot_h * n / ymax
        parts.append(
            f'<rect class="bar" data-month="{month}" data-count="{n}" x="{x:.1f}"'
            f' y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR}">'
            f"<title>{month}: {n}</title></rect>"
        )
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{left + (i + 0.5) * slot:.1f}" y="{height - bottom + 16}"'
                f' text-anchor="middle">{month}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}"'
        f' y2="{top + plot_h}"/></svg>'
    )
    return "".join(parts)


def coverage_svg(site: Site, width: int = 720, height: int = 200) -> str:
    """Share of records with a title, a date and a text per run: one line per field."""
    e = html.escape
    runs = site.manifests
    left, right, top, bottom = 44, 130, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    pad = 14  # the first and last points clear of the axis labels
    step = (plot_w - 2 * pad) / max(len(runs) - 1, 1)

    def x(i: int) -> float:
        return left + (pad + i * step if len(runs) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return top + plot_h - plot_h * share

    parts = [
        f'<svg class="plot coverage" data-site="{e(site.name)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="field coverage per run">'
    ]
    for share in (0, 0.5, 1):
        parts.append(
            f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y(share):.1f}"'
            f' y2="{y(share):.1f}"/><text class="tick" x="{left - 6}" y="{y(share) + 4:.1f}"'
            f' text-anchor="end">{share:.0%}</text>'
        )
    for i, m in enumerate(runs):
        if len(runs) <= 6 or i in (0, len(runs) - 1):
            run = str(m.get("run_id", "?"))
            # 20261123T020000Z -> 11-23 02:00: runs of one day stay apart.
            label = f"{run[4:6]}-{run[6:8]} {run[9:11]}:{run[11:13]}" if len(run) >= 13 else run
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{height - bottom + 16}"'
                f' text-anchor="middle">{e(label)}</text>'
            )
    for k, name in enumerate(FIELDS):
        colour = COLOURS[name]
        points = [
            (i, m["coverage"][name])
            for i, m in enumerate(runs)
            if isinstance(m.get("coverage"), dict) and m["coverage"].get(name) is not None
        ]
        # Each field drawn a little apart, so that three lines at 100% stay visible.
        offset = (k - 1) * 2.5
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v) + offset:.1f}" for i, v in points)
            parts.append(
                f'<polyline class="line" data-field="{name}" points="{path}" fill="none"'
                f' stroke="{colour}" stroke-width="2.5"/>'
            )
        for i, v in points:
            run = e(str(runs[i].get("run_id", "?")))
            parts.append(
                f'<circle class="point" data-field="{name}" data-run="{run}" data-value="{v:.4f}"'
                f' cx="{x(i):.1f}" cy="{y(v) + offset:.1f}" r="4" fill="{colour}">'
                f"<title>{run} {name}: {v:.0%}</title></circle>"
            )
        ly = top + 14 + 20 * k
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + plot_w + 34}" y="{ly + 1}">{name}</text>'
        )
    if not any(isinstance(m.get("coverage"), dict) for m in runs):
        parts.append(f'<text x="{left + 8}" y="{top + plot_h / 2}">no records in these runs</text>')
    parts.append("</svg>")
    return "".join(parts)


def _duration(m: dict[str, Any]) -> str:
    d = m.get("duration_s")
    return f"{d:.1f} s" if isinstance(d, int | float) else "-"


def _pct(m: dict[str, Any], name: str) -> str:
    cov = m.get("coverage")
    return f"{cov[name]:.0%}" if isinstance(cov, dict) and cov.get(name) is not None else "-"


def _status(m: dict[str, Any]) -> str:
    s = html.escape(str(m.get("status", "?")))
    return f'<span class="status {s}">{s}</span>'


def overview_table(sites: list[Site]) -> str:
    e = html.escape
    head = (
        "site", "last run", "status", "duration", "pages", "records", "rejects",
        "title", "date", "text", "articles", "drift alarms",
    )  # fmt: skip
    rows = []
    for s in sites:
        m, c = s.last, s.last.get("counts") or {}
        cells = [
            f'<a href="#site-{e(s.name)}">{e(s.name)}</a>',
            e(str(m.get("run_id", "-"))),
            _status(m),
            _duration(m),
            str(c.get("pages", "-")),
            str(c.get("records", "-")),
            str(c.get("rejects", "-")),
            *(_pct(m, f) for f in FIELDS),
            str(s.articles),
            str(len(s.drift_alarms())),
        ]
        rows.append(
            f'<tr class="site-row" data-site="{e(s.name)}">'
            + "".join(f"<td>{c}</td>" for c in cells)
            + "</tr>"
        )
    return (
        '<table id="overview"><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def site_section(s: Site) -> str:
    e = html.escape
    m = s.last
    problems = m.get("problems") or []
    rejects = s.rejects_by_reason()
    alarms = s.drift_alarms()
    out = [
        f'<section class="site" id="site-{e(s.name)}" data-site="{e(s.name)}">',
        f"<h2>{e(s.name)}</h2>",
        f'<p class="last-run">Last run {e(str(m.get("run_id", "-")))}: {_status(m)},'
        f" {_duration(m)}, started {e(str(m.get('started_at', '-')))}"
        f"; {len(s.manifests)} run(s) shown.</p>",
    ]
    if problems:
        out.append(
            '<ul class="problems">' + "".join(f"<li>{e(str(p))}</li>" for p in problems) + "</ul>"
        )
    undated = f", {s.undated} undated" if s.undated else ""
    out += [
        f"<figure><figcaption>Articles per month ({s.articles} delivered{undated})</figcaption>",
        months_svg(s),
        "</figure>",
        f"<figure><figcaption>Field coverage, last {len(s.manifests)} run(s)</figcaption>",
        coverage_svg(s),
        "</figure>",
        "<h3>Rejects by reason</h3>",
    ]
    if rejects:
        out.append(
            '<table class="rejects"><tr><th>reason</th><th>pages</th></tr>'
            + "".join(f"<tr><td>{e(r)}</td><td>{n}</td></tr>" for r, n in rejects.most_common())
            + "</table>"
        )
    else:
        out.append('<p class="rejects none">none</p>')
    out.append("<h3>Drift alarms</h3>")
    if alarms:
        out.append(
            '<ul class="drift">'
            + "".join(f"<li>{e(run)}: {e(a)}</li>" for run, a in alarms)
            + "</ul>"
        )
    else:
        out.append('<p class="drift none">none</p>')
    if s.bad_lines:
        out.append(f'<p class="note">{s.bad_lines} unreadable record line(s) skipped.</p>')
    out.append("</section>")
    return "\n".join(out)


STYLE = """
body{font:14px/1.4 sans-serif;margin:24px;color:#111;background:#fff}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f4f6}.status.ok{color:#166534}.status.failed{color:#b91c1c;font-weight:bold}
section.site{border-top:2px solid #ddd;margin-top:24px}figure{margin:8px 0}
figcaption{font-weight:bold;margin-bottom:4px}svg text{font:11px sans-serif;fill:#333}
svg .grid{stroke:#e5e7eb}svg .axis{stroke:#555}.problems{color:#b91c1c}
"""


def render(sites: list[Site], output_dir: Path, runs: int) -> str:
    e = html.escape
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Crawl report: {len(sites)} sites</title><style>{STYLE}</style></head><body>",
            "<h1>Crawl report</h1>",
            f'<p class="meta">{len(sites)} sites from {e(str(output_dir))}, generated {now};'
            f" the last {runs} delivered runs of each site.</p>",
            overview_table(sites),
            *(site_section(s) for s in sites),
            "</body></html>",
        ]
    )


def write_report(output_dir: Path, target: Path, runs: int = 10) -> list[Site]:
    """Write the page to `target` atomically (temporary name, fsync, rename)."""
    if runs < 1:
        raise ReportError("--runs must be at least 1")
    target = Path(target).resolve()
    problem = out_file_problem(target)
    if problem:
        raise ReportError(problem)
    sites = load(Path(output_dir).resolve(), runs)
    page = render(sites, Path(output_dir).resolve(), runs)
    try:
        write_atomic(target, page)
    except OSError as exc:
        raise ReportError(f"--out {target}: {exc.strerror or exc}", status=1) from exc
    return sites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler report",
        description="One static HTML page (no network needed to view it) about the delivered runs.",
    )
    parser.add_argument("--output-dir", default=str(ROOT / "output"), help="the crawls' output")
    parser.add_argument("--out", default="report.html", help="the page to write (atomically)")
    parser.add_argument("--runs", type=int, default=10, help="runs per site shown (default 10)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        sites = write_report(Path(args.output_dir), Path(args.out), args.runs)
    except ReportError as exc:
        print(f"python -m crawler report: error: {exc}", file=sys.stderr)
        return exc.status
    print(f"{len(sites)} sites reported in {Path(args.out).resolve()}")
    return 0
