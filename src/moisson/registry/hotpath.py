"""ASGI middleware answering the two hot lookups before FastAPI's routing (REG-02, REG-03).

``GET /api/v1/optout/identifiers/{5 hex}`` and ``GET /api/v1/campaigns?domain=HOST`` are what
crawlers call for every domain and identifier they meet. When the request is well formed, this
layer answers it directly (same body and headers as the documented FastAPI routes); anything
else, including every malformed request, goes on to FastAPI, which validates and answers 422.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from moisson.registry.domains import normalise_domain
from moisson.registry.service import Register

__all__ = ("HotLookups",)

_IDENTIFIERS = "/api/v1/optout/identifiers/"
_HEX5 = re.compile(r"[0-9a-fA-F]{5}")


class HotLookups:
    """Pure ASGI middleware; ``app.add_middleware(HotLookups, register=register)``."""

    def __init__(self, app: ASGIApp, register: Register) -> None:
        self.app = app
        self.register = register

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = self._answer(scope["path"], scope.get("query_string", b""))
            if answer is not None:
                body, media_type, max_age = answer
                await _respond(send, body, media_type, max_age)
                return
        await self.app(scope, receive, send)

    def _answer(self, path: str, query: bytes) -> tuple[bytes, bytes, bytes] | None:
        if path.startswith(_IDENTIFIERS):
            prefix = path[len(_IDENTIFIERS) :]
            if not _HEX5.fullmatch(prefix):
                return None
            suffixes = self.register.identifier_suffixes(prefix)
            return (
                "".join(s + "\n" for s in suffixes).encode(),
                b"text/plain; charset=utf-8",
                b"300",
            )
        if path == "/api/v1/campaigns" and query.startswith(b"domain="):
            pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            if len(pairs) != 1 or len(pairs[0][1]) > 253:
                return None
            try:
                host = normalise_domain(pairs[0][1])
            except ValueError:
                return None
            rows = self.register.search_domain_json(host)
            return ("[" + ",".join(rows) + "]").encode(), b"application/json", b"60"
        return None


async def _respond(send: Send, body: bytes, media_type: bytes, max_age: bytes) -> None:
    headers: list[tuple[bytes, bytes]] = [
        (b"content-length", str(len(body)).encode()),
        (b"content-type", media_type),
        (b"cache-control", b"public, max-age=" + max_age),
    ]
    start: dict[str, Any] = {"type": "http.response.start", "status": 200, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body})
