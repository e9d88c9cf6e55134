"""Validate every record against the published JSON Schema before it is written."""

from __future__ import annotations

import json
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


def errors(record: dict[str, Any]) -> list[str]:
    """Human-readable violations of the schema of the record's own `schema_version`."""
    version = record.get("schema_version")
    if version not in VERSIONS:
        return [f"schema_version: {version!r} is not one of {', '.join(VERSIONS)}"]
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
