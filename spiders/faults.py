"""Name what went wrong with a page, for the rejects file: specific reasons, not "error"."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Request meta key under which crawler.middlewares.DownloadSizeMiddleware says a download outgrew
# its size limit.
OVERSIZE_KEY = "download_oversize"

# Magic numbers of files that portals serve as text/html by mistake.
_BINARY_MAGIC = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"PK\x03\x04": "zip/office",
    b"\xd0\xcf\x11\xe0": "ms-office",
    b"RIFF": "riff",
}


# Scrapy's own download errors (2.14+), then Twisted's for older paths.
_SCRAPY_ERRORS = (
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated_body"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (CannotResolveHostError, "dns_error"),
    (UnsupportedURLSchemeError, "unsupported_scheme"),
    (DownloadCancelledError, "cancelled"),
    (DownloadFailedError, "connection_lost"),
)


def header_charset(response: Response) -> str:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name == "charset":
            return value.strip(" \"'")
    return ""


def not_a_page(response: Response) -> tuple[str, str] | None:
    """(reason, detail) when a 200 response cannot be an HTML article page."""
    body = response.body
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
    if not body.strip():
        return "empty_page", f"HTTP {response.status} with an empty body"
    head = body[:8].lstrip()
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return "binary_content", f"a {kind} file served as {ctype or 'no content type'}"
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary_content", f"binary data served as {ctype or 'no content type'}"
    if ctype and not any(t in ctype.lower() for t in ("html", "xml", "text/plain")):
        return "not_html", f"content type {ctype}"
    return None


def failure_reason(failure: Failure) -> tuple[str, str]:
    """(reason, detail) for a request that failed before a usable response."""
    exc: Any = failure.value
    message = failure.getErrorMessage()
    if isinstance(exc, HttpError):
        status = exc.response.status
        return (
            f"http_{status}",
            f"HTTP {status} (after retries)"
            if status >= 500 or status == 429
            else f"HTTP {status}",
        )
    if isinstance(exc, IgnoreRequest):
        lowered = message.lower()
        if "robots.txt" in lowered:
            return "robots_disallowed", message
        if "max redirections" in lowered or "redirect loop" in lowered:
            return "redirect_loop", message
        if "bad redirect" in lowered:
            return "bad_redirect", message
        if "offsite redirect" in lowered:
            return "offsite_redirect", message
        if "offsite" in lowered:
            return "offsite", message
        if "max size" in lowered or "maxsize" in lowered or "larger than" in lowered:
            return "too_large", message
        return "ignored", message
    if "max size" in message or "maxsize" in message:
        return "too_large", message
    # A body without Content-Length that outgrew DOWNLOAD_MAXSIZE is cancelled mid-stream with no
    # message; crawler.middlewares.DownloadSizeMiddleware marked the request.
    request = getattr(failure, "request", None)
    oversize = request.meta.get(OVERSIZE_KEY) if request is not None else None
    if oversize:
        return "too_large", oversize
    if isinstance(exc, ResponseDataLossError):
        # A reset connection shows as ConnectionLost; a server that just stopped short, as
        # ConnectionDone. Both leave the body shorter than announced.
        causes = [r.value for r in getattr(exc.__cause__, "reasons", []) if hasattr(r, "value")]
        detail = (
            "; ".join(f"{type(c).__name__}: {c}" for c in causes) or "body shorter than announced"
        )
        if any(isinstance(c, net.ConnectionLost) for c in causes):
            return "connection_lost", f"connection reset mid-body ({detail})"
        return "truncated_body", detail
    for kinds, reason in _SCRAPY_ERRORS:
        if isinstance(exc, kinds):
            return reason, message
    if isinstance(exc, net.TimeoutError | net.TCPTimedOutError) or "took longer than" in message:
        return "timeout", message
    if isinstance(exc, ResponseFailed):
        reasons = " ".join(str(r.value) for r in getattr(exc, "reasons", []) if hasattr(r, "value"))
        if "DataLoss" in repr(exc.reasons) or "PotentialDataLoss" in reasons:
            return "truncated_body", message
        return "connection_lost", f"{message} {reasons}".strip()
    if isinstance(exc, ResponseNeverReceived | net.ConnectionLost | net.ConnectionDone):
        return "connection_lost", message
    if isinstance(exc, net.ConnectionRefusedError):
        return "connection_refused", message
    if isinstance(exc, net.DNSLookupError):
        return "dns_error", message
    return "fetch_failed", f"{failure.type.__name__}: {message}"
