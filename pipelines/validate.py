"""Validate every record against the published JSON Schema before it is written."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from pipelines.errors import RejectItem

SCHEMA_FILE = "article-v1.schema.json"


@cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("crawler").joinpath("schema", SCHEMA_FILE).read_text("utf-8"))


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


def errors(record: dict[str, Any]) -> list[str]:
    """Human-readable schema violations of `record` (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
        for e in sorted(validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    ]


class ValidatePipeline:
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        problems = errors(dict(item))
        if problems:
            raise RejectItem("schema_invalid", "; ".join(problems)[:1000])
        return item
