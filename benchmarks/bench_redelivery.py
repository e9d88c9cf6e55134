"""How soon a dead worker's job runs again, per broker.

    python benchmarks/bench_redelivery.py [--broker URL ...] [--wait 120]

For each broker: worker A (one job at a time) starts a site job against a slow local portal;
worker B is started and ready; A is SIGKILLed with its process group (its crawl included). Prints
the seconds from the kill until the job's crawl runs in B, or that it did not within --wait.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import ENV, ROOT, pg_schema, serve  # noqa: E402


def crawls_in_group(pgid: int) -> int:
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) == pgid:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                n += b"--summary-json" in cmd
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            pass
    return n


def wait(cond, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if cond():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def worker(broker: str, queue: str, state: str, work: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "worker", "--broker", broker, "--queue", queue]
        + ["--state", state, "--output-dir", str(work / "out"), "--concurrency", "1"],
        stdout=(work / f"{name}.log").open("w"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )


def measure(broker: str, url: str, args: argparse.Namespace, work: Path) -> str:
    tag = f"bench_redelivery_{os.getpid()}_{abs(hash(broker)) % 10000}"
    state = pg_schema(args.pg, tag)
    a = worker(broker, tag, state, work, "a")
    procs = [a]
    try:
        subprocess.run(
            [sys.executable, "-m", "crawler", "enqueue", "--broker", broker, "--queue", tag]
            + [f"generic={url}"],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=ENV,
        )
        if wait(lambda: crawls_in_group(a.pid), 60) is None:
            return "worker A never started the job"
        b = worker(broker, tag, state, work, "b")
        procs.append(b)
        if wait(lambda: "ready" in (work / "b.log").read_text(), 60) is None:
            return "worker B never became ready"
        os.killpg(a.pid, signal.SIGKILL)
        took = wait(lambda: crawls_in_group(b.pid), args.wait)
        return f"{took:.1f} s" if took is not None else f"not within {args.wait:.0f} s"
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        if broker.startswith("amqp"):
            from kombu import Connection

            with Connection(broker) as conn:
                conn.default_channel.queue_delete(tag)
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{tag}" CASCADE')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--broker",
        action="append",
        help="default: the local RabbitMQ and the local Redis (database 15)",
    )
    ap.add_argument("--wait", type=float, default=120.0)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    brokers = args.broker or ["amqp://guest:guest@127.0.0.1:5672//", "redis://127.0.0.1:6379/15"]
    # A slow portal: the job is still running when its worker is killed.
    server, urls = serve(len(brokers), 500)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i, broker in enumerate(brokers):
                work = Path(tmp) / str(i)
                work.mkdir()
                print(
                    f"{broker}: job running again {measure(broker, urls[i], args, work)} after"
                    " its worker was SIGKILLed",
                    flush=True,
                )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
