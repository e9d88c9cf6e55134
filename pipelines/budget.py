"""A CPU-time bound on one page's work, so that no page blocks the crawl of every other site.

Extraction runs in the reactor thread: a page that takes minutes (a library's worst case on a
pathological page) stops every crawl in the process. The bound is a SIGPROF timer, so it only
applies in the main thread of a platform that has one; elsewhere the work runs unbounded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class BudgetExceeded(BaseException):  # noqa: N818 - it says what happened
    """The work used more CPU time than its budget. A BaseException, like KeyboardInterrupt, so
    that the `except Exception` of the libraries it interrupts does not swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"more than {seconds:g} s of CPU time")
        self.seconds = seconds


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded inside the block once it has used `seconds` of CPU time (<= 0: no
    bound)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable:
        yield
        return
    active = True

    def expired(signum: int, frame: Any) -> None:
        if active:  # the timer may fire just as the block ends
            raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        active = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
