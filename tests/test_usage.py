"""Usage errors: exit 2 with one line naming the option and the problem, before any request;
an unreachable site fails fast in a few lines; `dates` says when an input is not a date."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler import preflight
from crawler.logformatter import ConciseErrorLog
from crawler.middlewares import BackoffRetryMiddleware
from crawler.preflight import UsageError
from tests.helpers import ENV, ROOT


def run(
    *args: str, timeout: int = 120, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or ENV,
        timeout=timeout,
        **kwargs,
    )


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_CONNECT(self) -> None:  # noqa: N802 - an https request through the proxy
        self.hits.append(f"CONNECT {self.path}")
        self.send_error(502)

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.hits.append(self.path)
        body = b"<html><head><title>t</title></head><body><p>nothing here</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


# Each case: command-line arguments ({url}: a live local server that counts its requests;
# {file}: a regular file; {dir}: a directory) and the words the one error line must contain.
CASES: list[tuple[str, list[str], list[str]]] = [
    ("bad number", ["crawl", "dienbien={url}", "-s", "DOWNLOAD_DELAY=abc"],
     ["-s DOWNLOAD_DELAY=abc", "number"]),
    ("bad since setting", ["crawl", "dienbien={url}", "-s", "SINCE=garbage"],
     ["-s SINCE=garbage", "YYYY-MM-DD"]),
    ("misspelt setting", ["crawl", "dienbien={url}", "-s", "DOWNLOAD_DELYA=2"],
     ["-s DOWNLOAD_DELYA=2", "unknown setting", "DOWNLOAD_DELAY?"]),
    ("lower-case setting", ["crawl", "dienbien={url}", "-s", "download_delay=2"],
     ["unknown setting", "DOWNLOAD_DELAY?"]),
    ("bad bool", ["crawl", "dienbien={url}", "-s", "AUTOTHROTTLE_ENABLED=maybe"],
     ["-s AUTOTHROTTLE_ENABLED=maybe", "true or false"]),
    ("bad int", ["crawl", "dienbien={url}", "-s", "RETRY_TIMES=2.5"],
     ["-s RETRY_TIMES=2.5", "whole number"]),
    ("negative delay", ["crawl", "dienbien={url}", "-s", "DOWNLOAD_DELAY=-1"],
     ["-s DOWNLOAD_DELAY=-1", "at least 0"]),
    ("zero concurrency", ["crawl", "dienbien={url}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"],
     ["CONCURRENT_REQUESTS_PER_DOMAIN=0", "above 0"]),
    ("bad list", ["crawl", "dienbien={url}", "-s", 'RETRY_HTTP_CODES=[500, "x"]'],
     ["-s RETRY_HTTP_CODES=", "whole numbers"]),
    ("bad json dict", ["crawl", "dienbien={url}", "-s", 'DOWNLOADER_MIDDLEWARES={"a.B": 1'],
     ["-s DOWNLOADER_MIDDLEWARES=", "JSON object"]),
    ("bad import path", ["crawl", "dienbien={url}", "-s", "LOG_FORMATTER=no.such.Formatter"],
     ["-s LOG_FORMATTER=no.such.Formatter", "cannot import"]),
    ("bad log level setting", ["crawl", "dienbien={url}", "-s", "LOG_LEVEL=LOUD"],
     ["-s LOG_LEVEL=LOUD", "DEBUG"]),
    ("bad choice", ["crawl", "dienbien={url}", "-s", "DISCOVER_LISTINGS=sometimes"],
     ["-s DISCOVER_LISTINGS=sometimes", "fallback"]),
    ("no equals", ["crawl", "dienbien={url}", "-s", "DOWNLOAD_DELAY"], ["-s", "NAME=VALUE"]),
    ("url without host", ["crawl", "dienbien=http://"], ["dienbien=http://", "no host"]),
    ("url bad port", ["crawl", "dienbien=http://127.0.0.1:99999/"], ["dienbien=", "port"]),
    ("url not a number port", ["crawl", "dienbien=http://127.0.0.1:x/"], ["port"]),
    ("url not http", ["crawl", "dienbien=ftp://127.0.0.1/"], ["dienbien=ftp://", "http"]),
    ("url empty", ["crawl", "dienbien="], ["dienbien=", "http"]),
    ("url with space", ["crawl", "dienbien=http://a b/"], ["dienbien=", "spaces"]),
    ("generic without url", ["crawl", "generic"], ["generic", "start_url"]),
    ("generic url without host", ["crawl", "generic", "-a", "start_url=http://"],
     ["-a start_url=http://", "no host"]),
    ("argument name", ["crawl", "dienbien={url}", "-a", "name=../.."],
     ["-a name=../..", "takes no argument 'name'", "start_url"]),
    ("misspelt argument", ["crawl", "dienbien", "-a", "start_ur={url}"],
     ["-a start_ur=", "start_url?"]),
    ("argument not a number", ["crawl", "generic", "-a", "start_url={url}", "-a", "max_depth=deep"],
     ["-a max_depth=deep", "whole number"]),
    ("argument empty", ["crawl", "generic", "-a", "start_url={url}", "-a", "province="],
     ["-a province=", "empty"]),
    ("max pages not a number", ["crawl", "dienbien={url}", "--max-pages", "x"],
     ["--max-pages", "'x'"]),
    ("max pages zero", ["crawl", "dienbien={url}", "--max-pages", "0"], ["--max-pages"]),
    ("since not a date", ["crawl", "dienbien={url}", "--since", "27/11/2024"],
     ["--since 27/11/2024", "YYYY-MM-DD"]),
    ("since not on the calendar", ["crawl", "dienbien={url}", "--since", "2024-02-30"],
     ["--since 2024-02-30", "calendar"]),
    ("bad log level", ["crawl", "dienbien={url}", "--log-level", "LOUD"], ["--log-level", "LOUD"]),
    ("unknown site", ["crawl", "nosuchsite"], ["unknown site", "nosuchsite"]),
    ("no site", ["crawl"], ["--all"]),
    ("full and resume", ["crawl", "dienbien={url}", "--full", "--resume"], ["--full", "--resume"]),
    ("unknown flag", ["crawl", "dienbien={url}", "--bogus"], ["--bogus"]),
    ("output dir is a file", ["crawl", "dienbien={url}", "--output-dir", "{file}"],
     ["--output-dir", "is a file"]),
    ("output dir under a file", ["crawl", "dienbien={url}", "--output-dir", "{file}/out"],
     ["--output-dir", "cannot write there"]),
    ("state under a file", ["crawl", "dienbien={url}", "--state", "{file}/state"],
     ["--state", "cannot write there"]),
    ("state setting under a file", ["crawl", "dienbien={url}", "-s", "STATE_DIR={file}/s"],
     ["-s STATE_DIR=", "cannot write there"]),
    ("log file under a file", ["crawl", "dienbien={url}", "--log-file", "{file}/x.log"],
     ["--log-file", "is a file, not a directory"]),
    ("log file is a directory", ["crawl", "dienbien={url}", "--log-file", "{dir}"],
     ["--log-file", "is a directory"]),
    ("probe not a url", ["probe", "not-a-url"], ["not-a-url", "http"]),
    ("probe without host", ["probe", "http:///x"], ["no host"]),
    ("probe few pages", ["probe", "{url}", "--max-pages", "2"], ["--max-pages"]),
    ("probe bad setting", ["probe", "{url}", "-s", "DOWNLOAD_TIMEOUT=soon"],
     ["-s DOWNLOAD_TIMEOUT=soon", "number"]),
    ("probe bad log level", ["probe", "{url}", "--log-level", "x"], ["--log-level"]),
    ("list state is a file", ["list", "--state", "{file}"], ["--state", "is a file"]),
    ("demo unknown site", ["demo", "nosuch"], ["nosuch"]),
    ("demo missing data", ["demo", "--data-dir", "{dir}/missing"], ["--data-dir", ".json"]),
    ("demo bad log level", ["demo", "--log-level", "x"], ["--log-level"]),
    ("demo output under a file", ["demo", "--output-dir", "{file}/out"],
     ["--output-dir", "cannot write there"]),
    ("dates bad reference", ["dates", "--reference", "yesterday", "27/11"], ["--reference"]),
    ("evaluate bad repeat", ["evaluate", "--repeat", "x"], ["--repeat"]),
    ("evaluate no such page", ["evaluate", "--show", "no-such-page"], ["--show no-such-page"]),
    ("evaluate missing golden", ["evaluate", "--golden", "{dir}/missing"], ["--golden"]),
    ("no command", [], ["required"]),
    ("unknown command", ["bogus"], ["bogus"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def usage_runs(tmp_path_factory) -> tuple[dict[str, subprocess.CompletedProcess], list[str]]:
    """Every case run once (concurrently: each is a fresh interpreter), against a live server."""
    tmp = tmp_path_factory.mktemp("usage")
    regular = tmp / "a-file"
    regular.write_text("not a directory\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    subs = {"{url}": url, "{file}": str(regular), "{dir}": str(tmp)}
    # Were a case to get past the preflight to a real portal's home URL, the request would go to
    # the counting server as a proxy: counted, and never off this machine.
    env = {k: v for k, v in ENV.items() if k.lower() not in ("no_proxy", "all_proxy")}
    env.update(http_proxy=url, https_proxy=url)

    def one(case: tuple[str, list[str], list[str]]) -> subprocess.CompletedProcess:
        args = []
        for arg in case[1]:
            for key, value in subs.items():
                arg = arg.replace(key, value)
            args.append(arg)
        # A run that did start writes into the test's directory, not the project's.
        for flag, sub in (("--state", "s"), ("--output-dir", "o")):
            if args[:1] == ["crawl"] and flag not in args:
                args += [flag, str(tmp / case[0] / sub)]
        try:
            return run(*args, timeout=120, env=env)
        except subprocess.TimeoutExpired as exc:
            return subprocess.CompletedProcess(exc.cmd, -9, "", f"timed out after {exc.timeout}s")

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = dict(zip([c[0] for c in CASES], pool.map(one, CASES), strict=True))
    finally:
        server.shutdown()
        server.server_close()
    return results, list(_Counting.hits)


@pytest.mark.parametrize(("name", "words"), [(c[0], c[2]) for c in CASES])
def test_usage_error_is_one_line_and_exit_2(usage_runs, name, words):
    proc = usage_runs[0][name]
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert "error:" in lines[0] and "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_no_usage_error_made_a_request(usage_runs):
    assert usage_runs[1] == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("http://", "no host"),
        ("https://:80/", "no host"),
        ("http://example.org:0/", "port"),
        ("http://example.org:65536/", "port"),
        ("http://[::1/", "IPv6"),
        ("http://exa_mple..org/", "host name"),
        ("mailto:x@example.org", "http"),
        ("//example.org/", "http"),
    ],
)
def test_bad_start_urls_are_refused(value, reason):
    with pytest.raises(UsageError, match=reason):
        preflight.check_url(value, "dienbien=" + value)


@pytest.mark.parametrize(
    "value",
    ["http://127.0.0.1:8080/", "https://stttt.dienbien.gov.vn/vi/news/", "http://[::1]:8080/",
     "https://sở.example.vn/", "HTTP://EXAMPLE.ORG"],
)  # fmt: skip
def test_good_start_urls_pass(value):
    assert preflight.check_url(value, "x") == value


def test_settings_are_typed_like_their_defaults():
    typed = preflight.settings_overrides(
        [
            "DOWNLOAD_DELAY=2",
            "AUTOTHROTTLE_ENABLED=0",
            "ROBOTSTXT_OBEY=True",
            "RETRY_TIMES=5",
            "DOWNLOAD_TIMEOUT=2.5",
            "RETRY_PRIORITY_ADJUST=-2",
            "RETRY_HTTP_CODES=500, 503",
            'DOWNLOADER_MIDDLEWARES={"crawler.middlewares.SiteGuardMiddleware": null}',
            "SINCE=2024-01-31",
            "LOG_LEVEL=debug",
            "USER_AGENT=test-agent/1.0",
            "SITE_MODEL_DUMP=",
        ]
    )
    assert typed == {
        "DOWNLOAD_DELAY": 2.0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "RETRY_TIMES": 5,
        "DOWNLOAD_TIMEOUT": 2.5,
        "RETRY_PRIORITY_ADJUST": -2,
        "RETRY_HTTP_CODES": [500, 503],
        "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.SiteGuardMiddleware": None},
        "SINCE": "2024-01-31",
        "LOG_LEVEL": "DEBUG",
        "USER_AGENT": "test-agent/1.0",
        "SITE_MODEL_DUMP": None,
    }
    assert type(typed["RETRY_TIMES"]) is int and type(typed["DOWNLOAD_DELAY"]) is float


def _as_option(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list | tuple | dict):
        try:
            return json.dumps(list(value) if not isinstance(value, dict) else value)
        except TypeError:
            return None
    return None


def test_every_known_setting_accepts_its_own_default():
    """The preflight must never refuse what the project or Scrapy use themselves."""
    checked = 0
    for name, default in preflight.known_settings().items():
        text = _as_option(default)
        if text is None or default in ("", [], {}):
            continue
        value = preflight.parse_setting(name, text, default)
        if not isinstance(default, str):
            assert value == (list(default) if isinstance(default, tuple) else default), name
        checked += 1
    assert checked > 100


class _Spider(scrapy.Spider):
    name = "t"

    def __init__(self, *args: Any, depth: int = 1, start_url: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ratio = float(kwargs.get("ratio", 0.5))
        self.label = kwargs.pop("label", None)
        if "mode" in kwargs:
            self.mode = kwargs["mode"]


def test_spider_arguments_are_read_from_init():
    assert preflight.spider_arguments(_Spider) == {
        "depth": int,
        "start_url": str,
        "ratio": float,
        "label": str,
        "mode": str,
    }
    preflight.check_spider_args("t", _Spider, {"depth": "3", "ratio": "0.2", "label": "x"})
    with pytest.raises(UsageError, match="-a ratio=high: expects a number"):
        preflight.check_spider_args("t", _Spider, {"ratio": "high"})
    # Scrapy's own `name` parameter is no argument of ours: it would rename the site's folders.
    with pytest.raises(UsageError, match="takes no argument 'name'"):
        preflight.check_spider_args("t", _Spider, {"name": "../.."})


def test_missing_log_directory_is_created_and_the_run_logs_there(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log = tmp_path / "logs" / "nightly" / "crawl.log"
    try:
        proc = run(
            "crawl",
            f"dienbien=http://127.0.0.1:{server.server_address[1]}/",
            "--state",
            str(tmp_path / "state"),
            "--output-dir",
            str(tmp_path / "out"),
            "--log-file",
            str(log),
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=false",
            "-s",
            "PROGRESS_INTERVAL=0",
        )
    finally:
        server.shutdown()
        server.server_close()
    # The page has no article: the run fails as a crawl (1), not as a usage error.
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "dienbien: no article seen" in proc.stdout
    assert "Spider opened" in log.read_text("utf-8")
    assert "Traceback" not in proc.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_site_fails_fast_in_a_few_lines(tmp_path):
    port = _closed_port()
    started = time.monotonic()
    proc = run(
        "crawl",
        f"dienbien=http://127.0.0.1:{port}/",
        "--state",
        str(tmp_path / "state"),
        "--output-dir",
        str(tmp_path / "out"),
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        "-s",
        "PROGRESS_INTERVAL=0",
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 1
    assert "dienbien: unreachable" in proc.stdout
    assert "Traceback" not in proc.stderr
    # robots.txt and the two start pages: one line each, no retry back-off (1 s, 2 s, 4 s each).
    problems = [
        line for line in proc.stderr.splitlines() if " WARNING " in line or " ERROR " in line
    ]
    assert len(problems) <= 4, proc.stderr
    assert not [line for line in problems if "Gave up retrying" in line]
    assert elapsed < 12, f"{elapsed:.1f}s"


def test_debug_log_level_keeps_the_traceback(tmp_path):
    proc = run(
        "crawl",
        f"dienbien=http://127.0.0.1:{_closed_port()}/",
        "--state",
        str(tmp_path / "state"),
        "--output-dir",
        str(tmp_path / "out"),
        "--log-level",
        "DEBUG",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "PROGRESS_INTERVAL=0",
    )
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr


def _middleware() -> BackoffRetryMiddleware:
    crawler = get_crawler(scrapy.Spider, {"RETRY_BACKOFF_BASE": 0, "RETRY_TIMES": 2})
    crawler.spider = crawler._create_spider("t")
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_refused_connection_is_retried_only_once_the_host_has_answered():
    mw = _middleware()
    page = Request("http://127.0.0.1:1/page")
    refused = DownloadConnectionRefusedError("refused")
    assert asyncio.run(mw.process_exception(page, refused)) is None
    asyncio.run(
        mw.process_response(Request("http://127.0.0.1:1/"), HtmlResponse("http://127.0.0.1:1/"))
    )
    retry = asyncio.run(mw.process_exception(page, refused))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    # Another host (or port) that never answered still fails at once.
    assert asyncio.run(mw.process_exception(Request("http://127.0.0.1:2/"), refused)) is None


def test_download_error_tracebacks_only_at_debug(caplog):
    log = logging.getLogger("scrapy.core.scraper")
    try:
        raise DownloadConnectionRefusedError("refused")
    except DownloadConnectionRefusedError:
        ConciseErrorLog(debug=False)
        with caplog.at_level(logging.DEBUG):
            log.error("Error downloading %(request)s", {"request": "<GET x>"}, exc_info=True)
            log.error("Spider error processing %(request)s", {"request": "<GET y>"}, exc_info=True)
        ConciseErrorLog(debug=True)
        with caplog.at_level(logging.DEBUG):
            log.error("Error downloading %(request)s", {"request": "<GET z>"}, exc_info=True)
    download, spider_bug, debug = caplog.records
    assert download.levelno == logging.WARNING and download.exc_info is None
    assert spider_bug.levelno == logging.ERROR and spider_bug.exc_info  # a bug keeps its trace
    assert debug.levelno == logging.ERROR and debug.exc_info


def test_dates_not_a_date_exits_1_with_one_line():
    proc = run("dates", "abc")
    assert proc.returncode == 1
    assert proc.stdout.strip() == "null"
    assert proc.stderr.strip().splitlines() == ["dates: not a date: 'abc'"]
    good = run("dates", "16/01/2018")
    assert good.returncode == 0 and good.stdout.strip() == "2018-01-16T00:00:00+07:00"


def test_dates_stdin_exit_status_says_some_failed():
    proc = run("dates", input="16/01/2018\nabc\nxyz\n")
    assert proc.returncode == 1
    values = [json.loads(line)["value"] for line in proc.stdout.splitlines()]
    assert values == ["2018-01-16T00:00:00+07:00", None, None]
    assert proc.stderr.strip() == "dates: 2 input line(s) not a date"


def test_paths_are_checked_without_a_crawl(tmp_path: Path):
    regular = tmp_path / "f"
    regular.write_text("")
    assert preflight.check_dir(tmp_path / "a" / "b", "--output-dir").is_dir()
    with pytest.raises(UsageError, match="--state .*: is a file"):
        preflight.check_dir(regular, "--state")
    with pytest.raises(UsageError, match="-s LOG_FILE=.*: is a directory"):
        preflight.check_writable({"LOG_FILE": str(tmp_path)}, {})
    preflight.check_file(tmp_path / "new" / "x.log", "--log-file")
    assert (tmp_path / "new" / "x.log").exists()
