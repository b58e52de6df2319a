"""ASGI middleware refusing request bodies over a size limit (REG-01, hostile input).

Neither uvicorn nor Starlette bounds a request body: FastAPI reads a JSON or form body whole
into memory before validating it, so one client could make a worker hold gigabytes. A
declaration at every maximum the schema allows (1,000 source domains of 253 characters, every
list full, every text at its longest) takes 0.36 MB in ASCII and 1.46 MB with each character
of its texts an emoji written as a JSON surrogate-pair escape; the default limit, 2 MiB,
admits both (tests/registry/test_registry_body_limit.py). A body announced larger
(``Content-Length``) is refused before any of it is read; a body sent in chunks is read up
to the limit, then refused. Either way the answer is 413 with a JSON ``detail`` (RFC 9110
section 15.5.14), and nothing reaches the application.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("DEFAULT_MAX_BODY_BYTES", "BodySizeLimit")

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


class BodySizeLimit:
    """Pure ASGI middleware; ``app.add_middleware(BodySizeLimit, limit=...)``."""

    def __init__(self, app: ASGIApp, limit: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # No route reads the body of a GET, HEAD or OPTIONS request: the hot lookups pass
        # straight through without a look at the headers.
        if scope["type"] != "http" or scope["method"] in _NO_BODY:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        # RFC 9112 section 6.3: a body is announced by a length or by chunks.
        chunked = _header(scope, b"transfer-encoding") is not None
        if not chunked and not declared:
            await self.app(scope, receive, send)
            return
        if declared is not None and declared > self.limit:
            await self._refuse(send)
            return
        # Read the body now, counting, and hand the application the messages read.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: the application sees the disconnect
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body larger than {self.limit} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    if value is None or not value.strip().isdigit():
        return None  # absent; a malformed one never gets past the HTTP server
    return int(value)
