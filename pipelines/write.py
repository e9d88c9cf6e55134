"""Write records as JSONL so that a reader never sees a half-written file.

Records go to a temporary name beside the target and are renamed into place when the spider closes.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any

import jsonlines
from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)


def output_path(settings: Any, site: str, kind: str = "records") -> Path:
    """`<OUTPUT_DIR>/<site>.jsonl` (or `.rejects.jsonl`); OUTPUT_FILE overrides the records path."""
    if kind == "records" and settings.get("OUTPUT_FILE"):
        return Path(settings.get("OUTPUT_FILE"))
    base = Path(settings.get("OUTPUT_DIR") or "output").resolve()
    name = f"{site}.jsonl" if kind == "records" else f"{site}.{kind}.jsonl"
    path = (base / name).resolve()
    if base not in path.parents:
        raise ValueError(f"site name {site!r} would write outside {base}")
    return path


def _dumps(obj: Any) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class AtomicJsonlFile:
    """A JSONL file written under a temporary name and renamed into place by `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._fh = self.tmp.open("w", encoding="utf-8")
        self._writer = jsonlines.Writer(self._fh, dumps=_dumps, flush=False)
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        self._writer.write(record)
        self.count += 1

    def commit(self) -> None:
        self._writer.close()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.tmp, self.path)


class JsonlWriterPipeline:
    """Write each validated record to `<OUTPUT_DIR>/<site>.jsonl` (skipped when -o/-O feeds are set)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.file: AtomicJsonlFile | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> JsonlWriterPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        settings = self.crawler.settings
        if settings.getdict("FEEDS") and not settings.get("OUTPUT_FILE"):
            logger.info("feed export configured (-o/-O): records go there only")
            return
        self.file = AtomicJsonlFile(output_path(settings, self.crawler.spider.name))

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.file is not None:
            self.file.write(dict(item))
        return item

    def close_spider(self) -> None:
        if self.file is not None:
            self.file.commit()
            self.crawler.stats.set_value("output/file", str(self.file.path))
            self.crawler.stats.set_value("output/records", self.file.count)


class AtomicFileFeedStorage(FileFeedStorage):
    """Scrapy's local feed storage, but the target only appears (or changes) once complete."""

    def open(self, spider: Any) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        if self.write_mode == "ab" and target.exists():
            shutil.copyfile(target, self._tmp)
        return self._tmp.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self._tmp, self.path)
