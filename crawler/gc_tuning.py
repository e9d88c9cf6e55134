"""The garbage collector tuned for a crawl: start-up objects frozen, young collections rarer.

A crawl allocates a page's worth of short-lived objects (a tree, a request, a record) per
response, freed by reference counting; the cyclic collector meanwhile rescans everything alive,
and at start-up that is the imported modules, the settings and every site's crawler, which never
die. gc.freeze() moves what exists when a crawler's engine starts into a generation the collector
never scans, and a larger first threshold (GC_THRESHOLD) runs the young collection less often
without letting cycles pile up. The collector is the process's: every crawler that starts
applies the same settings.
"""

from __future__ import annotations

import gc
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


class GcTuning:
    """Extension: GC_THRESHOLD (gc.set_threshold's three numbers; empty: leave the collector
    as it is) and GC_FREEZE (freeze the objects alive when the engine starts)."""

    def __init__(self, threshold: tuple[int, ...], freeze: bool) -> None:
        self.threshold = threshold
        self.freeze = freeze

    @classmethod
    def from_crawler(cls, crawler: Any) -> GcTuning:
        threshold = tuple(int(x) for x in crawler.settings.getlist("GC_THRESHOLD"))
        freeze = crawler.settings.getbool("GC_FREEZE")
        if not threshold and not freeze:
            raise NotConfigured
        if threshold and not 1 <= len(threshold) <= 3:
            raise ValueError(
                f"GC_THRESHOLD: {threshold!r}: one to three integers (gc.set_threshold)"
            )
        ext = cls(threshold, freeze)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        return ext

    def engine_started(self) -> None:
        if self.threshold and gc.get_threshold()[: len(self.threshold)] != self.threshold:
            gc.set_threshold(*self.threshold)
        if self.freeze:
            # Cheap (a list splice), so every crawler may call it: each freezes its own start-up.
            gc.freeze()
