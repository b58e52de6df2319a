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
# What rb"<input[^>]+type\s*=\s*[\"']?password" and the tag stripper
# rb"<script.*?</script>|<style.*?</style>|<[^>]+>" found, in linear time: as regexes they read
# to the end of the page again from every unclosed "<input", "<script" or "<style" (256 KiB of
# "<script>": 30.7 s on the reactor, which stalls the whole crawl). An element that is not
# closed after one opening is not closed after any later one, so it is looked for no more
# (as optout/_tdmrep.py:xmp_packets). Bad input gets a clear error and loses nothing.
_INPUT_OPEN = re.compile(rb"<input", re.IGNORECASE)
_PASSWORD_TYPE = re.compile(rb"type\s*=\s*[\"']?password", re.IGNORECASE)
_BLOCKS = ((b"<script", b"</script>"), (b"<style", b"</style>"))
# A login wall is a password field with little else on the page; a login box in the header of
# a long article is not a wall.
_LOGIN_WALL_TEXT_BYTES = 1500
_SCAN_BYTES = 262144


def _has_password_field(head: bytes) -> bool:
    """An ``<input ... type=password`` in ``head`` (the ``type`` before the tag's ``>``)."""
    position = 0
    while (opening := _INPUT_OPEN.search(head, position)) is not None:
        end = head.find(b">", opening.end())
        if end < 0:  # unclosed: the tag runs to the end, and so would any later "<input"
            return _PASSWORD_TYPE.search(head, opening.end() + 1) is not None
        if _PASSWORD_TYPE.search(head, opening.end() + 1, end) is not None:
            return True
        position = end + 1  # an "<input" inside this tag has no other "type" to offer
    return False


def _strip_markup(head: bytes) -> bytes:
    """``head`` with each script, style and tag replaced by a space."""
    lower = head.lower()
    unclosed: set[bytes] = set()  # closers absent past some point, hence past any later one
    no_gt = False
    pieces: list[bytes] = []
    copied = cursor = 0
    while (start := head.find(b"<", cursor)) >= 0:
        end = -1
        for opening, closing in _BLOCKS:
            if lower.startswith(opening, start):
                if closing not in unclosed:
                    close = lower.find(closing, start + len(opening))
                    if close < 0:
                        unclosed.add(closing)
                    else:
                        end = close + len(closing)
                break
        if end < 0 and not no_gt and head[start + 1 : start + 2] not in (b"", b">"):
            close = head.find(b">", start + 2)
            if close < 0:
                no_gt = True
            else:
                end = close + 1
        if end < 0:  # not markup: a "<" of the text
            cursor = start + 1
            continue
        pieces += (head[copied:start], b" ")
        copied = cursor = end
    pieces.append(head[copied:])
    return b"".join(pieces)


def detect_barrier(status: int, body: bytes) -> tuple[str, str] | None:
    """``("login"|"captcha", detail)`` when the response is an access barrier, else None."""
    if status in (401, 407):
        return "login", f"HTTP {status} authentication required"
    head = body[:_SCAN_BYTES]
    lower = head.lower()
    for marker in _CAPTCHA_MARKERS:
        if marker in lower:
            return "captcha", f"CAPTCHA marker '{marker.decode('latin-1')}'"
    if b"password" in lower and _has_password_field(head):
        text = _strip_markup(head)
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
