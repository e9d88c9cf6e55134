"""Alerts end to end: real crawls, a local SMTP server (aiosmtpd) and a local webhook receiver."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import serve_demo
from tests.test_incremental import crawl, latest, manifests


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@contextmanager
def webhook(status: int = 200) -> Iterator[tuple[list[dict], str]]:
    """An HTTP receiver on 127.0.0.1 keeping every POSTed JSON body."""
    posts: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers["Content-Length"])
            posts.append(
                {
                    "path": self.path,
                    "type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                }  # fmt: skip
            )
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield posts, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def alert_settings(smtp_port: int, hook: str, **extra: str) -> dict[str, str]:
    return {
        "RETRY_ENABLED": "0",
        "ALERT_SMTP_HOST": "127.0.0.1",
        "ALERT_SMTP_PORT": str(smtp_port),
        "ALERT_SMTP_FROM": "crawler@example.org",
        "ALERT_SMTP_TO": "ops@example.org,data@example.org",
        "ALERT_WEBHOOK_URL": hook,
        "ALERT_TIMEOUT": "2",
        **extra,
    }


def assert_says(text: str, manifest: dict) -> None:
    for part in (manifest["site"], manifest["run_id"], manifest["status"], *manifest["problems"]):
        assert part in text
    assert f"pages={manifest['counts']['pages']}" in text
    assert f"rejects={manifest['counts']['rejects']}" in text
    assert manifest["files"]["manifest"] in text


def test_a_failed_run_alerts_once_by_mail_and_webhook(smtp, tmp_path):
    box, smtp_port = smtp
    with webhook() as (posts, hook):
        down = f"http://127.0.0.1:{free_port()}/"
        result = crawl(
            {"dienbien": down},
            tmp_path / "s",
            tmp_path / "o",
            settings=alert_settings(smtp_port, hook),
        )
    assert result.returncode == 1, result.stderr[-3000:]
    manifest = latest(tmp_path / "o", "dienbien")
    assert manifest["status"] == "failed" and "unreachable" in manifest["problems"][0]
    assert Path(manifest["files"]["manifest"]).exists()

    assert len(box.messages) == 1
    rcpt, msg = box.messages[0]
    assert rcpt == ["ops@example.org", "data@example.org"]
    assert msg["From"] == "crawler@example.org"
    assert "dienbien" in msg["Subject"] and manifest["run_id"] in msg["Subject"]
    assert_says(msg.get_content(), manifest)

    assert len(posts) == 1 and posts[0]["path"] == "/hook"
    assert posts[0]["type"].startswith("application/json")
    sent = posts[0]["json"]
    for key in ("site", "run_id", "status", "problems", "counts"):
        assert sent[key] == manifest[key]
    assert sent["manifest"] == manifest["files"]["manifest"] and sent["alert"] == ["failed"]
    assert_says(sent["text"], manifest)
    assert "alert by" not in result.stderr  # no channel failed


def test_ok_runs_are_quiet_and_a_drift_alarm_alerts(smtp, tmp_path):
    box, smtp_port = smtp
    state, out = tmp_path / "s", tmp_path / "o"
    with serve_demo() as urls, webhook() as (posts, hook):
        first = crawl(
            {"dienbien": urls["dienbien"]}, state, out, settings=alert_settings(smtp_port, hook)
        )
        assert first.returncode == 0, first.stderr[-3000:]
        assert latest(out, "dienbien")["status"] == "ok"
        assert box.messages == [] and posts == []
        # A history in which the site listed 100 articles a page: the second run, finding
        # four or five, raises a drift alarm, as after a template change.
        db = sqlite3.connect(state / "state.sqlite")
        for run_id, body in db.execute("SELECT run_id, manifest FROM runs").fetchall():
            manifest = json.loads(body)
            manifest["per_listing_page"] = 100.0
            db.execute("UPDATE runs SET manifest=? WHERE run_id=?", (json.dumps(manifest), run_id))
        db.commit()
        db.close()
        second = crawl(
            {"dienbien": urls["dienbien"]},
            state,
            out,
            settings=alert_settings(smtp_port, hook, ALERT_ON="drift"),
        )
    assert second.returncode == 1
    runs = manifests(out, "dienbien")
    assert len(runs) == 2
    drifted = runs[-1]
    assert any(p.startswith("drift: ") for p in drifted["problems"]), drifted["problems"]
    assert len(box.messages) == 1 and len(posts) == 1
    assert "(drift)" in box.messages[0][1]["Subject"]
    assert_says(box.messages[0][1].get_content(), drifted)
    assert (
        posts[0]["json"]["alert"] == ["drift"] and posts[0]["json"]["run_id"] == drifted["run_id"]
    )


def test_dead_or_hanging_channels_never_fail_the_run(tmp_path):
    """SMTP on a closed port, a webhook that accepts and never answers, on an ok run alerting
    on purpose (ALERT_ON=ok): the run stays ok, one warning line per channel."""
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(8)  # the kernel accepts connections; nobody ever reads or answers them
    hook = f"http://127.0.0.1:{hang.getsockname()[1]}/hook"
    try:
        with serve_demo() as urls:
            result = crawl(
                {"dienbien": urls["dienbien"]},
                tmp_path / "s",
                tmp_path / "o",
                settings=alert_settings(free_port(), hook, ALERT_ON="ok", ALERT_TIMEOUT="1"),
            )
    finally:
        hang.close()
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = latest(tmp_path / "o", "dienbien")
    assert manifest["status"] == "ok" and manifest["problems"] == []
    warnings = [line for line in result.stderr.splitlines() if "alert by" in line]
    assert len(warnings) == 2, warnings
    assert all(" WARNING crawler.alerts: dienbien: " in w for w in warnings)
    assert "e-mail" in warnings[0] and "webhook" in warnings[1]
    assert "Traceback" not in result.stderr
