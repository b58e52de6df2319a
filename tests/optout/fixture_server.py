"""A threaded loopback HTTP server for opt-out fixtures (optout-signals.md §12).

Each virtual host (the ``Host`` header, port stripped) maps paths to canned responses: any
status, redirect chains, repeated header lines in order, any body, a delay (timeouts) or a
connection reset. Unknown paths answer 404.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ("FixtureServer", "Resp")


@dataclass(frozen=True)
class Resp:
    """A canned response: status, header lines (repeats kept), body, delay, reset."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float = 0.0
    reset: bool = False
    head_headers: tuple[tuple[str, str], ...] | None = None  # HEAD answer, when it differs


@dataclass
class FixtureServer:
    """Serve ``routes[host][path]`` on 127.0.0.1; use as a context manager."""

    routes: dict[str, dict[str, Resp]] = field(default_factory=dict)
    hits: list[tuple[str, str]] = field(default_factory=list)
    head_hits: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def add(self, host: str, path: str, resp: Resp) -> None:
        self.routes.setdefault(host.lower(), {})[path] = resp

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def resolve_map(self) -> dict[str, str]:
        return dict.fromkeys(self.routes, "127.0.0.1")

    def __enter__(self) -> FixtureServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_HEAD(self) -> None:
                self.do_GET(head=True)

            def do_GET(self, head: bool = False) -> None:
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
                (owner.head_hits if head else owner.hits).append((host, self.path))
                resp = owner.routes.get(host, {}).get(self.path)
                if resp is None:
                    resp = owner.routes.get(host, {}).get(
                        self.path.split("?", 1)[0], Resp(404, body=b"not found")
                    )
                if resp.delay:
                    time.sleep(resp.delay)
                if resp.reset:
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.connection.close()
                    self.close_connection = True
                    return
                self.send_response(resp.status)
                headers = (
                    resp.head_headers if head and resp.head_headers is not None else resp.headers
                )
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                if head:
                    return
                try:
                    self.wfile.write(resp.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
