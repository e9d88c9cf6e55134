"""Politeness defaults and the retry back-off."""

from datetime import UTC, datetime

from scrapy.http import Response
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.middlewares import BackoffRetryMiddleware, ContactUserAgentMiddleware, retry_after
from crawler.report import drift


def test_defaults_are_polite():
    s = get_project_settings()
    assert s.getbool("ROBOTSTXT_OBEY")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert s.getbool("AUTOTHROTTLE_ENABLED") and s.getfloat("DOWNLOAD_DELAY") >= 1
    assert 429 in s.getlist("RETRY_HTTP_CODES") or "429" in s.getlist("RETRY_HTTP_CODES")


def test_user_agent_names_project_and_contact():
    base = {"BOT_NAME": "vn-ict-crawler", "CONTACT": "mailto:data@example.org", "USER_AGENT": None}
    mw = ContactUserAgentMiddleware.from_crawler(get_crawler(settings_dict=base))
    assert mw.user_agent == "vn-ict-crawler/0.1 (+mailto:data@example.org)"
    assert get_project_settings().get("USER_AGENT") is None  # so the project default applies
    mine = ContactUserAgentMiddleware.from_crawler(
        get_crawler(settings_dict={**base, "USER_AGENT": "x/1"})
    )
    assert mine.user_agent == "x/1"


def test_retry_after_seconds_and_http_date():
    now = datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert retry_after(Response("http://x", status=429, headers={"Retry-After": "7"})) == 7.0
    dated = Response(
        "http://x", status=503, headers={"Retry-After": "Wed, 01 Jan 2025 00:00:30 GMT"}
    )
    assert retry_after(dated, now) == 30.0
    assert retry_after(Response("http://x", status=503)) is None
    assert retry_after(Response("http://x", status=503, headers={"Retry-After": "soon"})) is None


def test_backoff_doubles_and_is_capped():
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 1, "RETRY_BACKOFF_MAX": 5})
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    assert [mw.delay_for(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    asked = Response("http://x", status=429, headers={"Retry-After": "3"})
    assert mw.delay_for(1, asked) == 3
    assert mw.delay_for(1, Response("http://x", status=429, headers={"Retry-After": "3600"})) == 5


class _Settings(dict):
    def getfloat(self, key, default=None):
        return float(self.get(key, default))


def test_drift_alarm_on_coverage_and_articles_per_listing_page():
    previous = [
        {"coverage": {"title": 1.0, "published_at": 1.0, "text": 1.0}, "per_listing_page": 10.0}
    ] * 3
    healthy = {
        "coverage": {"title": 1.0, "published_at": 0.9, "text": 1.0},
        "per_listing_page": 10.0,
    }
    assert drift(healthy, previous, _Settings()) == []
    broken = {"coverage": {"title": 1.0, "published_at": 0.2, "text": 1.0}, "per_listing_page": 2.0}
    alarms = drift(broken, previous, _Settings())
    assert any("published_at coverage 20%" in a for a in alarms)
    assert any("articles per listing page" in a for a in alarms)
    # An incremental run with nothing new has no coverage to judge: no alarm.
    assert drift({"coverage": None, "per_listing_page": 10.0}, previous, _Settings()) == []
    assert drift(broken, [], _Settings()) == []
