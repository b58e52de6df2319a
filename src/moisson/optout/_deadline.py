"""A whole-fetch deadline on every socket operation of httpx (hostile sites, RFC 9309 §2.3.1.4).

httpx's timeouts bound each read, not a request: a server that sends one header line a
second keeps a 15-second fetch open for as long as it likes (measured: a 2-second fetch held
10 s by 40 trickled header lines, and h11 accepts 16 KiB of them). httpx has no setting for a
total, but httpcore lets a connection pool take its own network backend: this one caps the
timeout of every connect, read, write and TLS handshake at what is left before the deadline
of the fetch in progress, held in a context variable (per thread, so one fetcher can serve
several threads), and fails the operation once it has passed.
"""

from __future__ import annotations

import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

__all__ = ("DeadlineTransport", "fetch_deadline")

_DEADLINE: ContextVar[float | None] = ContextVar("moisson_fetch_deadline", default=None)

SocketOptions = typing.Iterable[
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
]


@contextmanager
def fetch_deadline(deadline: float) -> Iterator[None]:
    """Socket operations started inside the block end by ``deadline`` (``time.monotonic``)."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        msg = "the fetch ran past its deadline"
        raise httpcore.ReadTimeout(msg)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: SocketOptions | None = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(path, _bounded(timeout), socket_options)
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connections honour :func:`fetch_deadline`."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx builds its pool without a way to pass a network backend: the pool is rebuilt
        # with the same defaults and ours (tests/optout/test_optout_fetch_deadline.py fails
        # if an httpx release stops reading ``_pool``).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(),
        )
