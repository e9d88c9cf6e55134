"""One worker against two on the same local portals, at default politeness.

    python benchmarks/bench_cluster.py [--sites 40] [--concurrency 10] [--latency 100]
        [--broker amqp://guest:guest@127.0.0.1:5672//] [--pg postgresql://postgres@127.0.0.1/test]

Serves --sites local portals (copies of the demo sites, each on its own port, every page delayed
--latency ms by the server) and crawls all of them three ways, each from an empty state:
  1. one `python -m crawler crawl` process, SQLite state (the single-machine default);
  2. one `python -m crawler worker` (--concurrency jobs at a time), PostgreSQL state, jobs queued
     by `python -m crawler enqueue`;
  3. two such workers.
Politeness is the project's default (DOWNLOAD_DELAY 1 s, AutoThrottle, one request at a time per
site). Prints per way: wall time from start (or enqueue) to the last site's manifest, sites and
records delivered, pages fetched; and the 1-worker / 2-worker wall-time ratio. On one machine
both workers share its cores: the ratio measures what the queue and the per-site lock allow, not
a second machine's CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def serve(n: int, latency: float) -> tuple[subprocess.Popen, list[str]]:
    copies = -(-n // 5)
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "demo", "--serve", "--copies", str(copies)]
        + ["--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    urls: list[str] = []
    while len(urls) < 5 * copies:
        line = proc.stdout.readline()
        if not line:
            sys.exit("demo --serve exited early")
        if "http://127.0.0.1:" in line:
            urls.append(line.split()[-1])
    return proc, urls[:n]


def delivered(out: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in out.glob("*/manifests/*.json")]


def figures(out: Path, wall: float) -> dict:
    ms = delivered(out)
    return {
        "wall_s": round(wall, 1),
        "sites": len({m["site"] for m in ms}),
        "records": sum(m.get("counts", {}).get("records", 0) for m in ms),
        "pages": sum(m.get("counts", {}).get("pages", 0) for m in ms),
    }


def one_process(urls: list[str], work: Path) -> dict:
    out = work / "out"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", *[f"generic={u}" for u in urls]]
        + ["--state", str(work / "state"), "--output-dir", str(out), "--log-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    wall = time.monotonic() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    return figures(out, wall)


def pg_schema(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{name}"')
    sep = "&" if "?" in server else "?"
    return f"{server}{sep}options=-csearch_path%3D{name}"


def workers(
    urls: list[str], work: Path, n: int, args: argparse.Namespace, queue: str, state: str
) -> dict:
    out = work / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "crawler", "worker", "--broker", args.broker, "--queue", queue]
            + ["--state", state, "--output-dir", str(out), "--concurrency", str(args.concurrency)]
            + ["--log-level", "WARNING"],
            stdout=(work / f"worker{i}.log").open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=ENV,
            start_new_session=True,
        )
        for i in range(n)
    ]
    try:
        time.sleep(5)  # the workers connect before the clock starts
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "crawler", "enqueue", "--broker", args.broker]
            + ["--queue", queue, *[f"generic={u}" for u in urls]],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=ENV,
        )
        while len({m["site"] for m in delivered(out)}) < len(urls):
            if any(p.poll() is not None for p in procs):
                sys.exit(f"a worker exited; see {work}/worker*.log")
            time.sleep(0.5)
        wall = time.monotonic() - started
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
    from kombu import Connection

    with Connection(args.broker) as conn:
        conn.default_channel.queue_delete(queue)
    return figures(out, wall)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sites", type=int, default=40)
    ap.add_argument("--concurrency", type=int, default=10, help="jobs at a time per worker")
    ap.add_argument("--latency", type=float, default=100.0, help="server-side ms per page")
    ap.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    server, urls = serve(args.sites, args.latency)
    rows = {}
    load = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for label, run in (
                ("1 process, SQLite", lambda w: one_process(urls, w)),
                ("1 worker, PostgreSQL", lambda w: workers(urls, w, 1, args, *names(args, 1))),
                ("2 workers, PostgreSQL", lambda w: workers(urls, w, 2, args, *names(args, 2))),
            ):
                work = Path(tmp) / label.split(",")[0].replace(" ", "_")
                work.mkdir()
                rows[label] = run(work)
                print(label, rows[label], flush=True)
    finally:
        server.terminate()
    print(
        f"\n{args.sites} local portals, {args.latency:.0f} ms per page at the server, default"
        f" politeness, {args.concurrency} jobs per worker; load average {load:.2f} before,"
        f" {os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores"
    )
    for label, row in rows.items():
        print(f"  {label:<24} {row}")
    one, two = rows["1 worker, PostgreSQL"]["wall_s"], rows["2 workers, PostgreSQL"]["wall_s"]
    print(f"  wall time 1 worker / 2 workers: {one / two:.2f}")


def names(args: argparse.Namespace, n: int) -> tuple[str, str]:
    tag = f"bench_cluster_{os.getpid()}_{n}"
    return tag, pg_schema(args.pg, tag)


if __name__ == "__main__":
    main()
