"""One unit of pipeline work: read one source file, run the steps, stage one shard.

A task is a plain picklable function call, so the local process pool and Ray run it unchanged.
It writes its outputs under the run folder and, last of all, a completion marker: a relaunch
after a crash (even ``kill -9``) redoes exactly the tasks without a marker, and a task's outputs
only count once its marker exists, so nothing is lost or duplicated.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from moisson.errors import RecordError
from moisson.pipeline.step import Step, TaskContext
from moisson.store.shards import write_attribute_file, write_shard_file

__all__ = ("TaskResult", "TaskSpec", "process_task")

OnError = Literal["skip", "stop"]


@dataclass(frozen=True)
class TaskSpec:
    task_id: str
    source: str
    format: str | None
    run_dir: str
    workspace_root: str
    dataset: str
    steps: list[Step]
    on_error: OnError = "stop"
    reader_options: dict[str, Any] = field(default_factory=dict)

    @property
    def marker(self) -> Path:
        return Path(self.run_dir) / "tasks" / f"{self.task_id}.done"


@dataclass(frozen=True)
class TaskResult:
    task_id: str
    shard: str
    attributes: dict[str, str]
    stats: dict[str, int]
    error: str | None = None


class _Quarantine:
    """Skipped records, kept with their location and reason, never silently lost."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0

    def __call__(self, err: RecordError) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry: dict[str, str | None] = {
            "file": err.path,
            "location": err.location,
            "reason": err.reason,
        }
        raw = (err.raw or b"")[:1_000_000]
        try:
            entry["raw"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            # The bytes exactly, so the record can be repaired and read again: decoding with
            # "replace" lost them and escaped every U+FFFD into six characters.
            entry["raw_base64"] = base64.b64encode(raw).decode("ascii")
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.count += 1


def process_task(spec: TaskSpec, secret: bytes) -> TaskResult:
    """Run one task; return its result (also written in its completion marker)."""
    from moisson.pipeline.build import run_steps
    from moisson.sources import open_reader

    run_dir = Path(spec.run_dir)
    out_dir = run_dir / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = TaskContext(
        task_id=spec.task_id,
        workspace_root=Path(spec.workspace_root),
        secret=secret,
        dataset=spec.dataset,
    )
    quarantine_path = run_dir / "quarantine" / f"{spec.task_id}.jsonl"
    quarantine_path.unlink(missing_ok=True)  # a redone task rewrites its quarantine
    quarantine = _Quarantine(quarantine_path)

    def on_error(err: RecordError) -> None:
        if spec.on_error == "stop":
            raise err
        quarantine(err)

    for step in spec.steps:
        step.setup(ctx)
    reader = open_reader(Path(spec.source), spec.format, **spec.reader_options)
    counted = _Counting(reader.read(on_error), ctx.stats)
    shard = out_dir / f"{spec.task_id}.parquet"
    count, nbytes, _ids = write_shard_file(
        shard, _Domains(run_steps(spec.steps, counted, ctx), ctx.stats)
    )
    attributes: dict[str, str] = {}
    for name, rows in ctx.attributes.rows.items():
        apath = out_dir / f"{spec.task_id}.{name}.parquet"
        write_attribute_file(apath, rows)
        attributes[name] = str(apath)
    stats: Counter[str] = Counter(ctx.stats)
    stats.update(getattr(reader, "stats", Counter()))
    stats["docs/out"] += count
    stats["bytes/out"] += nbytes
    if quarantine.count:
        stats["errors/quarantined"] += quarantine.count
    result = TaskResult(spec.task_id, str(shard), attributes, dict(stats))
    _write_marker(spec.marker, result)
    return result


class _Counting:
    def __init__(self, docs: Any, stats: Counter[str]) -> None:
        self._docs = docs
        self._stats = stats

    def __iter__(self) -> Any:
        for doc in self._docs:
            self._stats["docs/in"] += 1
            yield doc


class _Domains:
    """Per-domain document and byte counters of what is kept (SCR-12, AI Act summary)."""

    def __init__(self, docs: Any, stats: Counter[str]) -> None:
        self._docs = docs
        self._stats = stats

    def __iter__(self) -> Any:
        for doc in self._docs:
            domain = doc.domain or "(none)"
            self._stats[f"domain_docs/{domain}"] += 1
            self._stats[f"domain_bytes/{domain}"] += len(doc.text.encode("utf-8", "surrogatepass"))
            yield doc


def _write_marker(marker: Path, result: TaskResult) -> None:
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(
        json.dumps(
            {
                "task_id": result.task_id,
                "shard": result.shard,
                "attributes": result.attributes,
                "stats": result.stats,
            }
        ),
        encoding="utf-8",
    )
    os.replace(tmp, marker)


def read_marker(marker: Path) -> TaskResult | None:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return TaskResult(data["task_id"], data["shard"], data["attributes"], data["stats"])
