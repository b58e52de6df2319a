"""Benchmark of the rights pillar: person index build and lookup, erasure, output filter.

Usage::

    .venv/bin/python bench/rights.py --docs 10000000      # the issue's size
    .venv/bin/python bench/rights.py --quick              # 200,000 documents

The corpus is generated directly as dataset shards plus ``pii`` attribute rows (two
identifier mentions a document, one person per ten documents), with vectorised pyarrow and
numpy: this measures the index, not PII detection. Lookups run in a fresh process (its start
is excluded) and are compared with what one does without an index: a scan of every ``pii``
attribute file. The output filter is compared with scrubadub on the same text.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import hmac
import importlib
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from moisson.ledger import Ledger
from moisson.persons.index import PersonIndex, build_person_index, index_dir
from moisson.rights.identifiers import SuppliedIdentifiers, hash_identifiers
from moisson.rights.output_filter import OutputFilter
from moisson.rights.requests import RequestDesk
from moisson.rights.suppression import SuppressionList
from moisson.store import DOCUMENT_SCHEMA, DatasetStore, StagedShard
from moisson.workspace import Workspace

SHARD_DOCS = 50_000
LABELS = ("EMAIL", "PHONE", "PERSON")


def person_values(i: int) -> tuple[str, str, str]:
    """Canonical email, phone (E.164) and name of synthetic person ``i``."""
    return (f"p{i}@bench.example", f"+3361{i:07d}", f"nom{i} prenom{i}")


def person_pool(secret: bytes, persons: int) -> pa.Array:
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    out = []
    for i in range(persons):
        for value in person_values(i):
            m = mac.copy()
            m.update(f"person\x00{value}".encode())
            out.append(m.hexdigest())
    return pa.array(out, pa.string())


def generate(ws: Workspace, docs: int, persons: int, seed: int) -> float:
    """Write ``docs`` documents and their pii rows as one dataset version; return seconds."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    pool = person_pool(ws.secret, persons)
    store = DatasetStore(ws)
    staging = Path(tempfile.mkdtemp(dir=store.staging_dir()))
    staged = []
    for shard_no, lo in enumerate(range(0, docs, SHARD_DOCS)):
        n = min(SHARD_DOCS, docs - lo)
        ids = [os.urandom(16).hex() for _ in range(n)]
        texts = [
            f"Compte rendu n° {lo + i}. Contact : [EMAIL] ou [PHONE], signé [PERSON]."
            for i in range(n)
        ]
        hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        table = pa.table(
            {
                "doc_id": pa.array(ids, pa.string()),
                "source_id": pa.array([f"bench-{lo + i}" for i in range(n)], pa.string()),
                "url": pa.nulls(n, pa.string()),
                "domain": pa.nulls(n, pa.string()),
                "fetched_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
                "lang": pa.array(["fr"] * n, pa.string()),
                "text": pa.array(texts, pa.string()),
                "content_hash": pa.array(hashes, pa.string()),
            }
        )
        for field in DOCUMENT_SCHEMA:
            if field.name not in table.column_names:
                table = table.append_column(field, pa.nulls(n, field.type))
        path = staging / f"part-{shard_no:05d}.parquet"
        pq.write_table(
            table.select(DOCUMENT_SCHEMA.names).cast(DOCUMENT_SCHEMA), path, compression="zstd"
        )
        # two mentions a document: a random person, a random identifier type
        doc_idx = np.repeat(np.arange(n), 2)
        who = rng.integers(0, persons, size=2 * n)
        label = rng.integers(0, 3, size=2 * n)
        starts = np.where(label == 0, 30, np.where(label == 1, 42, 62)).astype(np.int64)
        rows = pa.table(
            {
                "doc_id": pa.array(ids, pa.string()).take(pa.array(doc_idx)),
                "label": pa.array(LABELS, pa.string()).take(pa.array(label)),
                "start": pa.array(starts),
                "end": pa.array(starts + 7),
                "action": pa.array(["pseudonymise"] * (2 * n), pa.string()),
                "key_hash": pool.take(pa.array(who * 3 + label)),
                "detector": pa.array(["bench_v1"] * (2 * n), pa.string()),
            }
        )
        apath = staging / f"part-{shard_no:05d}.pii.parquet"
        pq.write_table(rows, apath, compression="zstd")
        staged.append(StagedShard(path, {"pii": apath}))
    store.commit_staged("bench", staged, reason="bench corpus")
    shutil.rmtree(staging, ignore_errors=True)
    return time.perf_counter() - start


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def lookup_worker(root: str, persons: int, count: int, seed: int) -> None:
    """Runs in a fresh process: ``count`` lookups of one person's three keys each."""
    ws = Workspace.open(Path(root))
    rng = random.Random(seed)
    times = []
    found = 0
    t0 = time.perf_counter()
    index = PersonIndex.open(ws, "bench", 1)
    open_s = time.perf_counter() - t0
    for _ in range(count):
        i = rng.randrange(persons)
        keys = [ws.keyed_hash(v, purpose="person") for v in person_values(i)]
        t = time.perf_counter()
        found += len(index.lookup(keys))
        times.append(time.perf_counter() - t)
    print(json.dumps({"times": times, "found": found, "open_s": open_s}))


def scan_lookup(ws: Workspace, keys: list[str]) -> tuple[float, int]:
    """What one does without an index: scan every pii attribute file for the keys."""
    files = sorted(str(p) for p in ws.path("attributes", "pii").glob("*.parquet"))
    t = time.perf_counter()
    dataset = ds.dataset(files, format="parquet")
    table = dataset.to_table(
        columns=["doc_id", "key_hash"], filter=pc.is_in(pc.field("key_hash"), pa.array(keys))
    )
    return time.perf_counter() - t, table.num_rows


def bench_filter(ws: Workspace, mb: float) -> dict[str, float]:
    """Output filter throughput (MB/s), streaming per-token latency, and scrubadub on the same text."""
    rng = random.Random(3)
    words = [
        "le",
        "la",
        "les",
        "un",
        "une",
        "de",
        "des",
        "et",
        "est",
        "dans",
        "pour",
        "avec",
        "sur",
        "par",
        "modèle",
        "réponse",
        "question",
        "données",
    ]
    parts = []
    size = 0
    i = 0
    while size < mb * 1_000_000:
        email, phone, name = person_values(rng.randrange(1000))
        first, last = name.split()
        sentence = " ".join(rng.choice(words) for _ in range(30))
        extra = rng.choice(
            [
                f" Écrivez à {email}.",
                f" Appelez le {phone}.",
                f" Signé {last.title()} {first.title()}.",
                "",
            ]
        )
        chunk = sentence.capitalize() + "." + extra + "\n"
        parts.append(chunk)
        size += len(chunk.encode())
        i += 1
    text = "".join(parts)
    filt = OutputFilter.from_workspace(ws)
    t = time.perf_counter()
    result = filt.check(text)
    check_s = time.perf_counter() - t
    sample = text[:200_000]
    tokens = [sample[j : j + 4] for j in range(0, len(sample), 4)]
    # Filter work per token: time between two pulls of the next token by the filter.
    pulls: list[float] = []

    def timed_tokens() -> Iterator[str]:
        for tok in tokens:
            pulls.append(time.perf_counter())
            yield tok
        pulls.append(time.perf_counter())

    for _ in filt.stream(timed_tokens()):
        pass
    per_token = np.diff(np.array(pulls))
    out = {
        "filter_mb": size / 1e6,
        "filter_mb_s": size / 1e6 / check_s,
        "filter_matches": len(result.matches),
        "stream_token_us_p50": float(np.percentile(per_token, 50)) * 1e6,
        "stream_token_us_p95": float(np.percentile(per_token, 95)) * 1e6,
    }
    try:
        scrubadub = importlib.import_module("scrubadub")  # the competitor, untyped
        scrubber = scrubadub.Scrubber(locale="fr_FR")
        small = text[: min(len(text), 1_000_000)]
        t = time.perf_counter()
        scrubber.clean(small)
        out["scrubadub_mb_s"] = len(small.encode()) / 1e6 / (time.perf_counter() - t)
    except Exception as exc:  # the competitor is optional; say why it did not run
        out["scrubadub_error"] = str(exc)[:80]  # type: ignore[assignment]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 documents")
    parser.add_argument("--buckets", type=int, default=256)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--filter-mb", type=float, default=5.0)
    parser.add_argument(
        "--profile-erasure", action="store_true", help="Time the erasure's parts (cProfile)"
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="Workspace folder (default: a temp dir)"
    )
    parser.add_argument(
        "--lookup-worker",
        nargs=4,
        metavar=("ROOT", "PERSONS", "COUNT", "SEED"),
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args()
    if args.lookup_worker:
        root, persons, count, seed = args.lookup_worker
        lookup_worker(root, int(persons), int(count), int(seed))
        return
    docs = 200_000 if args.quick else args.docs
    persons = max(100, docs // 10)
    base = args.dir or Path(tempfile.mkdtemp(prefix="moisson-bench-rights-"))
    ws = Workspace.init(base / "ws")
    res: dict[str, object] = {
        "docs": docs,
        "persons": persons,
        "buckets": args.buckets,
        "workers": args.workers,
    }
    print(f"generating {docs:,} documents ({persons:,} persons)...", file=sys.stderr)
    res["generate_s"] = generate(ws, docs, persons, seed=1)
    res["pii_rows"] = 2 * docs

    print("building the person index...", file=sys.stderr)
    t = time.perf_counter()
    with ProcessPoolExecutor(args.workers, mp_context=get_context("forkserver")) as pool:
        manifest = build_person_index(ws, "bench", 1, buckets=args.buckets, executor=pool)
    build_s = time.perf_counter() - t
    res.update(
        build_s=build_s,
        build_docs_s=docs / build_s,
        index_rows=manifest.rows,
        index_mb=folder_bytes(index_dir(ws, "bench", 1)) / 1e6,
        attributes_mb=folder_bytes(ws.path("attributes", "pii")) / 1e6,
    )

    print("lookups in a fresh process...", file=sys.stderr)
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--lookup-worker",
            str(ws.root),
            str(persons),
            str(args.lookups),
            "5",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    worker = json.loads(proc.stdout)
    times = worker["times"]
    res.update(
        lookup_ms_first=times[0] * 1e3,
        lookup_ms_p50=statistics.median(times) * 1e3,
        lookup_ms_p95=float(np.percentile(times, 95)) * 1e3,
        lookup_rows=worker["found"],
    )
    scans = []
    for i in range(3):
        keys = [ws.keyed_hash(v, purpose="person") for v in person_values(i)]
        secs, _rows = scan_lookup(ws, keys)
        scans.append(secs)
    res["scan_lookup_ms_median"] = statistics.median(scans) * 1e3

    print("erasure of one person...", file=sys.stderr)
    with Ledger.open(ws) as ledger:
        ledger.register_model(
            "bench-lm", path="models/bench", base_model=None, trained_on=[("bench", 1)]
        )
    email, phone, _name = person_values(7)
    profiler = cProfile.Profile() if args.profile_erasure else None
    t = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    desk = RequestDesk(ws)
    req = desk.new("erasure", SuppliedIdentifiers(emails=[email], phones=[phone]), dataset="bench")
    desk.verify(req.id, method="bench")
    closed = desk.close(req.id)
    res["erasure_s"] = time.perf_counter() - t
    if profiler is not None:
        profiler.disable()
        stats = pstats.Stats(profiler)
        for name in (
            "commit_staged",
            "_content_hash",
            "derive_affected_shards",
            "derive_person_index",
            "find_person",
        ):
            found = [v for k, v in stats.stats.items() if k[2] == name]  # type: ignore[attr-defined]
            if found:
                res[f"erasure_profile_{name}_s"] = found[0][3]
    (done,) = closed.outcome["datasets"]
    res["erasure_removed_docs"] = done["removed_documents"]
    res["erasure_new_version"] = done["new_version"]

    print("output filter...", file=sys.stderr)
    # suppress 100 people so the filter has work to do
    for i in range(100):
        e, p, n = person_values(i)
        hashed, _ = hash_identifiers(ws, SuppliedIdentifiers(emails=[e], phones=[p], names=[n]))
        SuppressionList(ws).add(hashed, request_id=None)
    res.update(bench_filter(ws, args.filter_mb))

    res["machine"] = f"{platform.processor() or platform.machine()}, nproc={os.cpu_count()}"
    res["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps(res, indent=2))
    rows = [
        (
            "index build",
            f"{res['build_docs_s']:,.0f} docs/s ({build_s:.1f} s, {manifest.rows:,} rows)",
        ),
        (
            "index size",
            f"{res['index_mb']:.1f} MB (pii attribute files: {res['attributes_mb']:.1f} MB)",
        ),
        (
            "lookup, moisson index",
            f"p50 {res['lookup_ms_p50']:.1f} ms, p95 {res['lookup_ms_p95']:.1f} ms, first {res['lookup_ms_first']:.1f} ms",
        ),
        ("lookup, scan of pii files", f"median {res['scan_lookup_ms_median']:.0f} ms"),
        (
            "erasure of one person",
            f"{res['erasure_s']:.1f} s -> v{res['erasure_new_version']}, {res['erasure_removed_docs']} docs removed",
        ),
        (
            "output filter",
            f"{res['filter_mb_s']:.1f} MB/s; stream p50 {res['stream_token_us_p50']:.1f} µs/token, p95 {res['stream_token_us_p95']:.1f} µs/token",
        ),
        ("scrubadub clean (same text)", f"{res.get('scrubadub_mb_s', float('nan')):.2f} MB/s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{docs:,} documents, {args.buckets} buckets, {args.workers} workers")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.dir is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
