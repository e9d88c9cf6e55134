"""Command line: python -m crawler {crawl,list,demo,dates} — see `python -m crawler -h`.

Exit status of `crawl` and `demo`: 0 every site fine (an incremental run with nothing new is
fine), 1 any site failed (unreachable, no article seen, drift alarm), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from crawler import preflight
from crawler.paths import DEMO_OUTPUT, OUTPUT, STATE, default_dir
from crawler.preflight import UsageError

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")


_QUIET_LOGGERS = (
    "scrapy.utils.log",
    "scrapy.middleware",
    "scrapy.crawler",
    "scrapy.statscollectors",
    "scrapy.addons",
    "scrapy.extensions.telnet",
)


EXIT_LOCKED = 75


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def _settings():
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def _loader():
    from scrapy.spiderloader import SpiderLoader

    return SpiderLoader.from_settings(_settings())


def run_crawls(targets: list[tuple[str, dict[str, str]]], overrides: dict[str, Any]) -> list[dict]:
    """Crawl (spider name, spider arguments) pairs in one process; one manifest per site."""
    from scrapy.crawler import CrawlerProcess

    settings = _settings()
    settings.setdict(overrides, priority="cmdline")
    # Readable logs: no dumps of versions, settings, middleware lists or the final stats dict.
    # A filter, set before the process logs the versions: its logging setup resets levels.
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if _warnings_only not in logger.filters:
            logger.addFilter(_warnings_only)
    process = CrawlerProcess(settings)
    crawlers = []
    for name, kwargs in targets:
        crawler = process.create_crawler(name)
        process.crawl(crawler, **kwargs)
        crawlers.append((name, crawler))
    process.start()
    manifests = []
    for name, crawler in crawlers:
        stats = crawler.stats
        manifest = stats.get_value("run/manifest") if stats else None
        if manifest is None:
            run_id = stats.get_value("run/id") if stats else None
            # A forced stop (a second Ctrl-C) ends a run before its delivery; else the spider
            # never ran (an import error...).
            problem = (
                f"interrupted before delivery: run {run_id}'s committed records are delivered"
                " by the site's next run"
                if run_id
                else "did not start: see the log"
            )
            manifest = {
                "site": name,
                "status": "failed",
                "counts": {},
                "files": {},
                "problems": [problem],
            }
        manifests.append(manifest)
    return manifests


def print_summary(manifests: list[dict], out=sys.stdout) -> None:
    cols = ("site", "status", "pages", "new", "updated", "known", "rejects", "records file")
    rows = []
    for m in manifests:
        c = m.get("counts", {})
        rows.append(
            (
                m["site"],
                m["status"],
                c.get("pages", 0),
                c.get("new", 0),
                c.get("updated", 0),
                c.get("unchanged", 0) + c.get("known_skipped", 0),
                c.get("rejects", 0),
                m.get("files", {}).get("records") or "-",
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(cols, *rows, strict=False)]
    print("  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=False)), file=out)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)), file=out)
    for m in manifests:
        for problem in m.get("problems", []):
            print(f"{m['site']}: {problem}", file=out)


def _dir(given: str | None, folder: str) -> Path:
    """A directory option: as given (relative to the current directory), else the default
    folder under the crawler's home ($CRAWLER_HOME or the current directory)."""
    return Path(given).resolve() if given else default_dir(folder)


def resolve_targets(
    specs: list[str], everything: bool, include_unverified: bool, spider_arg: list[str]
) -> list[tuple[str, dict[str, str]]]:
    """SITE or SITE=START_URL specs (plus --all, --include-unverified, -a NAME=VALUE) as
    (spider name, spider arguments) pairs, checked before anything runs."""
    loader = _loader()
    known = loader.list()
    # SITE or SITE=START_URL (that site's spider against a mirror or a test server).
    bases = dict(s.partition("=")[::2] for s in specs)
    registered = [s for s in known if s != "generic"] if everything else []
    sites = list(dict.fromkeys(list(bases) + registered))
    if include_unverified and not everything:
        raise UsageError("--include-unverified goes with --all")
    if not sites:
        raise UsageError("name at least one site, or --all (see: python -m crawler list)")
    unknown = [s for s in sites if s not in known]
    if unknown:
        raise UsageError(
            f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    spider_args = preflight.pairs(spider_arg, "-a")
    if "generic" in sites and "start_url" not in spider_args and not bases.get("generic"):
        raise UsageError("generic needs -a start_url=URL")
    for site in sites:
        preflight.check_spider_args(site, loader.load(site), spider_args)
    for spec in specs:
        if "=" in spec:
            preflight.check_url(spec.partition("=")[2], spec)
    # generic=URL may be given several times: one portal each.
    generic = [spec.partition("=")[2] for spec in specs if spec.startswith("generic=")]
    targets = [
        (s, {**spider_args, **({"start_url": bases[s]} if bases.get(s) else {})})
        for s in sites
        if s != "generic" or not generic
    ]
    targets += [("generic", {**spider_args, "start_url": url}) for url in generic]
    if include_unverified:
        targets += unverified_targets()
    return targets


def cmd_crawl(args: argparse.Namespace) -> int:
    from pipelines.state import is_state_url

    targets = resolve_targets(args.sites, args.all, args.include_unverified, args.spider_arg)
    sites = [name for name, _ in targets]
    if args.since:
        preflight.check_since(args.since, f"--since {args.since}")
    if args.max_pages is not None and args.max_pages < 1:
        raise UsageError("--max-pages must be at least 1")
    if args.full and args.resume:
        raise UsageError("--full and --resume cannot be combined")
    records_table = (
        preflight.records_table(args.records_table, f"--records-table {args.records_table}")
        if args.records_table is not None
        else None
    )
    overrides: dict[str, Any] = {
        **_state_settings(args.state),
        "OUTPUT_DIR": str(_dir(args.output_dir, OUTPUT)),
        "INCREMENTAL": not args.full,
        "RESUME": args.resume,
        "SINCE": args.since,
        "LOG_LEVEL": args.log_level,
    }
    if records_table:
        overrides["RECORDS_TABLE"] = records_table
    if args.log_file:
        overrides["LOG_FILE"] = args.log_file
    if args.max_pages and set(sites) == {"generic"}:
        # The zero-config spider learns from its whole walk: bound the walk, never cut it.
        overrides["SITE_MODEL_MAX_PAGES"] = args.max_pages
    elif args.max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    settings = preflight.settings_overrides(args.setting)
    overrides.update(settings)
    if overrides["STATE_URL"] and "STATE_DIR" not in settings:
        overrides["STATE_DIR"] = None  # -s STATE_URL: no default state folder to create
    flags = {"OUTPUT_DIR": "--output-dir", "STATE_DIR": "--state", "LOG_FILE": "--log-file"}
    if is_state_url(overrides.get("STATE_DIR")):  # not a folder to create: say which setting
        raise UsageError(f"-s STATE_DIR={overrides['STATE_DIR']}: is a URL; use -s STATE_URL=")
    table = overrides.get("RECORDS_TABLE")
    if table:  # before any state folder is created for a SQLite state that cannot have it
        option = (
            f"-s RECORDS_TABLE={table}"
            if "RECORDS_TABLE" in settings
            else f"--records-table {table}"
        )
        check_records_table(option, overrides.get("STATE_URL"))
    preflight.check_writable(overrides, {k: v for k, v in flags.items() if k not in settings})
    if args.summary_json:
        preflight.check_dir(Path(args.summary_json).resolve().parent, "--summary-json")
    check_state(overrides.get("STATE_URL"), overrides.get("STATE_DIR"), table)
    manifests = run_crawls(targets, overrides)
    if args.summary_json:
        from pipelines.write import write_atomic

        body = json.dumps(manifests, ensure_ascii=False, indent=1, default=str)
        write_atomic(Path(args.summary_json), body)
    print()
    print_summary(manifests)
    return exit_status(manifests)


def exit_status(manifests: list[dict]) -> int:
    """0 all fine; 1 a site failed; 75 (EX_TEMPFAIL) a site was skipped because another run of
    it holds its lock, and no site failed."""
    statuses = {m["status"] for m in manifests}
    if statuses - {"ok", "locked"}:
        return 1
    return EXIT_LOCKED if "locked" in statuses else 0


def unverified_targets() -> list[tuple[str, dict[str, str]]]:
    """The registry's portals that have no site class, for the zero-config spider."""
    from crawler.provinces import select

    return [
        ("generic", {"start_url": r["home_url"], "province": r["province"], "agency": r["agency"]})
        for r in select(status="unverified")
        if not r["site"]
    ]


def _state_settings(given: str | None) -> dict[str, Any]:
    """--state: a postgresql:// URL sets STATE_URL, anything else is the SQLite state's
    directory (STATE_DIR)."""
    from pipelines.state import is_state_url

    if is_state_url(given):
        return {"STATE_URL": given, "STATE_DIR": None}
    return {"STATE_DIR": str(_dir(given, STATE)), "STATE_URL": None}


def check_state(
    state_url: str | None, state_dir: str | Path | None, records_table: str | None = None
) -> None:
    """A state (and its records table) that cannot be opened is a usage error, found before any
    request; opening it creates the tables."""
    from pipelines.state import StateError, open_store, state_location

    try:
        open_store(state_location(state_url, state_dir), records_table=records_table).close()
    except StateError as exc:
        raise UsageError(str(exc)) from exc


def check_records_table(option: str, state_url: str | None) -> None:
    """The records table goes with a PostgreSQL state only: else a usage error naming `option`."""
    from pipelines.state import records_table_problem

    problem = records_table_problem(state_url)
    if problem:
        raise UsageError(f"{option}: {problem}")


def cmd_rebuild_state(args: argparse.Namespace) -> int:
    """Rebuild the state from the delivered runs (records files with their manifests)."""
    from pipelines.rebuild import rebuild
    from pipelines.state import StateError, StateStore, is_state_url, open_store

    output_dir = _dir(args.output_dir, OUTPUT)
    if not output_dir.is_dir():
        raise UsageError(f"--output-dir {output_dir}: no such directory")
    table = args.records_table
    if table is not None:
        option = f"--records-table {table}"
        table = preflight.records_table(table, option)
        check_records_table(option, args.state if is_state_url(args.state) else None)
    if is_state_url(args.state):
        return _rebuild_url(args.state, output_dir, args.force, table)
    path = _dir(args.state, STATE) / "state.sqlite"
    if path.exists():
        try:
            store = open_store(path)
            known = store.run_count()
            store.close()
        except StateError:
            known = None
        if known and not args.force:
            raise UsageError(f"{path} already holds {known} runs; --force rebuilds over it")
        aside = path.with_name(f"{path.name}.{time.strftime('%Y%m%dT%H%M%S')}.bak")
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"moved the old state aside: {aside}")
    store = StateStore(path)
    try:
        found = rebuild(store, output_dir)
    finally:
        store.close()
    print(
        f"rebuilt {path}: {found['sites']} sites, {found['runs']} runs, "
        f"{found['articles']} articles from {output_dir}"
        + (f" ({found['bad_lines']} unreadable lines skipped)" if found["bad_lines"] else "")
    )
    return 0


def _rebuild_url(url: str, output_dir: Path, force: bool, records_table: str | None) -> int:
    """rebuild-state into PostgreSQL: the tables cannot be moved aside like a file, so --force
    replaces what they hold (in the rebuild's own transaction). A records table gets every
    delivered record, delivered, and loses its undelivered rows (their outbox is gone)."""
    from pipelines.rebuild import rebuild
    from pipelines.state import StateError, open_store

    try:
        store = open_store(url, records_table=records_table)
    except StateError as exc:
        raise UsageError(str(exc)) from exc
    try:
        known = store.run_count()
        if known and not force:
            raise UsageError(
                f"{store.path} already holds {known} runs; --force replaces them (pg_dump first"
                " to keep a copy)"
            )
        found = rebuild(store, output_dir, replace=bool(known))
    finally:
        store.close()
    print(
        f"rebuilt {store.path}: {found['sites']} sites, {found['runs']} runs, "
        f"{found['articles']} articles from {output_dir}"
        + (f" ({found['bad_lines']} unreadable lines skipped)" if found["bad_lines"] else "")
        + (f"; records table {records_table} holds the delivered records" if records_table else "")
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """One row per article (its latest version) from the delivered runs, as Parquet/CSV/JSONL."""
    from crawler.export import ExportError, export

    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since)
        except ValueError as exc:
            raise UsageError(f"--since expects YYYY-MM-DD, got {args.since!r}") from exc
    try:
        rows = export(
            _dir(args.output_dir, OUTPUT),
            Path(args.out),
            args.format,
            sites=args.site or None,
            since=since,
            all_versions=args.all_versions,
        )
    except ExportError as exc:
        if exc.status == 2:
            raise UsageError(str(exc)) from exc
        print(f"python -m crawler export: {exc}", file=sys.stderr)
        return exc.status
    print(f"{rows} rows written to {Path(args.out).resolve()} ({args.format})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the record's JSON Schema."""
    from importlib import resources

    from pipelines.validate import CURRENT_VERSION

    name = f"article-v{args.version or CURRENT_VERSION}.schema.json"
    path = resources.files("crawler") / "schema" / name
    if not path.is_file():
        raise UsageError(f"--version {args.version}: no schema {name}")
    sys.stdout.write(path.read_text("utf-8"))
    return 0


def cmd_registry(args: argparse.Namespace) -> int:
    """The registry of provincial department portals (crawler/data/portals.csv)."""
    import csv
    import json

    from crawler.provinces import PORTAL_FIELDS, current_province, select

    if args.province and not current_province(args.province):
        raise UsageError(f"--province {args.province!r}: not a former or current province name")
    rows = select(args.province, args.status, args.kind)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "markdown":  # the README's coverage table
        print("| province | current province | kind | status | address from | home URL |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            site = f" (`{r['site']}`)" if r["site"] else ""
            print(
                f"| {r['province']} | {r['province_current']} | {r['kind']} | {r['status']}{site}"
                f" | {r['url_basis']} | {r['home_url']} |"
            )
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=PORTAL_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        cols = ("province", "province_current", "kind", "status", "site", "home_url")
        widths = [max([len(c)] + [len(r[c]) for r in rows]) for c in cols]
        for row in [dict(zip(cols, cols, strict=True)), *rows]:
            print("  ".join(row[c].ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    """Walk a bounded sample of one portal with the zero-config spider and print its site model."""
    import json
    import tempfile

    preflight.check_url(args.url, args.url)
    if args.max_pages < 5:
        raise UsageError("--max-pages must be at least 5")
    settings = preflight.settings_overrides(args.setting)
    preflight.check_writable(settings, {})
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        report = Path(tmp) / "model.json"
        overrides = {
            "STATE_DIR": None,
            "OUTPUT_DIR": str(Path(tmp) / "out"),
            "SITE_MODEL_MAX_PAGES": args.max_pages,
            "SITE_MODEL_REPORT": str(report),
            "LOG_LEVEL": args.log_level,
            # A probe answers quickly: a dead portal is reported, not retried for a minute.
            "RETRY_TIMES": 1,
            "DOWNLOAD_TIMEOUT": 15,
            **settings,
        }
        manifests = run_crawls([("generic", {"start_url": args.url})], overrides)
        pages = manifests[0]["counts"]["pages"] if manifests else 0
        if not report.exists():
            reason = "no page could be fetched" if not pages else "no HTML page among them"
            print(f"probe: {args.url}: {reason} ({pages} fetched)", file=sys.stderr)
            return 1
        model = json.loads(report.read_text("utf-8"))
    if args.json:
        print(json.dumps(model, ensure_ascii=False, indent=2))
    else:
        print_model(model)
    if not model.get("articles"):
        print(f"probe: {args.url}: no article among {model['pages']} pages", file=sys.stderr)
        return 1
    return 0


def print_model(model: dict[str, Any], out=sys.stdout) -> None:
    fp = model.get("fingerprint") or {}
    w = out.write
    w(
        f"pages walked   {model['pages']}  (a block recurring on {model['repeat_threshold']}+ is template)\n"
    )
    family = fp.get("family") or "unknown"
    w(f"CMS            {family} (confidence {fp.get('confidence', 0):.2f}")
    w(f"{'; ' + ', '.join(fp.get('evidence', [])[:3]) if fp.get('evidence') else ''})\n")
    w(f"articles       {model['articles']}\n\ntemplates\n")
    for t in model["templates"][:15]:
        w(f"  {t['kind']:<8} {t['pages']:>4} pages  {t['template']}\n")
        for ex in t["examples"]:
            w(f"  {'':<8} {'':>4}        e.g. {ex}\n")
    w("\nchrome (text on many pages)\n")
    for text in model["chrome_text"][:10]:
        w(f"  {text[:90]}\n")
    for s in model.get("samples", []):
        w(f"\n{s['url']}\n")
        if "error" in s:
            w(f"  error  {s['error']}\n")
            continue
        for name in ("title", "date", "body"):
            w(f"  {name:<6} at {s['positions'].get(name)}\n")
        w(f"  title  {s['title']}\n  date   {s['published_at']}\n  author {s['author']}\n")
        text = s["text"] or ""
        w(f"  text   {len(text.split())} words: {text[:160]!r}\n")


def cmd_list(args: argparse.Namespace) -> int:
    from pipelines.state import is_state_url, open_store

    loader = _loader()
    if is_state_url(args.state):
        check_state(args.state, None)
        store = open_store(args.state)
    else:
        state = _dir(args.state, STATE)
        if state.exists() and not state.is_dir():
            raise UsageError(f"--state {args.state}: is a file, not a directory")
        db = state / "state.sqlite"
        if db.exists():
            check_state(None, state)
        store = open_store(db) if db.exists() else None
    rows = [("site", "family", "home URL", "last run")]
    for name in sorted(loader.list()):
        cls = loader.load(name)
        last = store.last_run(name) if store else None
        rows.append(
            (
                name,
                cls.family or "-",
                cls.home_url if name != "generic" else "(-a start_url=URL)",
                f"{last[0]} {last[1]}" if last else "never",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.portal import SITES
    from crawler.demo.server import DemoPortal

    unknown = [s for s in args.sites if s not in SITES]
    if unknown:
        raise UsageError(f"unknown demo site(s): {', '.join(unknown)}; known: {', '.join(SITES)}")
    data = Path(args.data_dir) if args.data_dir else None
    missing = [k for k in args.sites or SITES if data and not (data / f"{k}.json").is_file()]
    if missing:
        raise UsageError(f"--data-dir {args.data_dir}: no {missing[0]}.json there")
    if not args.serve:
        preflight.check_dir(_dir(args.output_dir, DEMO_OUTPUT), "--output-dir")
    if (args.copies != 1 or args.latency) and not args.serve:
        raise UsageError("--copies and --latency go with --serve")
    if args.copies < 1 or args.latency < 0:
        raise UsageError("--copies must be at least 1 and --latency not negative")
    portal = DemoPortal(
        args.sites or None,
        verbose=args.serve,
        data_dir=args.data_dir,
        copies=args.copies,
        latency=args.latency / 1000,
    )
    sites = portal.start()
    try:
        if args.serve:
            print("Demo portal (offline reconstructions) is serving; Ctrl-C stops it.")
            for s in sites:
                print(f"  {s.key:<10} {s.family:<13} {s.url}", flush=True)
            while True:
                time.sleep(3600)
        overrides = {
            "OUTPUT_DIR": str(_dir(args.output_dir, DEMO_OUTPUT)),
            # A local server needs no politeness; real crawls keep the defaults.
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "LOG_LEVEL": args.log_level,
            "PROGRESS_INTERVAL": 0,
        }
        manifests = run_crawls([(s.key, {"start_url": s.url}) for s in sites], overrides)
    except KeyboardInterrupt:
        return 0
    finally:
        portal.stop()
    print()
    print_summary(manifests)
    expected = {s.key: len(s.article_paths) for s in sites}
    bad = [
        m["site"]
        for m in manifests
        if m["status"] != "ok"
        or m["counts"].get("records") != expected[m["site"]]
        or m["counts"].get("rejects")
    ]
    if bad:
        print(f"\nproblem sites: {', '.join(bad)} (see the rejects files and the log)")
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = preflight.OneLineArgumentParser(
        prog="python -m crawler",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl sites incrementally (what a scheduled job runs)")
    crawl.add_argument(
        "sites",
        nargs="*",
        metavar="SITE[=START_URL]",
        help="site names (see `list`), optionally with another base URL",
    )
    crawl.add_argument("--all", action="store_true", help="every registered site except generic")
    crawl.add_argument(
        "--include-unverified",
        action="store_true",
        help="with --all: also the registry's unverified portals, through the zero-config spider",
    )
    crawl.add_argument(
        "--output-dir",
        help="records, rejects and manifests go under DIR/<site>/ (default: $CRAWLER_HOME/output,"
        " without CRAWLER_HOME ./output)",
    )
    crawl.add_argument(
        "--state",
        help="the crawl state: a directory for the SQLite state (default: $CRAWLER_HOME/state,"
        " else ./state), or a postgresql:// URL",
    )
    crawl.add_argument(
        "--records-table",
        metavar="NAME",
        help="also write every record into this PostgreSQL table, in the state's transactions"
        " (needs --state postgresql://...; RECORDS_TABLE)",
    )
    crawl.add_argument("--since", help="skip articles published before YYYY-MM-DD")
    crawl.add_argument("--max-pages", type=int, help="stop each site after N pages")
    crawl.add_argument(
        "--full",
        action="store_true",
        help="ignore what the state knows: fetch every article again (only new or "
        "changed ones are emitted)",
    )
    crawl.add_argument(
        "--resume",
        action="store_true",
        help="carry on an interrupted run: same run id, listings walked to the end",
    )
    crawl.add_argument(
        "-a",
        dest="spider_arg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument, e.g. -a start_url=URL",
    )
    crawl.add_argument(
        "-s",
        dest="setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting, e.g. -s DOWNLOAD_DELAY=2",
    )
    crawl.add_argument("--log-level", default="INFO", type=preflight.log_level)
    crawl.add_argument(
        "--summary-json",
        metavar="FILE",
        help="also write the runs' manifests there, as a JSON list (for schedulers and workers)",
    )
    crawl.add_argument(
        "--log-file",
        help="append the log there instead of stderr (missing directories are created)",
    )

    probe = sub.add_parser(
        "probe", help="walk a sample of a portal and print what its site model finds"
    )
    probe.add_argument("url", help="the portal's home page")
    probe.add_argument("--max-pages", type=int, default=300, help="pages to walk (default 300)")
    probe.add_argument("--json", action="store_true", help="the model as JSON")
    probe.add_argument("-s", dest="setting", action="append", default=[], metavar="NAME=VALUE")
    probe.add_argument("--log-level", default="CRITICAL", type=preflight.log_level)

    rebuild = sub.add_parser(
        "rebuild-state",
        help="rebuild a lost or corrupt state from the delivered output (records + manifests)",
    )
    rebuild.add_argument(
        "--state", help="a directory (default: $CRAWLER_HOME/state, else ./state) or a URL"
    )
    rebuild.add_argument("--output-dir", help="default: $CRAWLER_HOME/output, else ./output")
    rebuild.add_argument(
        "--force", action="store_true", help="rebuild even if the state holds runs"
    )
    rebuild.add_argument(
        "--records-table",
        metavar="NAME",
        help="a PostgreSQL state's records table to fill with the delivered records",
    )

    exp = sub.add_parser(
        "export", help="the delivered records as one table (Parquet, CSV or JSON lines)"
    )
    exp.add_argument("--format", required=True, choices=("parquet", "csv", "jsonl"))
    exp.add_argument("--out", required=True, help="the file to write (atomically)")
    exp.add_argument(
        "--output-dir", help="the crawls' output (default: $CRAWLER_HOME/output, else ./output)"
    )
    exp.add_argument("--site", action="append", default=[], help="only this site (repeatable)")
    exp.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    exp.add_argument(
        "--all-versions", action="store_true", help="every version, not only the latest"
    )

    reg = sub.add_parser("registry", help="the provincial department portals we know of")
    reg.add_argument("--province", help="a former or current province name")
    reg.add_argument("--status", choices=("fixture", "unverified"))
    reg.add_argument("--kind", choices=("stttt", "skhcn", "newspaper"))
    reg.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")

    schema = sub.add_parser("schema", help="print the record's JSON Schema")
    schema.add_argument("--version", help="schema version (default: the current one)")

    lst = sub.add_parser("list", help="the sites with family, URL and last run")
    lst.add_argument(
        "--state",
        help="the crawl state, a directory (default: $CRAWLER_HOME/state, else ./state) or a URL",
    )

    demo = sub.add_parser(
        "demo", help="serve the bundled offline portal and crawl every site in it"
    )
    demo.add_argument(
        "--serve", action="store_true", help="only serve the portal until interrupted"
    )
    demo.add_argument(
        "--output-dir",
        help="default: $CRAWLER_HOME/demo-output, else ./demo-output (never the crawls' output)",
    )
    demo.add_argument(
        "--data-dir",
        help="article data to serve instead of the bundled one (re-read when its files change)",
    )
    demo.add_argument(
        "--copies",
        type=int,
        default=1,
        help="with --serve: serve each site N times, each on its own port (many portals for a"
        " cluster)",
    )
    demo.add_argument(
        "--latency", type=float, default=0.0, metavar="MS", help="with --serve: delay each page"
    )
    demo.add_argument("--log-level", default="WARNING", type=preflight.log_level)
    demo.add_argument("sites", nargs="*", help="site names (default: all)")

    sub.add_parser("dates", help="normalize date strings (see `dates --help`)", add_help=False)
    sub.add_parser("report", help="an HTML page of the delivered runs", add_help=False)
    sub.add_parser(
        "evaluate",
        help="extraction quality on the golden set (see `evaluate --help`)",
        add_help=False,
    )
    from crawler.maintain import add_parsers

    add_parsers(sub)  # record, check, new-site
    from crawler import cluster

    cluster.add_parsers(sub)  # enqueue, worker, beat
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "dates":
        from pipelines.dates import main as dates_main

        return dates_main(argv[1:])
    if argv and argv[0] == "report":
        from crawler.htmlreport import main as report_main

        return report_main(argv[1:])
    if argv and argv[0] == "evaluate":
        from benchmarks.evaluate import main as evaluate_main

        return evaluate_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    from crawler import maintain

    if args.command in maintain.COMMANDS:
        return maintain.run(args.command, args)
    from crawler import cluster

    commands = {
        **cluster.COMMANDS,
        "crawl": cmd_crawl,
        "list": cmd_list,
        "demo": cmd_demo,
        "probe": cmd_probe,
        "rebuild-state": cmd_rebuild_state,
        "export": cmd_export,
        "schema": cmd_schema,
        "registry": cmd_registry,
    }
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(f"python -m crawler {args.command}: error: {exc}", file=sys.stderr)
        return 2
