"""Load test of the public register's two hot lookups (REG-02, REG-03), SQLite and PostgreSQL side by side.

Builds a register of 100,000 campaigns and 1,000,000 personal objections (bulk inserts after the
real Alembic migrations), serves it with uvicorn (several workers, uvloop + httptools) on loopback
and drives it from a second process: a bounded asyncio HTTP/1.1 keep-alive client with a fixed
number of connections (closed loop). Reports requests per second and latency percentiles for

* domain search  ``GET /api/v1/campaigns?domain=www.siteN.example`` (parent matching), and
* identifier-prefix lookups ``GET /api/v1/optout/identifiers/{5 hex}`` (k-anonymity).

Usage::

    .venv/bin/python bench/register.py                      # SQLite, full size
    .venv/bin/python bench/register.py --quick              # 10k campaigns, 100k objections
    .venv/bin/python bench/register.py --postgres-url postgresql+psycopg://user@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NOW = "2026-11-26 10:00:00.000000"
N_ORGS = 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- data --------------------------------------------------------------------------------------


def _campaign_rows(n: int) -> Iterator[tuple[Any, ...]]:
    for i in range(1, n + 1):
        org = (i % N_ORGS) + 1
        declaration = {
            "title": f"Campaign {i}",
            "controller": {
                "name": f"Org {org}",
                "email": f"privacy@org{org}.example",
                "address": None,
            },
            "dpo": None,
            "purpose": "Training language models on public web text",
            "legal_basis": "legitimate_interest",
            "lia_url": f"https://org{org}.example/lia",
            "user_agents": [f"Bot{org}/1.0 (+https://org{org}.example/bot)"],
            "ip_ranges": [],
            "public_key": None,
            "start_date": "2026-01-01",
            "end_date": None,
            "source_domains": [f"site{i}.example", f"shared{i % 20000}.example"],
            "source_categories": ["news"],
            "data_categories": ["public web text"],
            "exclusions": [],
            "signals_honoured": ["robots.txt", "TDMRep"],
            "retention": "3 years",
            "rights_contact": f"rights@org{org}.example",
        }
        public = {
            **declaration,
            "id": i,
            "organisation": f"Org {org}",
            "status": "active",
            "version": 1,
            "created_at": "2026-11-26T10:00:00+00:00",
            "updated_at": "2026-11-26T10:00:00+00:00",
            "closed_at": None,
        }
        yield (
            i,
            org,
            "active",
            1,
            json.dumps(declaration),
            None,
            f"campaign {i} org {org}",
            json.dumps(public, sort_keys=True),
            NOW,
            NOW,
            None,
        )


def _identifier_hash(i: int) -> str:
    return hashlib.sha256(f"person{i}@mail.example".encode()).hexdigest()


TABLES: dict[str, tuple[str, ...]] = {
    "organisations": ("id", "name", "email", "created_at"),
    "campaigns": (
        "id",
        "organisation_id",
        "status",
        "version",
        "declaration",
        "notes",
        "search_text",
        "public_json",
        "created_at",
        "updated_at",
        "closed_at",
    ),
    "campaign_domains": ("campaign_id", "domain"),
    "campaign_agents": ("campaign_id", "token"),
    "objections": (
        "id",
        "reference",
        "kind",
        "domain",
        "status",
        "email_hash",
        "confirm_token_hash",
        "created_at",
        "confirmed_at",
        "deadline",
    ),
    "identifier_hashes": ("objection_id", "prefix", "suffix", "active"),
}


def _rows(table: str, campaigns: int, objections: int) -> Iterator[tuple[Any, ...]]:
    if table == "organisations":
        yield from ((o, f"Org {o}", f"c@org{o}.example", NOW) for o in range(1, N_ORGS + 1))
    elif table == "campaigns":
        yield from _campaign_rows(campaigns)
    elif table == "campaign_domains":
        for i in range(1, campaigns + 1):
            yield (i, f"site{i}.example")
            yield (i, f"shared{i % 20000}.example")
    elif table == "campaign_agents":
        yield from ((i, f"bot{(i % N_ORGS) + 1}") for i in range(1, campaigns + 1))
    elif table == "objections":
        for i in range(1, objections + 1):
            yield (i, f"{i:016x}", "person", None, "confirmed", None, None, NOW, NOW, NOW)
    elif table == "identifier_hashes":
        for i in range(1, objections + 1):
            h = _identifier_hash(i)
            yield (i, h[:5], h[5:], True)


def build(url: str, campaigns: int, objections: int) -> float:
    """Run the real migrations, then bulk-load the rows; returns seconds."""
    from moisson.registry.db import make_engine, upgrade

    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    if url.startswith("sqlite"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-400000")
        with db:
            for table, columns in TABLES.items():
                marks = ",".join("?" * len(columns))
                db.executemany(
                    f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})",
                    _rows(table, campaigns, objections),
                )
        db.execute("ANALYZE")
        db.close()
    else:
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as conn:
            with conn.cursor() as cur:
                for table, columns in TABLES.items():
                    with cur.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
                        for row in _rows(table, campaigns, objections):
                            copy.write_row(row)
            conn.commit()
            conn.autocommit = True
            conn.execute("ANALYZE")
    return time.perf_counter() - started


# -- load client (second process) ---------------------------------------------------------------


async def _connection(
    port: int, paths: list[str], deadline: float, out: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random()
    while time.perf_counter() < deadline:
        path = rng.choice(paths)
        started = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lower = head.lower()
        at = lower.index(b"content-length:") + 15
        await reader.readexactly(int(lower[at : lower.index(b"\r\n", at)]))
        out.append(time.perf_counter() - started)
        if head[9:12] != b"200":
            errors.append(int(head[9:12]))
    writer.close()


async def _load(port: int, paths: list[str], seconds: float, connections: int) -> dict[str, Any]:
    warm: list[float] = []
    await asyncio.gather(
        *(_connection(port, paths, time.perf_counter() + 1.0, warm, []) for _ in range(connections))
    )
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(port, paths, started + seconds, latencies, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": round(len(latencies) / elapsed),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 2),
    }


def client_main(args: argparse.Namespace) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    paths = json.loads(Path(args.paths).read_text())
    result = asyncio.run(_load(args.port, paths, args.seconds, args.connections))
    print(json.dumps(result))


# -- orchestration ----------------------------------------------------------------------------


def _paths(kind: str, campaigns: int, n: int = 20000) -> list[str]:
    rng = random.Random(7)
    if kind == "domain":
        out = []
        for _ in range(n):
            i = rng.randint(1, campaigns)
            host = rng.choice(
                [f"www.site{i}.example", f"site{i}.example", f"shared{i % 20000}.example"]
            )
            out.append(f"/api/v1/campaigns?domain={host}")
        return out
    return [f"/api/v1/optout/identifiers/{rng.getrandbits(20):05x}" for _ in range(n)]


def serve_and_measure(
    url: str, args: argparse.Namespace, campaigns: int
) -> dict[str, dict[str, Any]]:
    port = _free_port()
    env = {**os.environ, "MOISSON_REGISTER_DATABASE_URL": url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "moisson.registry.app:create_app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.5)  # let every worker finish starting
        results = {}
        for kind in ("domain", "identifier"):
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                json.dump(_paths(kind, campaigns), fh)
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--client",
                    "--port",
                    str(port),
                    "--paths",
                    fh.name,
                    "--seconds",
                    str(args.seconds),
                    "--connections",
                    str(args.connections),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            os.unlink(fh.name)
            results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="10k campaigns, 100k objections, 4 s runs"
    )
    parser.add_argument("--postgres-url", help="Also run against this (empty) PostgreSQL database")
    parser.add_argument("--campaigns", type=int)
    parser.add_argument("--objections", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return
    campaigns = args.campaigns or (10_000 if args.quick else 100_000)
    objections = args.objections or (100_000 if args.quick else 1_000_000)
    args.seconds = args.seconds or (4.0 if args.quick else 10.0)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(f"# register load test: {campaigns:,} campaigns, {objections:,} objections")
    print(f"# nproc={os.cpu_count()} cpu={cpu!r} python={platform.python_version()}")
    print(
        f"# server: uvicorn --workers {args.workers} (uvloop, httptools); client: 1 process, {args.connections} keep-alive connections, {args.seconds:g} s per lookup"
    )
    backends: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        backends.append(("SQLite", f"sqlite:///{Path(tmp) / 'register.sqlite'}"))
        if args.postgres_url:
            backends.append(("PostgreSQL", args.postgres_url))
        rows = []
        for name, url in backends:
            seconds = build(url, campaigns, objections)
            print(f"# {name}: built in {seconds:.1f} s")
            for kind, result in serve_and_measure(url, args, campaigns).items():
                rows.append((name, kind, result))
    print()
    print("| database | lookup | requests/s | p50 ms | p99 ms | max ms | requests | non-200 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, kind, r in rows:
        label = "domain search" if kind == "domain" else "identifier prefix"
        print(
            f"| {name} | {label} | {r['rps']:,} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['requests']:,} | {r['errors']} |"
        )
    goal = all(r["rps"] >= 1000 and r["p99_ms"] < 50 for n, _, r in rows if n == "SQLite")
    print(f"\ngoal (SQLite: >= 1,000 lookups/s at p99 < 50 ms): {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
