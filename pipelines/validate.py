"""Validate every record against the published JSON Schema before it is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from pipelines.errors import RejectItem

# The version new records are written in; older versions stay readable and checkable.
CURRENT_VERSION = "2"
VERSIONS = ("1", "2")


@cache
def schema(version: str = CURRENT_VERSION) -> dict[str, Any]:
    name = f"article-v{version}.schema.json"
    return json.loads(resources.files("crawler").joinpath("schema", name).read_text("utf-8"))


@cache
def validator(version: str = CURRENT_VERSION) -> Draft202012Validator:
    return Draft202012Validator(schema(version), format_checker=FormatChecker())


Check = Callable[[Any], bool]
# Keywords that only annotate: no effect on validity.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
# JSON types as exact Python types (a bool is no integer; 1.0 as an integer is left to jsonschema).
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


class _Unsupported(Exception):
    pass


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _scalar(value: Any) -> Any:
    # const/enum of lists or objects: jsonschema's equality there (1 vs True) is not Python's.
    if not (value is None or type(value) in (str, int, float, bool)):
        raise _Unsupported(value)
    return value


def _when(kind: type | tuple[type, ...], test: Callable[[Any], bool]) -> Check:
    """`test` on values of exactly that JSON type; other JSON values pass (the keyword does not
    apply); a subclass (a str or dict subclass, a bool as a number) is left to jsonschema."""
    exact = kind if isinstance(kind, tuple) else (kind,)

    def check(v: Any) -> bool:
        if type(v) in exact:
            return test(v)
        return not isinstance(v, exact)

    return check


def _compile(node: Any, formats: FormatChecker) -> Check:
    """A predicate that is True only for instances the schema accepts (never a false True; a
    False may be wrong, e.g. 1.0 as an integer, and is settled by jsonschema). Keywords it does
    not know raise _Unsupported."""
    if not isinstance(node, dict) or set(node) - _ANNOTATIONS - set(_KEYWORDS):
        raise _Unsupported(node)
    checks = [_KEYWORDS[k](node[k], node, formats) for k in node if k in _KEYWORDS]
    checks = [c for c in checks if c is not None]
    if len(checks) == 1:
        return checks[0]

    def check(v: Any) -> bool:
        for c in checks:  # noqa: SIM110 (a loop: no generator per call, this runs per field)
            if not c(v):
                return False
        return True

    return check


def _type(value: Any, node: dict, formats: FormatChecker) -> Check:
    allowed = frozenset(
        t for name in ([value] if isinstance(value, str) else value) for t in _TYPES[name]
    )
    return lambda v: type(v) in allowed


def _properties(value: dict, node: dict, formats: FormatChecker) -> Check:
    props = [(k, _compile(sub, formats)) for k, sub in value.items()]

    def check(v: dict) -> bool:
        for k, c in props:  # noqa: SIM110 (as above)
            if k in v and not c(v[k]):
                return False
        return True

    return _when(dict, check)


def _additional(value: Any, node: dict, formats: FormatChecker) -> Check:
    if value is not False or "patternProperties" in node:
        raise _Unsupported(value)
    allowed = frozenset(node.get("properties", ()))
    return _when(dict, allowed.issuperset)


def _items(value: Any, node: dict, formats: FormatChecker) -> Check:
    item = _compile(value, formats)
    return _when(list, lambda v: all(item(x) for x in v))


def _unique(value: Any, node: dict, formats: FormatChecker) -> Check | None:
    if not value:
        return None
    # Strings only: jsonschema's equality of other values (1 vs True) is not Python's.
    return _when(list, lambda v: all(type(x) is str for x in v) and len(set(v)) == len(v))


def _const(value: Any) -> Check:
    return lambda v: _same(v, value)


def _enum(values: list[Any]) -> Check:
    return lambda v: any(_same(v, x) for x in values)


_KEYWORDS: dict[str, Callable[[Any, dict, FormatChecker], Check | None]] = {
    "type": _type,
    "const": lambda value, node, f: _const(_scalar(value)),
    "enum": lambda value, node, f: _enum([_scalar(x) for x in value]),
    "required": lambda value, node, f: _when(dict, lambda v: all(k in v for k in value)),
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "uniqueItems": _unique,
    "minimum": lambda value, node, f: _when((int, float), lambda v: v >= value),
    "minLength": lambda value, node, f: _when(str, lambda s: len(s) >= value),
    "maxLength": lambda value, node, f: _when(str, lambda s: len(s) <= value),
    "pattern": lambda value, node, f: _when(str, re.compile(value).search),
    # The very format checks jsonschema runs (which depend on the packages installed).
    "format": lambda value, node, f: _when(str, lambda s: f.conforms(s, value)),
}


@cache
def quick_check(version: str = CURRENT_VERSION) -> Check | None:
    """The schema as plain Python tests: about 20x cheaper than jsonschema on a valid record,
    which is nearly every record. None when the schema uses a keyword it does not know."""
    try:
        return _compile(schema(version), validator(version).format_checker)
    except _Unsupported:
        return None


def errors(record: dict[str, Any]) -> list[str]:
    """Human-readable violations of the schema of the record's own `schema_version`."""
    version = record.get("schema_version")
    if version not in VERSIONS:
        return [f"schema_version: {version!r} is not one of {', '.join(VERSIONS)}"]
    quick = quick_check(version)
    if quick is not None and quick(record):
        return []
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
        for e in sorted(validator(version).iter_errors(record), key=lambda e: list(e.absolute_path))
    ]


class ValidatePipeline:
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        problems = errors(dict(item))
        if problems:
            raise RejectItem("schema_invalid", "; ".join(problems)[:1000])
        return item
