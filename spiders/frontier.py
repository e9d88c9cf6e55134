"""The zero-config spider's frontier: pages found and not yet requested, best first.

Scrapy's scheduler holds a Request object (headers, callbacks, meta) for every page queued; a
spider that yields every link it finds queues most of the site at once. The frontier keeps only
the URL, its depth and its rank, and the spider hands Scrapy a few requests at a time
(`GenericSpider.refill`), so the scheduler's length stays flat whatever the portal's size.

A URL found again with a better rank (a sitemap entry a listing then links to) moves up; the
stale heap entry is skipped when it surfaces.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

Rank = tuple[int, ...]


@dataclass(slots=True)
class Pending:
    url: str  # as the site wrote it: some servers read their query in order
    depth: int
    listed: bool  # found only in a sitemap or feed, not by walking the site's links
    rank: Rank


class Frontier:
    """A priority queue of URLs keyed by their canonical form; lowest rank first, FIFO within."""

    def __init__(self, rank: Callable[[str, int, bool], Rank]) -> None:
        self._rank = rank
        self._heap: list[tuple[Rank, int, str]] = []
        self._pending: dict[str, Pending] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, key: str) -> bool:
        return key in self._pending

    def push(self, key: str, url: str, depth: int, listed: bool) -> None:
        """Add a URL, or give one already waiting the better of its two ranks."""
        found = self._pending.get(key)
        if found is not None:
            depth = min(depth, found.depth)
            listed = found.listed and listed
            rank = self._rank(key, depth, listed)
            if rank >= found.rank:
                return
            found.depth, found.listed, found.rank = depth, listed, rank
        else:
            rank = self._rank(key, depth, listed)
            self._pending[key] = Pending(url, depth, listed, rank)
        self._seq += 1
        heapq.heappush(self._heap, (rank, self._seq, key))

    def pop(self) -> tuple[str, Pending] | None:
        """The best URL waiting, or None when none is."""
        while self._heap:
            rank, _, key = heapq.heappop(self._heap)
            found = self._pending.get(key)
            if found is not None and found.rank == rank:
                del self._pending[key]
                return key, found
        return None

    def rerank(self, rank: Callable[[str, int, bool], Rank]) -> None:
        """Order what waits by a new rule (the site model has been learned)."""
        self._rank = rank
        self._heap = []
        for key, found in self._pending.items():
            found.rank = rank(key, found.depth, found.listed)
            self._seq += 1
            self._heap.append((found.rank, self._seq, key))
        heapq.heapify(self._heap)
