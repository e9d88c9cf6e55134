"""Scrapy's downloader with one random delay per gap between a site's requests.

Scrapy draws the randomized delay (DOWNLOAD_DELAY × (1 ± DOWNLOAD_DELAY_JITTER)) anew every time it
looks at a slot's queue, and it looks again when the wait it drew runs out: a request only leaves
once a fresh draw is no longer than the time already waited. The gap is then the running maximum
of several draws, 1.22 × DOWNLOAD_DELAY on average at the default ±50% (one site at
DOWNLOAD_DELAY 1 peaked at 0.83 pages/s in benchmarks/bench_sites.py), not the DOWNLOAD_DELAY
the setting documents. Here the random factor is drawn once per gap (per request sent), so the
gaps are uniform on [0.5, 1.5] × the slot's delay, as configured; AutoThrottle still sets that
delay and a change to it takes effect at once.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from scrapy.core.downloader import Downloader, Slot

if TYPE_CHECKING:
    from scrapy import Request


class PacedSlot(Slot):
    """A download slot whose randomized delay is drawn once per gap between requests."""

    # Slot is a slots dataclass: the draw and the gap it belongs to need their own storage.
    __slots__ = ("_factor", "_drawn_for")

    def __init__(self, concurrency: int, delay: float, jitter: float | None = None) -> None:
        super().__init__(concurrency, delay, jitter)
        self._factor = 1.0
        self._drawn_for: float | None = None

    def download_delay(self) -> float:
        if not self.jitter:
            return self.delay
        # lastseen is when the slot last sent a request: a new value opens a new gap.
        if self._drawn_for != self.lastseen:
            self._drawn_for = self.lastseen
            self._factor = 1 + random.uniform(-self.jitter, self.jitter)  # noqa: S311
        return max(0.0, self.delay * self._factor)


class PacedDownloader(Downloader):
    """Downloader whose slots are PacedSlots (settings: DOWNLOADER)."""

    def _get_slot(self, request: Request, spider: object = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        if type(slot) is Slot:
            # Just made by Scrapy (nothing queued in it yet): same settings, one draw per gap.
            slot = self.slots[key] = PacedSlot(slot.concurrency, slot.delay, slot.jitter)
        return key, slot
