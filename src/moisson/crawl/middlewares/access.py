"""Access barriers (SCR-04): pages behind a login form or a CAPTCHA are refused and recorded.

Only freely accessible content is collected: an HTTP 401/407, a CAPTCHA challenge (reCAPTCHA,
hCaptcha, Cloudflare Turnstile/challenge markers) or a login wall (a password field on a page
with little else) is refused, never retried with tricks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from moisson.crawl.middlewares._common import is_redirect, is_site_file, require_enabled
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ("AccessBarrierMiddleware", "detect_barrier")

# Markers of CAPTCHA widgets and challenge pages (reCAPTCHA, hCaptcha, Cloudflare Turnstile and
# challenge platform), matched on the lower-cased start of the page.
_CAPTCHA_MARKERS = (
    b"g-recaptcha",
    b"recaptcha/api.js",
    b"h-captcha",
    b"hcaptcha.com/1/api.js",
    b"cf-turnstile",
    b"challenges.cloudflare.com",
    b"cf-chl-",
    b"/cdn-cgi/challenge-platform",
    b"captcha-container",
)
_PASSWORD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
_TAGS = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]+>", re.IGNORECASE | re.DOTALL)
# A login wall is a password field with little else on the page; a login box in the header of
# a long article is not a wall.
_LOGIN_WALL_TEXT_BYTES = 1500
_SCAN_BYTES = 262144


def detect_barrier(status: int, body: bytes) -> tuple[str, str] | None:
    """``("login"|"captcha", detail)`` when the response is an access barrier, else None."""
    if status in (401, 407):
        return "login", f"HTTP {status} authentication required"
    head = body[:_SCAN_BYTES]
    lower = head.lower()
    for marker in _CAPTCHA_MARKERS:
        if marker in lower:
            return "captcha", f"CAPTCHA marker '{marker.decode('latin-1')}'"
    if b"password" in lower and _PASSWORD.search(head):
        text = _TAGS.sub(b" ", head)
        visible = len(b" ".join(text.split()))
        if visible < _LOGIN_WALL_TEXT_BYTES:
            return "login", f"password form on a page of {visible} bytes of text"
    return None


class AccessBarrierMiddleware:
    """Refuses login walls (``login``) and CAPTCHA challenges (``captcha``)."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AccessBarrierMiddleware:
        require_enabled(crawler, "MOISSON_ACCESS_ENABLED")
        return cls(CrawlState.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if is_site_file(request) or is_redirect(response.status, response.headers):
            return response
        self.state.stats.inc_value("moisson/access/checked")
        barrier = detect_barrier(response.status, response.body)
        if barrier is not None:
            reason, detail = barrier
            raise self.state.refuse(response.url, reason, stage="page", detail=detail)
        return response
