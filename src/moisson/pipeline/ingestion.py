"""``ingest``: read sources through the collection steps into a new dataset version.

The run is keyed by its inputs and policy: running the same command again after a crash resumes
the unfinished run (tasks with a completion marker are not redone) instead of starting over.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from moisson.errors import InputError
from moisson.ledger.models import SourceRow
from moisson.pipeline.build import collection_steps
from moisson.pipeline.executors import Executor, LocalExecutor
from moisson.pipeline.step import Step
from moisson.pipeline.tasks import OnError, TaskResult, TaskSpec, read_marker
from moisson.store import DatasetStore, DatasetVersion, StagedShard
from moisson.workspace import Workspace

__all__ = ("IngestResult", "index_person_data", "ingest")


@dataclass(frozen=True)
class IngestResult:
    run_id: int
    version: DatasetVersion
    stats: dict[str, int]
    resumed_tasks: int


def _run_key(
    dataset: str, sources: list[Path], fmt: str | None, policy_hash: str, on_error: str
) -> str:
    parts = [dataset, fmt or "", policy_hash, on_error]
    for src in sources:
        st = src.stat()
        parts.append(f"{src}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def ingest(
    workspace: Workspace,
    sources: list[Path],
    *,
    dataset: str,
    fmt: str | None = None,
    on_error: OnError = "stop",
    executor: Executor | None = None,
    steps: list[Step] | None = None,
    console: Console | None = None,
    reason: str | None = None,
) -> IngestResult:
    """Ingest ``sources`` into a new version of ``dataset`` (resuming an interrupted run)."""
    console = console or Console(stderr=True)
    sources = [p.resolve() for p in sources]
    for src in sources:
        if not src.exists():
            msg = f"{src}: no such file or folder"
            raise InputError(msg, path=str(src))
    store = DatasetStore(workspace)
    ledger = store.ledger
    policy_hash = workspace.policy.policy_hash()
    key = _run_key(dataset, sources, fmt, policy_hash, on_error)
    run_dir = workspace.root / "runs" / key
    run_id = ledger.find_unfinished_run(key)
    if run_id is None:
        shutil.rmtree(run_dir, ignore_errors=True)
        run_id = ledger.start_run(
            "ingest",
            policy_hash=policy_hash,
            params={
                "dataset": dataset,
                "sources": [str(s) for s in sources],
                "format": fmt,
                "on_error": on_error,
            },
            run_key=key,
        )
    steps = steps if steps is not None else collection_steps(workspace)
    tasks = [
        TaskSpec(
            task_id=f"{i:05d}-{hashlib.sha256(str(src).encode()).hexdigest()[:12]}",
            source=str(src),
            format=fmt,
            run_dir=str(run_dir),
            workspace_root=str(workspace.root),
            dataset=dataset,
            steps=steps,
            on_error=on_error,
        )
        for i, src in enumerate(sources)
    ]
    done: dict[str, TaskResult] = {}
    for task in tasks:
        result = read_marker(task.marker)
        if result is not None and Path(result.shard).exists():
            done[task.task_id] = result
    resumed = len(done)
    pending = [t for t in tasks if t.task_id not in done]
    executor = executor or LocalExecutor()
    with Progress(
        TextColumn("[bold]ingest[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[docs]} docs"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        bar = progress.add_task(dataset, total=len(tasks), completed=resumed, docs=0)
        kept = 0

        def on_done(result: TaskResult) -> None:
            nonlocal kept
            done[result.task_id] = result
            kept += result.stats.get("docs/out", 0)
            progress.update(bar, advance=1, docs=kept)

        try:
            executor.run(pending, workspace.secret, on_done)
        except Exception:
            ledger.finish_run(run_id, status="failed", stats=_merge(done.values()))
            raise
    ordered = [done[t.task_id] for t in tasks]
    stats = _merge(ordered)
    version = _commit_once(
        store, dataset, ordered, run_id, reason or f"ingest of {len(sources)} source(s)"
    )
    index_person_data(workspace, version)
    _record_sources(store, run_id, tasks, ordered, fmt)
    _publish_quarantine(workspace, run_dir, run_id)
    ledger.finish_run(run_id, status="completed", stats=stats)
    shutil.rmtree(run_dir, ignore_errors=True)
    return IngestResult(run_id, version, stats, resumed)


def index_person_data(workspace: Workspace, version: DatasetVersion) -> None:
    """Build the person index of a new version (RGT-02), when the rights pillar is installed."""
    if not any("pii" in info.attributes for info in version.shard_info):
        return
    try:
        from moisson.persons.index import build_person_index
    except ImportError:
        return
    build_person_index(workspace, version.name, version.version)


def _merge(results: Iterable[TaskResult]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for r in results:
        total.update(r.stats)
    return dict(sorted(total.items()))


def _commit_once(
    store: DatasetStore, dataset: str, results: list[TaskResult], run_id: int, reason: str
) -> DatasetVersion:
    """Commit the run's shards unless a crash after the commit already did."""
    for version in reversed(store.versions(dataset)):
        if version.run_id == run_id:
            return version
    staged = [
        StagedShard(Path(r.shard), {k: Path(v) for k, v in r.attributes.items()}) for r in results
    ]
    return store.commit_staged(dataset, staged, reason=reason, run_id=run_id)


def _record_sources(
    store: DatasetStore,
    run_id: int,
    tasks: list[TaskSpec],
    results: list[TaskResult],
    fmt: str | None,
) -> None:
    with store.ledger.session() as s:
        for task, result in zip(tasks, results, strict=True):
            src = Path(task.source)
            s.add(
                SourceRow(
                    run_id=run_id,
                    uri=str(src),
                    format=fmt or src.suffix.lstrip(".") or "folder",
                    size_bytes=src.stat().st_size if src.is_file() else None,
                    documents=result.stats.get("docs/out", 0),
                    errors=result.stats.get("errors/quarantined", 0),
                )
            )


def _publish_quarantine(workspace: Workspace, run_dir: Path, run_id: int) -> None:
    folder = run_dir / "quarantine"
    if not folder.exists():
        return
    parts = [p for p in sorted(folder.glob("*.jsonl")) if p.stat().st_size]
    if not parts:
        return
    dest = workspace.root / "quarantine" / f"run-{run_id}.jsonl"
    with dest.open("wb") as out:  # copied, not loaded: a run may quarantine gigabytes
        for path in parts:
            with path.open("rb") as part:
                shutil.copyfileobj(part, out)


def summary_rows(stats: dict[str, int]) -> list[tuple[str, int]]:
    """The headline counters of a run, for the console summary."""
    keys = ["docs/in", "docs/out", "bytes/out", "dropped", "errors/quarantined"]
    rows = [(k, stats[k]) for k in keys if k in stats]
    rows += [(k, v) for k, v in stats.items() if k.startswith("dropped/")]
    return rows
