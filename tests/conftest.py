"""Shared fixtures: a fresh workspace, and a real PostgreSQL server for the whole session.

PostgreSQL comes from Debian's packages (``make test`` installs it when missing). The server is
started once per test session in a temporary folder on a free port and stopped at the end;
each test that asks for ``postgres_url`` gets a new empty database. Set
``MOISSON_TEST_POSTGRES_URL`` to use an existing server instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from moisson.workspace import Workspace

# Debian's Chromium, driven by Playwright without its own browser download (no network in CI);
# without the background-networking flags Chromium tries to reach Google's hosts at start.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for the register's pages and the generated HTML documents."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgServer:
    def __init__(self, url_base: str, admin_dsn: str) -> None:
        self.url_base = url_base  # postgresql+psycopg://user@host:port/
        self.admin_dsn = admin_dsn

    def create_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_base + name


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    existing = os.environ.get("MOISSON_TEST_POSTGRES_URL")
    if existing:
        base = existing.rsplit("/", 1)[0] + "/"
        yield PgServer(
            base.replace("postgresql://", "postgresql+psycopg://"), existing.replace("+psycopg", "")
        )
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.fail(
            "PostgreSQL is not installed: run 'make test' (it installs Debian's postgresql)"
        )
    tmp = Path(tempfile.mkdtemp(prefix="moisson-pg-"))
    data = tmp / "data"
    port = _free_port()
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(tmp, "postgres", "postgres")
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "moisson",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    log = tmp / "pg.log"
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield PgServer(
            f"postgresql+psycopg://moisson@127.0.0.1:{port}/",
            f"postgresql://moisson@127.0.0.1:{port}/postgres",
        )
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """One local Ray cluster (2 CPUs) for the whole test session, shut down at the end."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture
def postgres_url(pg_server: PgServer) -> str:
    """A fresh empty database on the session's real PostgreSQL server."""
    return pg_server.create_database()
