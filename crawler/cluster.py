"""Site crawls as jobs on a Celery queue, for more than one machine.

    python -m crawler worker --state postgresql://... --output-dir /shared/output
    python -m crawler enqueue --all
    python -m crawler beat --every 3600 --all

A job is one site. The worker runs it as `python -m crawler crawl SITE` in a process of its own,
against the state and output directory the worker was started with, so a job is exactly a
scheduled single-machine run: the same per-site lock, politeness, delivery and recovery. The
broker only carries (site, start URL, spider arguments, settings).

Why these Celery options:
- acks late, one job prefetched per free slot: a job is acknowledged when its crawl has ended, so a
  worker that dies (SIGKILL, power loss) leaves its jobs unacknowledged and the broker hands them
  to another worker. RabbitMQ does that as soon as the dead worker's connection closes; Redis only
  once its visibility timeout has passed (VISIBILITY_TIMEOUT below), which is why RabbitMQ is the
  default broker.
- a job is cut at JOB_MAX_SECONDS (below RabbitMQ's 30-minute acknowledgement timeout) and
  continued by a new job: the next run of a site whose walk was cut walks its listings to the
  end, so a backfill of thousands of pages is a chain of bounded jobs.
- a job that finds its site locked (exit 75: another run of it holds the lock, perhaps a dead
  worker's whose lease has not run out yet) is retried later, not dropped.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.preflight import UsageError

logger = logging.getLogger("crawler.cluster")

DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
QUEUE = "crawl"
# Below RabbitMQ's default consumer_timeout (30 min), past which it closes the channel of a
# consumer that has not acknowledged: a longer job would be redelivered while it still runs.
JOB_MAX_SECONDS = 1500
LOCKED_RETRY_SECONDS = 30
# The lock lease is 600 s: a dead holder on another host is taken over within that; retries for
# twice as long before giving the job up.
LOCKED_RETRY_FOR = 1200
# Redis only: how long a job may stay unacknowledged before it is handed to another worker. A
# job never runs longer than JOB_MAX_SECONDS, so a shorter timeout would redeliver live jobs.
VISIBILITY_TIMEOUT = JOB_MAX_SECONDS + 300
EXIT_LOCKED = 75


def redact(url: str) -> str:
    """A broker URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def make_app(broker: str, queue: str = QUEUE) -> Any:
    """The Celery application with the crawler's two tasks, on `broker`."""
    from celery import Celery

    app = Celery("crawler", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=queue,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        worker_hijack_root_logger=False,
        # Filled in by the worker command: where its jobs' crawls keep state and output.
        crawler_job={},
    )

    @app.task(name="crawler.crawl_site", bind=True)
    def crawl_site(self: Any, spec: dict[str, Any]) -> dict[str, Any]:
        outcome = run_job(spec, self.app.conf.crawler_job)
        if outcome["exit"] == EXIT_LOCKED:
            wait = self.app.conf.crawler_job.get("locked_retry", LOCKED_RETRY_SECONDS)
            logger.info("%s: locked by another run; retrying in %ss", outcome["site"], wait)
            # Retried for as long as a dead holder's lease can keep the lock (twice over).
            raise self.retry(countdown=wait, max_retries=max(1, int(LOCKED_RETRY_FOR // wait)))
        if outcome.get("continue"):
            # The walk was cut at JOB_MAX_SECONDS: the next job carries it on.
            self.apply_async((spec,))
        return outcome

    @app.task(name="crawler.enqueue_sites")
    def enqueue_sites(specs: list[dict[str, Any]]) -> int:
        # Beat's periodic entry: one job per site.
        for spec in specs:
            crawl_site.apply_async((spec,))
        return len(specs)

    return app


def job_spec(name: str, kwargs: dict[str, str], settings: dict[str, str]) -> dict[str, Any]:
    """A job as it travels on the queue: plain JSON."""
    return {"spider": name, "args": dict(kwargs), "settings": dict(settings)}


def job_command(spec: dict[str, Any], config: dict[str, Any], summary: Path) -> list[str]:
    """The `python -m crawler crawl` command line of one job."""
    args = dict(spec.get("args", {}))
    start = args.pop("start_url", None)
    target = f"{spec['spider']}={start}" if start else spec["spider"]
    cmd = [sys.executable, "-m", "crawler", "crawl", target, "--summary-json", str(summary)]
    cmd += ["--log-level", config.get("log_level", "INFO")]
    if config.get("state"):
        cmd += ["--state", config["state"]]
    if config.get("output_dir"):
        cmd += ["--output-dir", config["output_dir"]]
    if config.get("log_dir"):
        # One log per portal: the zero-config spider's jobs are many portals of one spider.
        name = spec["spider"] + (f"_{urlsplit(start).netloc.replace(':', '_')}" if start else "")
        cmd += ["--log-file", str(Path(config["log_dir"]) / f"{name}.log")]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    settings = {
        "CLOSESPIDER_TIMEOUT": str(config.get("job_max_seconds", JOB_MAX_SECONDS)),
        **config.get("settings", {}),
        **spec.get("settings", {}),
    }
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_job(spec: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Run one site job in its own process and say how it ended."""
    with tempfile.TemporaryDirectory(prefix="crawler-job-") as tmp:
        summary = Path(tmp) / "summary.json"
        cmd = job_command(spec, config, summary)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        manifests = json.loads(summary.read_text("utf-8")) if summary.exists() else []
    site = manifests[0]["site"] if manifests else spec["spider"]
    outcome: dict[str, Any] = {"site": site, "exit": proc.returncode, "host": socket.gethostname()}
    if manifests:
        m = manifests[0]
        outcome.update(
            status=m.get("status"),
            run_id=m.get("run_id"),
            records=m.get("counts", {}).get("records"),
            problems=m.get("problems", []),
        )
        counts = m.get("counts", {})
        cut = m.get("finish_reason") == "closespider_timeout"
        # Cut by the job's time bound: the next job carries the walk on, but only if this one
        # committed something, else each continuation would be cut at the same place. (The
        # zero-config spider emits nothing before its walk ends: a walk longer than the bound
        # never delivers.)
        outcome["continue"] = cut and counts.get("new", 0) + counts.get("updated", 0) > 0
        if cut and not outcome["continue"]:
            outcome["problems"] = outcome["problems"] + [
                f"cut at {config.get('job_max_seconds', JOB_MAX_SECONDS)} s before committing"
                " any record: not continued; give the workers a longer --job-max-seconds"
            ]
    if proc.returncode not in (0, EXIT_LOCKED) and not outcome.get("continue"):
        tail = outcome.get("problems") or (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        logger.error("%s: crawl exited %s: %s", site, proc.returncode, " | ".join(tail))
    else:
        logger.info(
            "%s: %s, %s records (exit %s)",
            site,
            outcome.get("status", "?"),
            outcome.get("records"),
            proc.returncode,
        )
    return outcome


def check_broker(url: str) -> None:
    """An unreachable broker or refused credentials is a usage error: one line, before anything
    is queued or a worker starts."""
    from kombu import Connection

    scheme = urlsplit(url).scheme
    if scheme not in ("amqp", "pyamqp", "amqps", "redis", "rediss"):
        raise UsageError(f"--broker {redact(url)}: use an amqp:// (RabbitMQ) or redis:// URL")
    try:
        with Connection(url, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=5)
    except Exception as exc:  # kombu raises per transport: refused, auth, DNS...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"--broker {redact(url)}: cannot connect: {reason}") from exc


def enqueue(broker: str, queue: str, specs: list[dict[str, Any]]) -> int:
    """Queue one job per spec; returns how many were queued."""
    app = make_app(broker, queue)
    task = app.tasks["crawler.crawl_site"]
    with app.connection_for_write() as conn:
        for spec in specs:
            task.apply_async((spec,), connection=conn)
    return len(specs)


def run_worker(
    broker: str, queue: str, concurrency: int, config: dict[str, Any], log_level: str
) -> int:
    """A Celery worker running site jobs, `concurrency` at a time (each its own process)."""
    app = make_app(broker, queue)
    app.conf.crawler_job = config
    argv = [
        "worker",
        "--pool=threads",  # a job's work is its crawl process; a thread only waits for it
        f"--concurrency={concurrency}",
        f"--queues={queue}",
        f"--hostname=crawler-{os.getpid()}@%h",
        f"--loglevel={log_level}",
        "--without-gossip",
        "--without-mingle",
    ]
    app.worker_main(argv)
    return 0


def run_beat(
    broker: str, queue: str, every: float, specs: list[dict[str, Any]], schedule_file: Path
) -> int:
    """Celery beat: every `every` seconds, queue one job per spec."""
    app = make_app(broker, queue)
    app.conf.beat_schedule = {
        "crawl-sites": {
            "task": "crawler.enqueue_sites",
            "schedule": every,
            "args": (specs,),
            "options": {"queue": queue},
        }
    }
    beat = app.Beat(schedule=str(schedule_file), loglevel="INFO", quiet=True)
    beat.run()
    return 0


# -- command line: enqueue, worker, beat -------------------------------------------------------


def _need_celery() -> None:
    try:
        import celery  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            "the cluster commands need Celery: pip install 'vn-ict-crawler[cluster]'"
        ) from exc


def _broker(given: str | None) -> str:
    return given or os.environ.get("CRAWLER_BROKER") or DEFAULT_BROKER


def _specs(args: argparse.Namespace) -> list[dict[str, Any]]:
    from crawler import preflight
    from crawler.cli import resolve_targets

    targets = resolve_targets(args.sites, args.all, args.include_unverified, args.spider_arg)
    preflight.settings_overrides(args.setting)  # checked here, applied by each job's crawl
    settings = preflight.pairs(args.setting, "-s")
    return [job_spec(name, kwargs, settings) for name, kwargs in targets]


def cmd_enqueue(args: argparse.Namespace) -> int:
    _need_celery()
    specs = _specs(args)
    broker = _broker(args.broker)
    check_broker(broker)
    n = enqueue(broker, args.queue, specs)
    print(f"queued {n} site job{'s' if n != 1 else ''} on {redact(broker)} (queue {args.queue})")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from crawler import preflight
    from crawler.cli import OUTPUT, _dir, _state_settings, check_records_table, check_state

    _need_celery()
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.locked_retry <= 0:
        raise UsageError("--locked-retry must be positive")
    if args.job_max_seconds < 60:
        raise UsageError("--job-max-seconds must be at least 60")
    settings = preflight.settings_overrides(args.setting)
    state = _state_settings(args.state)
    table = settings.get("RECORDS_TABLE")
    if table:  # the records table is written by each job: refuse a bad one here, once
        check_records_table(f"-s RECORDS_TABLE={table}", state["STATE_URL"])
    output = _dir(args.output_dir, OUTPUT)
    preflight.check_dir(output, "--output-dir")
    if state["STATE_DIR"]:
        preflight.check_dir(state["STATE_DIR"], "--state")
    if args.log_dir:
        preflight.check_dir(args.log_dir, "--log-dir")
    check_state(state["STATE_URL"], state["STATE_DIR"], table or None)
    broker = _broker(args.broker)
    check_broker(broker)
    config = {
        "state": state["STATE_URL"] or state["STATE_DIR"],
        "output_dir": str(output),
        "log_dir": str(Path(args.log_dir).resolve()) if args.log_dir else None,
        "log_level": args.log_level,
        "job_max_seconds": args.job_max_seconds,
        "locked_retry": args.locked_retry,
        "settings": preflight.pairs(args.setting, "-s"),
    }
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(message)s")
    if not state["STATE_URL"]:
        # Fine for workers on this machine only: SQLite's locking does not cross machines.
        logger.warning(
            "state %s is a SQLite file: workers on other machines need --state postgresql://...",
            state["STATE_DIR"],
        )
    return run_worker(broker, args.queue, args.concurrency, config, args.log_level)


def cmd_beat(args: argparse.Namespace) -> int:
    from crawler import preflight
    from crawler.cli import STATE, _dir

    _need_celery()
    if args.every < 1:
        raise UsageError("--every must be at least 1 second")
    specs = _specs(args)
    schedule = (
        Path(args.schedule_file).resolve()
        if args.schedule_file
        else _dir(None, STATE) / "beat-schedule"
    )
    preflight.check_dir(schedule.parent, "--schedule-file")
    broker = _broker(args.broker)
    check_broker(broker)
    logging.basicConfig(level="INFO", format="%(asctime)s %(name)s %(message)s")
    return run_beat(broker, args.queue, args.every, specs, schedule)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--broker",
        help=f"the Celery broker URL (default: $CRAWLER_BROKER, else {redact(DEFAULT_BROKER)})",
    )
    p.add_argument("--queue", default=QUEUE, help=f"the queue of site jobs (default: {QUEUE})")
    p.add_argument(
        "-s",
        dest="setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting for the jobs' crawls",
    )


def _sites(p: argparse.ArgumentParser) -> None:
    p.add_argument("sites", nargs="*", metavar="SITE[=START_URL]", help="as for crawl")
    p.add_argument("--all", action="store_true", help="every registered site except generic")
    p.add_argument(
        "--include-unverified",
        action="store_true",
        help="with --all: also the registry's unverified portals (zero-config spider)",
    )
    p.add_argument(
        "-a",
        dest="spider_arg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument for every job",
    )


def add_parsers(sub: Any) -> None:
    from crawler import preflight

    enq = sub.add_parser("enqueue", help="queue site crawls as jobs for the workers")
    _sites(enq)
    _common(enq)
    work = sub.add_parser("worker", help="run queued site jobs (each its own crawl process)")
    _common(work)
    work.add_argument(
        "--state",
        help="the state every job uses: a postgresql:// URL for workers on several machines"
        " (default: $CRAWLER_HOME/state, else ./state)",
    )
    work.add_argument(
        "--output-dir",
        help="where the jobs deliver (shared by all workers; default: $CRAWLER_HOME/output)",
    )
    work.add_argument("--concurrency", type=int, default=4, help="jobs at a time (default 4)")
    work.add_argument(
        "--job-max-seconds",
        type=int,
        default=JOB_MAX_SECONDS,
        help=f"cut a job after S seconds and queue its continuation (default {JOB_MAX_SECONDS})",
    )
    work.add_argument(
        "--locked-retry",
        type=float,
        default=LOCKED_RETRY_SECONDS,
        metavar="SECONDS",
        help=f"retry a job whose site is locked after S seconds (default {LOCKED_RETRY_SECONDS})",
    )
    work.add_argument(
        "--log-dir",
        help="each job's crawl log goes to DIR/<spider>.log (DIR/<spider>_<host>.log with a start URL)",
    )
    work.add_argument("--log-level", default="INFO", type=preflight.log_level)
    beat = sub.add_parser("beat", help="queue site jobs periodically (Celery beat)")
    _sites(beat)
    _common(beat)
    beat.add_argument(
        "--every", type=float, required=True, metavar="SECONDS", help="queue the jobs this often"
    )
    beat.add_argument(
        "--schedule-file",
        help="beat's record of its last runs (default: $CRAWLER_HOME/state/beat-schedule)",
    )


COMMANDS = {"enqueue": cmd_enqueue, "worker": cmd_worker, "beat": cmd_beat}
