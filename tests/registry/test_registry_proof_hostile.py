"""Domain proof by well-known file against hostile servers (REG-03: anyone may ask the register
to fetch a file from their own domain).

A double-gzip reply of about 1 kB once inflated to 1.5 GB in the register's memory, and a reply
trickled byte by byte held a worker far past the timeout, because the timeout applied to each
read. The register now reads at most 4 KiB of raw bytes, never decompressed, within one
deadline.
"""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from moisson.registry.proof import WELL_KNOWN_PATH, check_well_known

TOKEN = "abc123token"
_BOMB = gzip.compress(gzip.compress(b" " * 200_000_000))  # 200 MB behind two gzip layers


class _Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != WELL_KNOWN_PATH:
            self.send_error(404)
            return
        kind = self.headers["Host"].split(".")[0]
        self.send_response(200)
        if kind == "bomb":
            self.send_header("Content-Encoding", "gzip, gzip")
            self.send_header("Content-Length", str(len(_BOMB)))
            self.end_headers()
            self.wfile.write(_BOMB)
        elif kind == "trickle":
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            body = f"moisson {TOKEN}\n".encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_plain_file_with_the_token_proves_the_domain(server: str) -> None:
    assert check_well_known("plain.example", TOKEN, resolve={"plain.example": server})


def test_a_compression_bomb_is_not_inflated(server: str) -> None:
    tracemalloc.start()
    try:
        proved = check_well_known("bomb.example", TOKEN, resolve={"bomb.example": server})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not proved
    assert peak < 20_000_000, peak


def test_a_trickled_reply_is_cut_at_the_deadline(server: str) -> None:
    start = time.monotonic()
    proved = check_well_known(
        "trickle.example", TOKEN, resolve={"trickle.example": server}, timeout=1.0
    )
    assert not proved
    assert time.monotonic() - start < 4.0  # the server would trickle for 10 s
