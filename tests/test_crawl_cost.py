"""What keeps a many-site crawl cheap: gaps between requests as configured, no reference cycles
left by a page, a collector tuned for a crawl. (Figures: benchmarks/bench_sites.py; no timing
here.)"""

from __future__ import annotations

import gc
import inspect
import json
import logging
import random
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler import fixtures
from crawler.downloader import PacedDownloader, PacedSlot
from crawler.gc_tuning import GcTuning
from crawler.logformatter import drop_below_handlers
from pipelines.encoding import decode_html
from pipelines.extract import extract_article
from pipelines.sitemodel import observe, page_links

SITES = fixtures.sites()
ROOT = Path(__file__).resolve().parent.parent


def _gap(slot: Any, sent_at: float) -> float:
    """The wait before a slot's next request, as Scrapy's downloader decides it: it asks the slot
    for its delay right after a request leaves, and again each time the wait it was told runs
    out; the request leaves once the delay it is told is no longer than the time waited."""
    slot.lastseen = sent_at
    waited = 0.0
    while True:
        delay = slot.download_delay()
        if delay <= waited:
            return waited
        waited = delay


def test_gaps_between_requests_average_the_configured_delay():
    random.seed(7)
    slot = PacedSlot(1, 1.0, 0.5)
    gaps = [_gap(slot, float(n)) for n in range(5000)]
    assert min(gaps) >= 0.5 and max(gaps) <= 1.5
    # One draw per gap: uniform on [0.5, 1.5] s. (Scrapy's own slot, asked again while waiting,
    # averages about 1.22 s: the running maximum of several draws.)
    assert statistics.mean(gaps) == pytest.approx(1.0, abs=0.03)


def test_a_gap_keeps_its_draw_and_follows_autothrottle():
    random.seed(3)
    slot = PacedSlot(1, 2.0, 0.5)
    slot.lastseen = 10.0
    first = slot.download_delay()
    assert all(slot.download_delay() == first for _ in range(20))
    slot.delay = 4.0  # AutoThrottle slowing the site down: the same draw, scaled at once
    assert slot.download_delay() == pytest.approx(first * 2)
    slot.lastseen = 12.0  # a request left: a new gap, a new draw
    assert slot.download_delay() != pytest.approx(first * 2)
    assert PacedSlot(1, 1.0, 0.0).download_delay() == 1.0  # no jitter: the delay itself


# A downloader needs an installed reactor: built in a process of its own.
_SLOT_PROBE = """
import json
from scrapy import Request
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler
settings = get_project_settings()
install_reactor(settings["TWISTED_REACTOR"])
from scrapy.utils.misc import load_object
names = ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS")
crawler = get_crawler(settings_dict={name: settings[name] for name in names})
downloader = load_object(settings["DOWNLOADER"])(crawler)
key, slot = downloader._get_slot(Request("http://127.0.0.1:9/a"))
again = downloader._get_slot(Request("http://127.0.0.1:9/b"))[1] is slot
print(json.dumps([type(slot).__module__ + "." + type(slot).__name__, slot.concurrency,
                  slot.delay, slot.jitter, again]))
"""


def test_project_downloader_makes_paced_slots_with_the_politeness_settings():
    assert load_object(get_project_settings()["DOWNLOADER"]) is PacedDownloader
    out = subprocess.run(
        [sys.executable, "-c", _SLOT_PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    # The site's next request finds the same slot: nothing queued in it is lost.
    assert json.loads(out) == ["crawler.downloader.PacedSlot", 1, 1.0, 0.5, True]


@contextmanager
def _gc_state() -> Iterator[None]:
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def test_gc_tuning_sets_the_threshold_and_freezes_start_up():
    with _gc_state():
        crawler = get_crawler(settings_dict={"GC_THRESHOLD": "12345,7,9", "GC_FREEZE": True})
        ext = GcTuning.from_crawler(crawler)
        gc.unfreeze()
        ext.engine_started()
        assert gc.get_threshold() == (12345, 7, 9)
        # What was alive at engine start (this test's objects too) is out of the collector's scans.
        assert gc.get_freeze_count() > 1000


def test_gc_tuning_settings_errors_and_off_switch():
    with pytest.raises(ValueError, match="GC_THRESHOLD"):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": "1,2,3,4"}))
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": "", "GC_FREEZE": False}))


_OURS = ("pipelines.", "spiders.", "crawler.")


def _of_a_page(obj: Any) -> bool:
    """A parsed tree, a response or selector, or a function of ours (a closure holding them)."""
    kind = type(obj)
    return (
        kind.__module__.startswith(("lxml.", "parsel."))
        or isinstance(obj, (Response, Selector))
        or (inspect.isfunction(obj) and obj.__module__.startswith(_OURS))
    )


def _cycles_left(work: Callable[[], Any]) -> list[str]:
    """What of a page only the cyclic collector would free after `work` (run once before, to
    fill caches and compile what is compiled lazily; what other tests left is not counted)."""
    work()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return sorted(type(o).__qualname__ for o in gc.garbage if _of_a_page(o))
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("site", SITES)
def test_a_site_page_leaves_no_reference_cycles(site):
    """A cycle through a parsed page keeps its whole tree (C memory the collector does not see
    as large) alive until a full collection: pages would pile up between collections, and the
    collector could not be made rarer without memory growing."""
    spider = fixtures.spider_for(site)
    meta = fixtures.load_meta(site)
    listing = fixtures.load_page(site, meta["listings"][0])
    article = meta["articles"][0]
    page = fixtures.load_page(site, article)
    html, _ = decode_html(page.body, None)
    assert _cycles_left(lambda: fixtures.listing_of(spider, listing)) == []
    assert _cycles_left(lambda: fixtures.replay_article(spider, page, article["meta"])) == []
    assert _cycles_left(lambda: extract_article(page.url, html)) == []  # zero-config extraction
    assert _cycles_left(lambda: (observe(page.url, html), page_links(page.url, html))) == []


def test_log_records_no_handler_takes_are_dropped_by_the_first_check():
    root = logging.getLogger()
    saved = root.level, root.handlers[:]
    try:
        root.setLevel(logging.NOTSET)
        root.handlers[:] = [logging.NullHandler(logging.INFO), logging.NullHandler(logging.ERROR)]
        drop_below_handlers()
        page_log = logging.getLogger("scrapy.core.engine")
        assert not page_log.isEnabledFor(logging.DEBUG) and page_log.isEnabledFor(logging.INFO)
        root.addHandler(logging.NullHandler(logging.DEBUG))  # a crawler at LOG_LEVEL=DEBUG
        drop_below_handlers()
        assert page_log.isEnabledFor(logging.DEBUG)
        root.setLevel(logging.WARNING)  # chosen by someone else: left alone
        drop_below_handlers()
        assert root.level == logging.WARNING
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
