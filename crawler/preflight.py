"""Usage checks made before the first request: a bad option fails in one line, exit status 2.

Scrapy reads most settings lazily, deep inside the crawl, so a typo in `-s`, a start URL without a
host or an output directory that cannot be created used to surface as a traceback (or as "did not
start") after the reactor was running. Everything here runs before any crawler is built.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib
import inspect
import ipaddress
import json
import math
import os
import re
import tempfile
import textwrap
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from pipelines.validate import VERSIONS


class UsageError(Exception):
    """A bad command line: reported as `<prog>: error: <message>`, exit status 2."""


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage text is in -h)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} -h)\n")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level(value: str) -> str:
    """argparse type of --log-level: a level name, any case."""
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"expects one of {', '.join(LOG_LEVELS)}, got {value!r}")
    return level


def _nearest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close:  # case typos: download_delay
        upper = {k.upper(): k for k in known}
        close = [upper[c] for c in difflib.get_close_matches(name.upper(), upper, n=1)]
    return f" (did you mean {close[0]}?)" if close else ""


def pairs(values: list[str], flag: str) -> dict[str, str]:
    """NAME=VALUE options as a dict; the last one of a name wins, as in Scrapy."""
    out = {}
    for value in values:
        name, sep, val = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{flag} expects NAME=VALUE, got {value!r}")
        out[name.strip()] = val
    return out


# --------------------------------------------------------------------------------------------
# Start URLs


def check_url(url: str, option: str) -> str:
    """An http(s) URL with a host and a valid port, or UsageError naming `option`."""
    if any(c.isspace() for c in url):
        raise UsageError(f"{option}: a URL has no spaces")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # an unclosed IPv6 bracket
        raise UsageError(f"{option}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"{option}: the start URL must be http:// or https://")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"{option}: the port is not a number in 1-65535") from None
    host = parts.hostname or ""
    if not host:
        raise UsageError(f"{option}: the URL has no host")
    if port == 0:
        raise UsageError(f"{option}: the port is not a number in 1-65535")
    if ":" in host:  # an IPv6 literal
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise UsageError(f"{option}: {host!r} is not an IPv6 address") from None
    elif not _valid_hostname(host):
        raise UsageError(f"{option}: {host!r} is not a host name")
    return url


def _valid_hostname(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    label = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
    return len(ascii_host) <= 253 and all(label.fullmatch(p) for p in labels)


# --------------------------------------------------------------------------------------------
# Spider arguments (-a NAME=VALUE)

# Arguments whose value has a format of its own, whatever spider takes them.
_ARG_CHECKS: dict[str, Callable[[str, str], Any]] = {"start_url": check_url}


def spider_arguments(cls: type) -> dict[str, type]:
    """Arguments the spider class takes, with the type it converts them to (str, int, float).

    Scrapy copies every -a argument onto the spider as an attribute, so an unchecked one can
    override anything (`-a name=../..` renames the site, its state and its output folder). What a
    spider accepts is read from its own `__init__` methods (not Scrapy's): their keyword
    parameters, and the `kwargs.get("NAME")` / `kwargs.pop` / `kwargs["NAME"]` they read."""
    accepted: dict[str, type] = {}
    for klass in cls.__mro__:
        if klass is object or klass.__module__.split(".")[0] == "scrapy":
            continue
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        var_kw = None
        for p in inspect.signature(init).parameters.values():
            if p.kind is p.VAR_KEYWORD:
                var_kw = p.name
            elif p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self":
                accepted.setdefault(p.name, _annotation_type(p.annotation))
        if var_kw:
            for name, typ in _kwargs_reads(init, var_kw).items():
                accepted.setdefault(name, typ)
    return accepted


def _annotation_type(annotation: Any) -> type:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    words = set(re.findall(r"\w+", str(text)))
    return int if "int" in words else float if "float" in words else str


def _kwargs_reads(func: Callable[..., Any], var_kw: str) -> dict[str, type]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return {}
    reads: dict[str, type] = {}
    converted: dict[int, type] = {}  # id of a kwargs read → int/float wrapped around it
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("int", "float")
            and node.args
        ):
            converted[id(node.args[0])] = int if node.func.id == "int" else float
    for node in ast.walk(tree):
        key = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == var_kw
            and node.args
        ):
            key = node.args[0]
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == var_kw
        ):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            reads[key.value] = converted.get(id(node), str)
    return reads


def check_spider_args(site: str, cls: type, args: dict[str, str]) -> None:
    """Every -a argument is one `cls` takes, with a value of the type it converts it to."""
    accepted = spider_arguments(cls)
    for name, value in args.items():
        option = f"-a {name}={value}"
        if name not in accepted:
            takes = ", ".join(sorted(accepted)) or "none"
            raise UsageError(
                f"{option}: {site} takes no argument {name!r}{_nearest(name, accepted)};"
                f" it takes: {takes}"
            )
        if not value.strip():
            raise UsageError(f"{option}: empty value (leave the argument out instead)")
        if name in _ARG_CHECKS:
            _ARG_CHECKS[name](value, option)
        elif accepted[name] is not str:
            _number(value, option, accepted[name], minimum=0)


# --------------------------------------------------------------------------------------------
# Settings (-s NAME=VALUE)

# Read by the code without a default in any settings module.
_UNDECLARED: dict[str, Any] = {"OUTPUT_FILE": None, "SITE_MODEL_REPORT": None}
# Integer defaults that Scrapy or the project read with getfloat: a fraction is fine there.
_FRACTIONAL = frozenset(
    {
        "DOWNLOAD_TIMEOUT",
        "DNS_TIMEOUT",
        "CLOSESPIDER_TIMEOUT",
        "CLOSESPIDER_TIMEOUT_NO_ITEM",
        "LOGSTATS_INTERVAL",
        "REFRESH_WINDOW_DAYS",
        "PROGRESS_INTERVAL",
        "METAREFRESH_MAXDELAY",
    }
)
# Zero would stall or break the crawl.
_POSITIVE = frozenset(
    {
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "CONCURRENT_ITEMS",
        "DOWNLOAD_TIMEOUT",
        "DNS_TIMEOUT",
        "AUTOTHROTTLE_TARGET_CONCURRENCY",
        "REACTOR_THREADPOOL_MAXSIZE",
        "SITE_MODEL_MAX_PAGES",
        "MAX_LISTING_PAGES",
        "KNOWN_RUN_STOP",
    }
)
# Integer defaults that are switches.
_BOOLEAN = frozenset({"TELNETCONSOLE_ENABLED"})
_FRACTIONS = frozenset({"DRIFT_COVERAGE_DROP", "DRIFT_SEEN_FRACTION", "DOWNLOAD_DELAY_JITTER"})
# Settings naming a directory or a file the run writes: checked by check_writable.
DIR_SETTINGS = frozenset({"OUTPUT_DIR", "STATE_DIR", "JOBDIR"})
FILE_SETTINGS = frozenset({"LOG_FILE", "OUTPUT_FILE", "SITE_MODEL_DUMP", "SITE_MODEL_REPORT"})
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def known_settings() -> dict[str, Any]:
    """Every setting name with its default: Scrapy's, then the project's over them."""
    from scrapy.settings import default_settings

    module = os.environ.get("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    project = importlib.import_module(module)
    known = dict(_UNDECLARED)
    for source in (default_settings, project):
        known.update({n: getattr(source, n) for n in dir(source) if n.isupper()})
    return known


def check_since(value: str, option: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise UsageError(f"{option}: expects a date as YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value} is not a calendar date") from None
    return value


def _choice(*choices: str) -> Callable[[str, str], str]:
    def check(value: str, option: str) -> str:
        if value not in choices:
            raise UsageError(f"{option}: expects one of {', '.join(choices)}")
        return value

    return check


def _level(value: str, option: str) -> str:
    try:
        return log_level(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _retry_codes(value: str, option: str) -> list[int]:
    codes = _list(value, option, [500])
    if not all(100 <= c <= 599 for c in codes):
        raise UsageError(f"{option}: expects HTTP status codes (100-599)")
    return codes


def _non_empty(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option}: expects a non-empty value")
    return value


def records_table(value: str, option: str) -> str | None:
    """A RECORDS_TABLE name (pipelines.records_table); empty unsets it."""
    from pipelines.records_table import name_problem

    if not value:
        return None
    problem = name_problem(value)
    if problem:
        raise UsageError(f"{option}: {problem}")
    return value


# Project settings (and a few of Scrapy's) whose values have a format of their own.
_SPECIAL: dict[str, Callable[[str, str], Any]] = {
    "SINCE": check_since,
    "LOG_LEVEL": _level,
    "RETRY_GIVE_UP_LOG_LEVEL": _level,
    "DISCOVER_LISTINGS": _choice("fallback", "always"),
    "RETRY_HTTP_CODES": _retry_codes,
    "CONTACT": _non_empty,
    "BOT_NAME": _non_empty,
    "SCHEMA_VERSION": _choice(*VERSIONS),
    "RECORDS_TABLE": records_table,
}


def _number(value: str, option: str, kind: type, minimum: float | None) -> int | float:
    try:
        number: int | float = int(value) if kind is int else float(value)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise UsageError(f"{option}: expects {noun}") from None
    if not math.isfinite(number):
        raise UsageError(f"{option}: expects a finite number")
    if minimum is not None and number < minimum:
        raise UsageError(f"{option}: expects a number of at least {minimum:g}")
    return number


def _bool(value: str, option: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise UsageError(f"{option}: expects true or false (or 1/0)")


def _list(value: str, option: str, default: Any) -> list[Any]:
    if value.lstrip().startswith("["):
        try:
            items = json.loads(value)
        except ValueError as exc:
            raise UsageError(f"{option}: expects a JSON list ({exc.msg})") from None
    else:  # Scrapy's own convention: comma-separated
        items = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(items, list):
        raise UsageError(f"{option}: expects a JSON list")
    if default and all(isinstance(d, int) and not isinstance(d, bool) for d in default):
        try:
            return [int(v) for v in items]
        except (TypeError, ValueError):
            raise UsageError(f"{option}: expects a list of whole numbers") from None
    return items


def _dict(value: str, option: str, default: dict[Any, Any]) -> dict[str, Any]:
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise UsageError(f"{option}: expects a JSON object ({exc.msg})") from None
    if not isinstance(parsed, dict):
        raise UsageError(f"{option}: expects a JSON object")
    # Component dicts (middlewares, pipelines, extensions): an order number, or null to disable.
    if default and all(isinstance(v, int) and not isinstance(v, bool) for v in default.values()):
        bad = [k for k, v in parsed.items() if v is not None and type(v) is not int]
        if bad:
            raise UsageError(f"{option}: {bad[0]!r} needs a whole number or null")
    return parsed


def _import_path(value: str, option: str) -> str:
    from scrapy.utils.misc import load_object

    try:
        load_object(value)
    except (ImportError, NameError, ValueError, AttributeError) as exc:
        raise UsageError(f"{option}: cannot import {value!r} ({exc})") from None
    return value


def _looks_importable(default: str) -> bool:
    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+", default):
        return False
    try:
        _import_path(default, "")
    except UsageError:
        return False
    return True


def parse_setting(name: str, value: str, default: Any) -> Any:
    """The value of `-s NAME=VALUE` as the type of the setting's default, or UsageError."""
    option = f"-s {name}={value}"
    if name in _SPECIAL:
        return _SPECIAL[name](value, option)
    if default is None or name in DIR_SETTINGS | FILE_SETTINGS:
        return value or None  # a path, a User-Agent...: a string; empty unsets it
    if isinstance(default, bool) or name in _BOOLEAN:
        return _bool(value, option)
    if isinstance(default, int | float):
        kind = float if isinstance(default, float) or name in _FRACTIONAL else int
        minimum = None if "PRIORITY" in name else 0
        number = _number(value, option, kind, minimum)
        if name in _POSITIVE and number <= 0:
            raise UsageError(f"{option}: expects a number above 0")
        if name in _FRACTIONS and number > 1:
            raise UsageError(f"{option}: expects a fraction between 0 and 1")
        return number
    if isinstance(default, list | tuple | set | frozenset):
        return _list(value, option, list(default))
    if isinstance(default, dict):
        return _dict(value, option, default)
    if isinstance(default, str) and _looks_importable(default):
        return _import_path(value, option)
    return value


def settings_overrides(values: list[str]) -> dict[str, Any]:
    """The -s options, checked against the known settings and typed like their defaults."""
    known = known_settings()
    out = {}
    for name, value in pairs(values, "-s").items():
        if name not in known:
            raise UsageError(f"-s {name}={value}: unknown setting{_nearest(name, known)}")
        out[name] = parse_setting(name, value, known[name])
    return out


# --------------------------------------------------------------------------------------------
# Paths the run writes


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _label(option: str, path: str | Path) -> str:
    return f"{option}={path}" if option.startswith("-s ") else f"{option} {path}"


def check_dir(path: str | Path, option: str) -> Path:
    """Create `path` (and its parents) if missing and make sure a file can be written in it."""
    target = Path(path).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=target):
            pass
    except FileExistsError:
        raise UsageError(f"{_label(option, path)}: is a file, not a directory") from None
    except OSError as exc:
        raise UsageError(f"{_label(option, path)}: cannot write there: {_reason(exc)}") from None
    return target


def check_file(path: str | Path, option: str) -> Path:
    """A file the run appends to: its missing parent directories are created, then it is opened
    for appending (which creates it empty, as the run would)."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise UsageError(f"{_label(option, path)}: is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a"):
            pass
    except FileExistsError:
        raise UsageError(
            f"{_label(option, path)}: {target.parent} is a file, not a directory"
        ) from None
    except OSError as exc:
        raise UsageError(f"{_label(option, path)}: cannot write there: {_reason(exc)}") from None
    return target


def check_writable(settings: dict[str, Any], options: dict[str, str]) -> None:
    """Every directory and file setting in `settings` can be written; `options` names the
    command-line option each setting came from (default: `-s NAME`)."""
    for name, value in settings.items():
        if not value or name not in DIR_SETTINGS | FILE_SETTINGS:
            continue
        option = options.get(name, f"-s {name}")
        (check_dir if name in DIR_SETTINGS else check_file)(value, option)
