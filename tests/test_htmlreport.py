"""`python -m crawler report`: the HTML page of a real demo crawl, opened in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.htmlreport import BAR, COLOURS, FIELDS, write_report
from tests.helpers import ENV, ROOT, read_jsonl

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTH = 1000


def report_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "report", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    """Two demo crawls of the five local sites into one output directory: two runs per site,
    the same articles delivered twice (the report counts each article once)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-m", "crawler", "demo", "--output-dir", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=ENV,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def expected_months(out: Path, site: str) -> Counter:
    """Articles per local month, from the delivered records files, each id once."""
    published = {}
    for manifest in sorted((out / site / "manifests").glob("*.json")):
        records = out / site / "records" / f"{manifest.stem}.jsonl"
        for rec in read_jsonl(records):
            published[rec["id"]] = rec.get("published_at")
    return Counter(p[:7] for p in published.values() if p)


def chromium(*args: str, url: str) -> subprocess.CompletedProcess:
    """Headless Chromium with no way out: every host name resolves to nothing."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"headless Chromium not installed ({CHROMIUM}): apt-get install -y chromium")
    profile = Path(url.removeprefix("file://")).parent / "chromium-profile"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # tests run as root
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        *args,
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


# Run in the page (a copy of it) to learn where each plot landed; the title is the one place it
# can be written without moving anything on the page.
GEOMETRY = """<script>
document.title = JSON.stringify({
  height: document.documentElement.scrollHeight,
  plots: [...document.querySelectorAll("svg.plot")].map(s => {
    const r = s.getBoundingClientRect();
    return {site: s.dataset.site, kind: s.classList[1], x: r.x, y: r.y, w: r.width, h: r.height};
  }),
});
</script>"""


def test_report_of_a_demo_crawl_renders_in_chromium(demo_out, tmp_path):
    page = tmp_path / "report.html"
    proc = report_cli("--output-dir", str(demo_out), "--out", str(page), "--runs", "5")
    assert proc.returncode == 0, proc.stderr
    text = page.read_text("utf-8")
    sites = sorted(p.name for p in demo_out.iterdir() if (p / "manifests").is_dir())
    assert len(sites) == 5

    # Self-contained: nothing to fetch when it is opened.
    doc = lxml_html.fromstring(text)
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //*[@src]")
    assert all(h.startswith("#") for h in doc.xpath("//@href"))
    assert "url(" not in text and "@import" not in text

    probe = tmp_path / "probe.html"
    probe.write_text(text.replace("</body>", GEOMETRY + "</body>"), "utf-8")
    dom = chromium("--dump-dom", f"--window-size={WIDTH},800", url=probe.as_uri()).stdout
    dumped = lxml_html.fromstring(dom)
    geometry = json.loads(dumped.findtext(".//title"))

    # The DOM Chromium built: the overall table has a row per site, each site one plot of each kind.
    rows = dumped.xpath('//table[@id="overview"]/tbody/tr')
    assert [r.get("data-site") for r in rows] == sites
    for row, site in zip(rows, sites, strict=True):
        runs = sorted((demo_out / site / "manifests").glob("*.json"))
        last = json.loads(runs[-1].read_text("utf-8"))
        cells = [c.text_content() for c in row.xpath("td")]
        assert cells[:3] == [site, last["run_id"], last["status"]]
        assert cells[10] == str(sum(expected_months(demo_out, site).values()))
    for site in sites:
        months = dumped.xpath(f'//svg[contains(@class,"months")][@data-site="{site}"]')
        coverage = dumped.xpath(f'//svg[contains(@class,"coverage")][@data-site="{site}"]')
        assert len(months) == 1 and len(coverage) == 1
        bars = {
            b.get("data-month"): int(b.get("data-count"))
            for b in months[0].xpath('.//*[@class="bar"]')
        }
        expected = expected_months(demo_out, site)
        assert {m: n for m, n in bars.items() if n} == dict(expected)
        assert min(bars) == min(expected) and max(bars) == max(expected)
        points = coverage[0].xpath('.//*[@class="point"]')
        runs = len(list((demo_out / site / "manifests").glob("*.json")))
        assert len(points) == runs * len(FIELDS)
        assert len(coverage[0].xpath('.//*[@class="line"]')) == len(FIELDS)

    # The pixels: every plot's box holds drawn shapes in the plot's colours.
    from PIL import Image

    shot = tmp_path / "report.png"
    height = int(geometry["height"])
    chromium(f"--screenshot={shot}", f"--window-size={WIDTH},{height}", url=page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, height)
    plots = geometry["plots"]
    assert sorted((p["site"], p["kind"]) for p in plots) == sorted(
        (s, k) for s in sites for k in ("months", "coverage")
    )

    def pixels(box: dict) -> Counter:
        crop = image.crop(
            (int(box["x"]), int(box["y"]), int(box["x"] + box["w"]), int(box["y"] + box["h"]))
        )
        return Counter(crop.get_flattened_data())

    def rgb(colour: str) -> tuple[int, int, int]:
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    for box in plots:
        assert box["w"] > 100 and box["h"] > 100, box
        seen = pixels(box)
        area = box["w"] * box["h"]
        inked = sum(n for px, n in seen.items() if min(px) < 200)
        if box["kind"] == "months":
            # Bars fill a good part of the plot, in the bars' colour.
            assert seen[rgb(BAR)] > 0.1 * area, (box, seen.most_common(3))
        else:
            for colour in COLOURS.values():
                assert seen[rgb(colour)] > 30, (box, colour)
        assert inked > 0.01 * area
    # A control, in the same screenshot: right of each plot, where nothing is drawn, is blank.
    for box in plots:
        right = box["x"] + box["w"] + 10
        beside = pixels({"x": right, "y": box["y"], "w": WIDTH - 30 - right, "h": box["h"]})
        assert set(beside) == {(255, 255, 255)}, box


def _manifest(site: str, run: str, status: str = "ok", **extra) -> dict:
    return {
        "site": site,
        "run_id": run,
        "status": status,
        "problems": [],
        "started_at": "2026-11-23T02:00:00Z",
        "duration_s": 12.5,
        "counts": {"pages": 10, "records": 2, "rejects": 0},
        "coverage": {"title": 1.0, "published_at": 1.0, "text": 1.0},
        "rejects_by_reason": {},
        **extra,
    }


def _deliver(out: Path, manifest: dict, records: list[dict] | None) -> None:
    site, run = out / manifest["site"], manifest["run_id"]
    for kind in ("records", "manifests"):
        (site / kind).mkdir(parents=True, exist_ok=True)
    if records is not None:
        lines = "".join(json.dumps(r) + "\n" for r in records)
        (site / "records" / f"{run}.jsonl").write_text(lines, "utf-8")
    (site / "manifests" / f"{run}.json").write_text(json.dumps(manifest), "utf-8")


def test_report_shows_failures_drift_rejects_and_only_delivered_runs(tmp_path):
    out = tmp_path / "out"
    rec = {"id": "a", "version": 1, "published_at": "2025-01-31T23:30:00+07:00"}
    _deliver(out, _manifest("x", "20261101T000000Z"), [rec, {"id": "b", "version": 1}])
    # Version 2 of "a" moved it to February: counted once, at its latest version.
    rec2 = {**rec, "version": 2, "published_at": "2025-02-01T00:10:00+07:00"}
    failed = _manifest(
        "x",
        "20261102T000000Z",
        "failed",
        problems=["drift: title coverage 10% (was 100%)"],
        rejects_by_reason={"no_date": 3, "http_404": 1},
        coverage={"title": 0.1, "published_at": 1.0, "text": 1.0},
    )
    _deliver(out, failed, [rec2])
    # An undelivered run (no manifest) is not read.
    (out / "x" / "records" / "20261103T000000Z.jsonl").write_text(
        json.dumps({"id": "c", "version": 1, "published_at": "2024-05-05T00:00:00+07:00"}) + "\n"
    )
    page = tmp_path / "r.html"
    write_report(out, page, runs=10)
    doc = lxml_html.fromstring(page.read_text("utf-8"))
    bars = {b.get("data-month"): b.get("data-count") for b in doc.xpath('//*[@class="bar"]')}
    assert bars == {"2025-02": "1"}
    assert "1 undated" in doc.xpath("//figcaption")[0].text_content()
    row = doc.xpath('//tr[@class="site-row"]')[0]
    cells = [c.text_content() for c in row.xpath("td")]
    assert cells[1:4] == ["20261102T000000Z", "failed", "12.5 s"]
    assert cells[-1] == "1"
    assert [li.text_content() for li in doc.xpath('//ul[@class="drift"]/li')] == [
        "20261102T000000Z: title coverage 10% (was 100%)"
    ]
    rejects = [
        [c.text_content() for c in r.xpath("td")]
        for r in doc.xpath("//table[@class='rejects']/tr[td]")
    ]
    assert rejects == [["no_date", "3"], ["http_404", "1"]]
    # --runs 1: only the last run in the coverage plot.
    write_report(out, page, runs=1)
    doc = lxml_html.fromstring(page.read_text("utf-8"))
    assert len(doc.xpath('//*[@class="point"]')) == len(FIELDS)
    assert not list(tmp_path.glob(".r.html.*"))


def test_report_bad_input_is_one_line_on_stderr(tmp_path):
    empty = tmp_path / "empty"
    (empty / "site" / "records").mkdir(parents=True)  # files but no manifest: nothing delivered
    (empty / "site" / "records" / "20261101T000000Z.jsonl").write_text("{}\n")
    good = tmp_path / "good"
    _deliver(good, _manifest("x", "20261101T000000Z"), [])
    proc_status = 1 if os.access("/proc", os.W_OK) else 2
    cases = [
        (["--output-dir", str(tmp_path / "missing")], 2, "no such directory"),
        (["--output-dir", str(empty), "--out", str(tmp_path / "r.html")], 1, "nothing to report"),
        (["--output-dir", str(empty), "--out", str(tmp_path / "no" / "r.html")], 2, "not exist"),
        (["--output-dir", str(empty), "--out", str(tmp_path)], 2, "is a directory"),
        (["--output-dir", str(empty), "--runs", "0"], 2, "--runs"),
        # Root may write anywhere but in /proc (the write fails); others are told before it.
        (["--output-dir", str(good), "--out", "/proc/r.html"], proc_status, "/proc/r.html"),
    ]
    for args, status, words in cases:
        proc = report_cli(*args)
        assert proc.returncode == status, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and words in proc.stderr, proc.stderr
    assert not (tmp_path / "r.html").exists()
