"""Crash storm: real crawl processes ended at random, then a check that every article of the portal
was delivered exactly once, in files whose manifests tell the truth.

    python benchmarks/crash_storm.py [--kills 20] [--seed 1] [--sites dienbien bacninh phutho]
                                     [--articles 30] [--delay 0.05] [--keep DIR]

Serves a synthetic portal (benchmarks/bench_crawl.synthetic, N articles per site) with the demo
server on 127.0.0.1, then runs N events, each a `python -m crawler crawl` of all the sites into
one state and output folder, ended in one way:

    finish         left to finish
    sigkill        SIGKILL at a random moment
    sigterm        SIGTERM at a random moment (graceful stop)
    double_sigint  two SIGINTs 0.2 s apart at a random moment (forced unclean shutdown)
    overlap        a --full run, and a second plain run on the same state once the first holds
                   the sites: it must exit 75 naming the holder (or run normally a site the first
                   had already released); the first is then ended in one of the ways above
    max_pages      --max-pages K, left to finish
    failpoint      CRAWLER_FAILPOINT=<a delivery step>: the process SIGKILLs itself there

The first events go through every kind once (in a seeded order), the rest are drawn at random.
Then clean runs until one delivers nothing new, and the check over the whole output: every
article delivered exactly once (by id, version 1: the portal is static), every records file with
a manifest of the same count, no delivered file changed after its manifest appeared, no temporary
file, no `ok` manifest of a run cut short, nothing left in the state (outbox, unfinished runs,
locks). Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_crawl import ENV, synthetic  # noqa: E402

KINDS = ("finish", "sigkill", "sigterm", "double_sigint", "overlap", "max_pages", "failpoint")
ENDINGS = ("finish", "sigkill", "sigterm", "double_sigint")  # how the first of an overlap ends
FAILPOINTS = ("after_records_file", "after_rejects_file", "after_delivering", "after_manifest")
EXIT_LOCKED = 75
TIMEOUT_S = 180  # a crawl that has not ended by then is reported as hung


@dataclass
class Event:
    n: int
    kind: str
    detail: str = ""
    at_s: float | None = None  # when the process was ended, seconds after its start
    exits: list[int] = field(default_factory=list)
    delivered: int = 0  # records in the manifests that appeared during the event
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        when = f"at {self.at_s:5.2f}s" if self.at_s is not None else "         "
        what = f"{self.kind}{f' ({self.detail})' if self.detail else ''}"
        exits = ",".join(str(e) for e in self.exits)
        note = f"  PROBLEM: {'; '.join(self.problems)}" if self.problems else ""
        return (
            f"#{self.n:<3} {what:<42} {when}  exit {exits:<8} delivered {self.delivered:>4}{note}"
        )


@dataclass
class Result:
    articles: int = 0
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    runs: int = 0
    exits: Counter = field(default_factory=Counter)
    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.problems)


def expected_paths(data: Path, sites: list[str]) -> dict[str, set[str]]:
    """The article paths the portal serves, per site (what must be delivered)."""
    from crawler.demo.families import renderer_for
    from crawler.demo.portal import load_site

    paths = {}
    for key in sites:
        site = load_site(key, data)
        renderer = renderer_for(site)
        paths[key] = {renderer.article_path(a) for a in site.articles}
    return paths


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Storm:
    def __init__(
        self,
        work: Path,
        sites: list[str],
        articles: int,
        seed: int,
        delay: float,
        log: Callable[[str], None] = print,
        grow: int = 0,
    ) -> None:
        self.work = work
        self.grow = grow
        self.sites = sites
        self.articles = articles
        self.rng = random.Random(seed)
        self.delay = delay
        self.log = log
        self.state = work / "state"
        self.out = work / "out"
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.urls: dict[str, str] = {}
        self.server: subprocess.Popen | None = None
        self.procs = 0
        # How long the next run would take if left alone (the last natural one's duration):
        # kill moments are drawn within it. The first run fetches every page.
        self.span = 2.0 + 1.3 * articles * delay
        self._second: subprocess.Popen | None = None  # its duration says nothing of a run
        self.delivered_bytes: dict[tuple[str, str], list[bytes | None]] = {}
        self.result = Result()

    # ---- the portal -------------------------------------------------------------------------
    def serve(self) -> None:
        data = self.work / "data"
        data.mkdir(exist_ok=True)
        self.publish(data)
        args = [sys.executable, "-m", "crawler", "demo", "--serve", "--data-dir", str(data)]
        self.server = subprocess.Popen(
            [*args, *self.sites],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # --serve logs every request there
            text=True,
        )
        while len(self.urls) < len(self.sites):
            line = self.server.stdout.readline()
            if not line:
                raise RuntimeError("the demo server exited early")
            parts = line.split()
            if len(parts) == 3 and parts[0] in self.sites:
                self.urls[parts[0]] = parts[2]

    def publish(self, data: Path) -> None:
        """Write the portal's articles (the demo server re-reads them when they change)."""
        for site in self.sites:
            synthetic(site, self.articles, data)
        self.expected = expected_paths(data, self.sites)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)

    # ---- crawl processes --------------------------------------------------------------------
    def start(self, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        self.procs += 1
        args = [sys.executable, "-m", "crawler", "crawl"]
        args += [f"{s}={self.urls[s]}" for s in self.sites]
        args += ["--state", str(self.state), "--output-dir", str(self.out), "--log-level", "INFO"]
        settings = {
            "DOWNLOAD_DELAY": self.delay,
            "AUTOTHROTTLE_ENABLED": 0,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "PROGRESS_INTERVAL": 0,
            "HTTPCACHE_ENABLED": 0,
        }
        for name, value in settings.items():
            args += ["-s", f"{name}={value}"]
        stem = self.logs / f"{self.procs:03d}"
        proc = subprocess.Popen(
            [*args, *extra],
            cwd=ROOT,
            env={**ENV, **(env or {})},
            stdout=open(f"{stem}.out", "w"),  # noqa: SIM115 - closed with the process
            stderr=open(f"{stem}.err", "w"),  # noqa: SIM115
        )
        proc.stem = stem  # type: ignore[attr-defined]
        proc.started = time.monotonic()  # type: ignore[attr-defined]
        return proc

    def wait(self, proc: subprocess.Popen, event: Event) -> int:
        try:
            code = proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            event.problems.append(f"pid {proc.pid} hung; killed")
            proc.kill()
            code = proc.wait()
        for fh in (proc.stdout, proc.stderr):
            if fh:
                fh.close()
        self.result.runs += 1
        self.result.exits[code] += 1
        event.exits.append(code)
        natural = code in (0, 1) and event.at_s is None
        natural = natural and not {"--max-pages", "--full"} & set(proc.args)
        if natural and proc is not self._second:
            self.span = time.monotonic() - proc.started  # type: ignore[attr-defined]
        return code

    def end(self, proc: subprocess.Popen, how: str, event: Event) -> int:
        """End a running crawl `how`, at a random moment for the signals."""
        if how != "finish":
            moment = self.rng.uniform(0.3, 1.1 * self.span)
            started = proc.started  # type: ignore[attr-defined]
            try:
                proc.wait(timeout=max(started + moment - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                event.at_s = time.monotonic() - started
                sig = {"sigkill": signal.SIGKILL, "sigterm": signal.SIGTERM}.get(how, signal.SIGINT)
                proc.send_signal(sig)
                if how == "double_sigint":
                    time.sleep(0.2)
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGINT)
        return self.wait(proc, event)

    def stdout(self, proc: subprocess.Popen) -> str:
        return Path(f"{proc.stem}.out").read_text()  # type: ignore[attr-defined]

    # ---- the state, read beside the crawls ----------------------------------------------------
    def query(self, sql: str, *params: object) -> list[tuple]:
        path = self.state / "state.sqlite"
        if not path.exists():
            return []
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # the schema is not there yet
        finally:
            db.close()

    def held_by(self, pid: int) -> dict[str, str | None]:
        return dict(self.query("SELECT site, run_id FROM locks WHERE pid=?", pid))

    def manifests(self) -> dict[tuple[str, str], dict]:
        found = {}
        for path in self.out.glob("*/manifests/*.json"):
            try:
                found[(path.parent.parent.name, path.stem)] = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
        return found

    # ---- events -----------------------------------------------------------------------------
    def event(self, n: int, kind: str) -> Event:
        event = Event(n, kind)
        before = set(self.manifests())
        if kind == "overlap":
            self.overlap(event)
        elif kind == "max_pages":
            pages = self.rng.randint(2, 12)
            event.detail = f"--max-pages {pages}"
            self.end(self.start("--max-pages", str(pages)), "finish", event)
        elif kind == "failpoint":
            point = self.rng.choice(FAILPOINTS)
            event.detail = point
            code = self.end(self.start(env={"CRAWLER_FAILPOINT": point}), "finish", event)
            if code != -signal.SIGKILL:
                event.problems.append(f"the failpoint {point} did not kill the process")
        else:
            self.end(self.start(), kind, event)
        after = self.manifests()
        event.delivered = sum(after[k]["counts"]["records"] for k in set(after) - before)
        event.problems += self.unchanged_deliveries()
        return event

    def unchanged_deliveries(self) -> list[str]:
        """A delivered run's manifest and files are never rewritten, moved or removed (a
        consumer may have read them already)."""
        problems = []
        for path in self.out.glob("*/manifests/*.json"):
            site, run_id = path.parent.parent.name, path.stem
            files = [path] + [
                self.out / site / k / f"{run_id}.jsonl" for k in ("records", "rejects")
            ]
            now = [f.read_bytes() if f.exists() else None for f in files]
            before = self.delivered_bytes.setdefault((site, run_id), now)
            for f, old, new in zip(files, before, now, strict=True):
                if old != new:
                    problems.append(f"{f.relative_to(self.out)} changed after its manifest existed")
            self.delivered_bytes[(site, run_id)] = now
        return problems

    def overlap(self, event: Event) -> None:
        how = self.rng.choice(ENDINGS)
        event.detail = f"first: {how}"
        # --full: the first walks every page, so that it holds its sites for a while even when
        # nothing is new (it must deliver nothing: the portal is unchanged).
        slow = max(4 * self.delay, 0.25)  # and slowly: the second takes a second or two to start
        first = self.start("--full", "-s", f"DOWNLOAD_DELAY={slow}")
        held: dict[str, str | None] = {}
        deadline = time.monotonic() + 60
        # Start the second once the first has opened its runs (holds its sites, run ids set).
        while time.monotonic() < deadline and first.poll() is None:
            held = self.held_by(first.pid)
            if held and all(held.values()):
                break
            time.sleep(0.05)
        if not held:
            event.problems.append("the first run never took a lock")
            self.end(first, how, event)
            return
        second = self._second = self.start()
        code = self.wait(second, event)
        first_alive = first.poll() is None
        self.end(first, how, event)
        text = self.stdout(second)
        rows = {line.split()[0]: line.split()[1] for line in text.splitlines() if line.split()[:1]
                and line.split()[0] in self.sites and len(line.split()) > 1}  # fmt: skip
        for site, run_id in held.items():
            status = rows.get(site)
            if status == "locked":
                if f"pid {first.pid} " not in text:
                    event.problems.append(f"{site}: locked, but the holder pid is not named")
                continue
            if not first_alive:
                continue  # the first died while the second ran: taking over is right
            # The second ran the site: the first must have completed its run of it before.
            done = self.query(
                "SELECT status, finished_at FROM runs WHERE site=? AND run_id=?", site, run_id
            )
            mine = self.query(
                "SELECT MIN(started_at) FROM runs WHERE site=? AND run_id>?", site, run_id
            )
            if not done or done[0][0] not in ("ok", "failed"):
                event.problems.append(f"{site}: second run ran it while the first held it")
            elif mine and mine[0][0] and mine[0][0] < done[0][1]:
                event.problems.append(f"{site}: second run started before the first released it")
        if code not in (0, 1, EXIT_LOCKED):
            event.problems.append(f"second run exited {code}")
        if first_alive and code == 0 and all(rows.get(s) != "locked" for s in held):
            event.detail += ", second ran after the first released"

    def clean_runs(self) -> list[Event]:
        """Plain runs until one delivers nothing new (at most 5)."""
        events = []
        for i in range(5):
            event = self.event(len(self.result.events) + i + 1, "finish")
            event.kind = "clean"
            events.append(event)
            if event.exits[-1] != 0:
                event.problems.append("a clean run failed")
            if event.delivered == 0:
                break
        return events

    def run(self, kills: int) -> Result:
        self.serve()
        try:
            order = list(KINDS)
            self.rng.shuffle(order)
            for n in range(1, kills + 1):
                if self.grow and n > 1:
                    # New articles before each event: every run has records to deliver, so
                    # that kills land on deliveries, not only on runs with nothing new.
                    self.articles += self.grow
                    self.publish(self.work / "data")
                kind = order[n - 1] if n <= len(order) else self.rng.choice(KINDS)
                event = self.event(n, kind)
                self.result.events.append(event)
                self.log(event.line())
            for event in self.clean_runs():
                self.result.events.append(event)
                self.log(event.line())
        finally:
            self.stop()
        self.check()
        return self.result

    # ---- the check over the whole output -----------------------------------------------------
    def check(self) -> None:
        res = self.result
        res.problems += [f"event #{e.n}: {p}" for e in res.events for p in e.problems]
        tmp = [str(p) for p in self.out.rglob(".*.tmp")]
        if tmp:
            res.problems.append(f"temporary files left: {tmp}")
        manifests = self.manifests()
        for (site, run_id), m in manifests.items():
            reason = m.get("finish_reason", "")
            cut = reason != "finished" and not reason.startswith("closespider_")
            if m.get("status") == "ok" and cut:
                res.problems.append(f"{site}/{run_id}: status ok, but finish_reason {reason}")
            if m.get("walk_complete") and reason != "finished":
                res.problems.append(f"{site}/{run_id}: walk_complete, finish_reason {reason}")
        for site in self.sites:
            ids: Counter = Counter()
            paths: Counter = Counter()
            for kind in ("records", "rejects"):
                for path in sorted((self.out / site).glob(f"{kind}/*.jsonl")):
                    m = manifests.get((site, path.stem))
                    if m is None:
                        res.problems.append(f"{path}: no manifest (a consumer-visible partial)")
                        continue
                    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
                    count = m["counts"]["records" if kind == "records" else "rejects"]
                    if kind == "records" and count != len(rows):
                        res.problems.append(f"{path}: {len(rows)} records, manifest says {count}")
                    if kind == "records":
                        for r in rows:
                            ids[r["id"]] += 1
                            paths[_path(r["canonical_url"])] += 1
                            if r.get("version") != 1:
                                res.problems.append(f"{site} {r['id']}: version {r['version']}")
            for (s, run_id), m in manifests.items():
                records = (m.get("files") or {}).get("records")
                if s == site and records and not Path(records).exists():
                    res.problems.append(f"{site}/{run_id}: manifest names a missing {records}")
            expected = self.expected[site]
            res.articles += len(expected)
            res.delivered += len(set(paths) & expected)
            res.lost += len(expected - set(paths))
            res.duplicated += sum(n - 1 for n in ids.values() if n > 1)
            if set(paths) - expected:
                res.problems.append(f"{site}: records of pages that are not articles")
        for sql, what in (
            ("SELECT site, COUNT(*) FROM outbox GROUP BY site", "outbox rows left"),
            ("SELECT site, run_id, status FROM runs WHERE status IN ('running','delivering')",
             "unfinished runs left"),
            ("SELECT site, pid FROM locks", "locks left"),
        ):  # fmt: skip
            rows = self.query(sql)
            if rows:
                res.problems.append(f"{what}: {rows}")


def storm(
    kills: int,
    seed: int,
    sites: list[str],
    articles: int,
    delay: float = 0.05,
    work: Path | None = None,
    log: Callable[[str], None] = print,
    grow: int = 0,
) -> Result:
    """Run a storm in `work` (a temporary folder when None) and check its output."""
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
        return Storm(work, sites, articles, seed, delay, log, grow).run(kills)
    with tempfile.TemporaryDirectory(prefix="crash-storm-") as tmp:
        return Storm(Path(tmp), sites, articles, seed, delay, log, grow).run(kills)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=20, help="events before the clean runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sites", nargs="+", default=["dienbien", "bacninh", "phutho"])
    parser.add_argument("--articles", type=int, default=30, help="articles per site")
    parser.add_argument("--delay", type=float, default=0.05, help="DOWNLOAD_DELAY of the crawls")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (logs, output)")
    parser.add_argument(
        "--grow", type=int, default=0, help="new articles per site published before each event"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    print(
        f"crash storm: seed {args.seed}, {args.kills} events, sites {' '.join(args.sites)},"
        f" {args.articles} articles each (+{args.grow} before each event),"
        f" DOWNLOAD_DELAY {args.delay}"
    )
    res = storm(
        args.kills, args.seed, args.sites, args.articles, args.delay, args.keep, grow=args.grow
    )
    kinds = Counter(e.kind + (f":{e.detail}" if e.kind == "failpoint" else "") for e in res.events)
    print(f"events:     {dict(sorted(kinds.items()))}")
    print(f"articles:   {res.articles}")
    print(f"delivered:  {res.delivered}")
    print(f"lost:       {res.lost}")
    print(f"duplicated: {res.duplicated}")
    print(f"runs:       {res.runs}")
    print(f"exits:      {dict(sorted(res.exits.items()))}")
    print(f"wall:       {time.monotonic() - started:.1f}s")
    for problem in res.problems:
        print(f"PROBLEM: {problem}")
    print("OK" if res.ok else "FAILED")
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
