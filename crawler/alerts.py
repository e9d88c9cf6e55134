"""Alerts: a run that failed or raised a drift alarm tells someone, by e-mail and/or a webhook.

One message per site run, sent when the run ends, from the manifest that crawler.report.RunReport
has just made (`run/manifest` in the stats), so an alert says what the manifest says. Sending
runs in a daemon thread with short socket timeouts and an overall deadline: a dead or slow mail
server or webhook costs one warning line, never the run's status or a hung process.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import threading
import urllib.request
from email.message import EmailMessage
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

logger = logging.getLogger("crawler.alerts")
COUNTS = ("pages", "records", "new", "updated", "known_skipped", "rejects")


def reasons(manifest: dict[str, Any] | None, alert_on: list[str]) -> list[str]:
    """Why this run alerts: its status if listed in ALERT_ON, "drift" for a drift alarm."""
    if not manifest:
        return []
    out = []
    if manifest.get("status") in alert_on:
        out.append(manifest["status"])
    if "drift" in alert_on and any(
        str(p).startswith("drift: ") for p in manifest.get("problems") or []
    ):
        out.append("drift")
    return out


def subject(manifest: dict[str, Any], why: list[str]) -> str:
    drift = " (drift)" if "drift" in why else ""
    return (
        f"[vn-ict-crawler] {manifest.get('site')} run {manifest.get('run_id', '-')}"
        f" {manifest.get('status')}{drift}"
    )


def body(manifest: dict[str, Any], why: list[str]) -> str:
    counts = manifest.get("counts") or {}
    lines = [
        f"site: {manifest.get('site')}",
        f"run: {manifest.get('run_id', '-')}",
        f"status: {manifest.get('status')}",
        f"alert: {', '.join(why)}",
        "problems:",
        *(f"  - {p}" for p in manifest.get("problems") or ["(none)"]),
        "counts: " + ", ".join(f"{k}={counts[k]}" for k in COUNTS if k in counts),
        f"manifest: {(manifest.get('files') or {}).get('manifest') or '(not written)'}",
    ]
    return "\n".join(lines) + "\n"


def payload(manifest: dict[str, Any], why: list[str]) -> dict[str, Any]:
    """The webhook's JSON: `text` for chat bridges (Slack's incoming webhooks read it as is),
    the fields for anything that parses."""
    return {
        "text": subject(manifest, why) + "\n" + body(manifest, why),
        "site": manifest.get("site"),
        "run_id": manifest.get("run_id"),
        "status": manifest.get("status"),
        "alert": why,
        "problems": manifest.get("problems") or [],
        "counts": manifest.get("counts") or {},
        "manifest": (manifest.get("files") or {}).get("manifest"),
    }


def send_mail(settings: Any, manifest: dict[str, Any], why: list[str], timeout: float) -> None:
    msg = EmailMessage()
    msg["Subject"] = subject(manifest, why)
    msg["From"] = settings.get("ALERT_SMTP_FROM") or "vn-ict-crawler@localhost"
    msg["To"] = ", ".join(settings.getlist("ALERT_SMTP_TO"))
    msg.set_content(body(manifest, why))
    host, port = settings.get("ALERT_SMTP_HOST"), settings.getint("ALERT_SMTP_PORT", 25)
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        if settings.getbool("ALERT_SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        user = settings.get("ALERT_SMTP_USER")
        if user:
            # The password may come from the environment, to keep it out of files and `ps`.
            password = settings.get("ALERT_SMTP_PASSWORD") or os.environ.get("ALERT_SMTP_PASSWORD")
            smtp.login(user, password or "")
        smtp.send_message(msg)


def post_webhook(url: str, manifest: dict[str, Any], why: list[str], timeout: float) -> None:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    data = json.dumps(payload(manifest, why), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "vn-ict-crawler"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # raises on 4xx/5xx
        response.read(1024)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class RunAlerts:
    """Scrapy extension, after crawler.report.RunReport in EXTENSIONS: alert on its manifest."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.alert_on = settings.getlist("ALERT_ON", ["failed", "drift"])
        self.timeout = settings.getfloat("ALERT_TIMEOUT", 10)
        self.smtp = bool(settings.get("ALERT_SMTP_HOST") and settings.getlist("ALERT_SMTP_TO"))
        self.webhook = settings.get("ALERT_WEBHOOK_URL")
        self.sent = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunAlerts:
        ext = cls(crawler)
        if not (ext.smtp or ext.webhook):
            raise NotConfigured  # no channel configured: nothing to say, not even a warning
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    async def spider_closed(self, spider: Any, reason: str) -> None:
        manifest = self.crawler.stats.get_value("run/manifest")
        why = reasons(manifest, self.alert_on)
        if not why or self.sent:
            return
        self.sent = True  # once per run, whatever happens below
        from twisted.internet import reactor

        done: defer.Deferred = defer.Deferred()

        def finish() -> None:
            if not done.called:
                if timer.active():
                    timer.cancel()
                done.callback(None)

        def too_slow() -> None:
            logger.warning(
                "%s: alerts still sending after %.0f s; the run ends without waiting",
                manifest.get("site"),
                3 * self.timeout,
            )
            finish()

        def work() -> None:
            try:
                self.send(manifest, why)
            finally:
                reactor.callFromThread(finish)

        # Every channel's socket has `timeout`; the deadline also covers a server that answers
        # byte by byte. The thread is a daemon: a stuck one does not keep the process alive.
        timer = reactor.callLater(3 * self.timeout, too_slow)
        threading.Thread(target=work, name="alerts", daemon=True).start()
        await maybe_deferred_to_future(done)

    def send(self, manifest: dict[str, Any], why: list[str]) -> None:
        """Each channel on its own: one failing costs one warning line and not the others."""
        settings, site = self.crawler.settings, manifest.get("site")
        stats = self.crawler.stats
        channels = []
        if self.smtp:
            channels.append(
                (
                    f"e-mail to {', '.join(settings.getlist('ALERT_SMTP_TO'))}",
                    lambda: send_mail(settings, manifest, why, self.timeout),
                )
            )
        if self.webhook:
            channels.append(
                ("webhook", lambda: post_webhook(self.webhook, manifest, why, self.timeout))
            )
        for name, channel in channels:
            try:
                channel()
            except Exception as exc:  # an alert must never fail the run
                stats.inc_value("alerts/failed")
                logger.warning("%s: alert by %s failed: %s", site, name, _one_line(exc))
            else:
                stats.inc_value("alerts/sent")
                logger.info("%s: alert (%s) sent by %s", site, ", ".join(why), name)
