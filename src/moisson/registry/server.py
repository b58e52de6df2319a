"""Run a register on loopback in a background thread (demo, tests, local use).

Uvicorn in a thread: the real server and the real HTTP stack, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from moisson.errors import MoissonError
from moisson.registry.app import create_app
from moisson.registry.service import Register

__all__ = ("BackgroundServer", "free_port")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class BackgroundServer:
    """``with BackgroundServer(register) as server: httpx.get(server.url + "/")``."""

    def __init__(self, register: Register, *, port: int | None = None) -> None:
        self.register = register
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(register),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, name="moisson-register", daemon=True
        )

    def start(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                msg = f"the register did not start on {self.url}"
                raise MoissonError(msg)
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
