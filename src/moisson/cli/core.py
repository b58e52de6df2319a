"""Core commands: ``init``, ``ingest``, ``dataset ...``, ``ledger ...``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from moisson.errors import TamperedLedgerError
from moisson.workspace import Workspace

__all__ = ("dataset_app", "ledger_app", "register")

console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: nearest moisson.toml, or $MOISSON_WORKSPACE)",
    ),
]


def _open(path: Path | None) -> Workspace:
    return Workspace.open(path)


def init(directory: Annotated[Path, typer.Argument(help="Folder to create")] = Path(".")) -> None:
    """Create a workspace: policy file, secret (0600), ledger and data folders."""
    ws = Workspace.init(directory)
    console.print(
        f"workspace created in [bold]{ws.root}[/]; edit {ws.policy_path.name} to declare the collection (SCR-01)"
    )


def ingest_cmd(
    sources: Annotated[list[Path], typer.Argument(help="Files or folders to read")],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset name")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="jsonl | parquet | warc | hf (default: from the file)"),
    ] = None,
    on_error: Annotated[
        str, typer.Option("--on-error", help="skip (quarantine bad records) | stop")
    ] = "stop",
    executor: Annotated[
        str | None, typer.Option("--executor", help="local | ray (default: ray if RAY_ADDRESS)")
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Local worker processes")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Read sources through the opt-out gate and PII minimisation into a new dataset version."""
    from moisson.pipeline import choose_executor, ingest

    if on_error not in ("skip", "stop"):
        msg = "must be 'skip' or 'stop'"
        raise typer.BadParameter(msg, param_hint="--on-error")
    if fmt not in (None, "jsonl", "parquet", "warc", "hf"):
        msg = "must be jsonl, parquet, warc or hf"
        raise typer.BadParameter(msg, param_hint="--format")
    if executor not in (None, "local", "ray"):
        msg = "must be local or ray"
        raise typer.BadParameter(msg, param_hint="--executor")
    ws = _open(workspace)
    result = ingest(
        ws,
        sources,
        dataset=dataset,
        fmt=fmt,
        on_error="skip" if on_error == "skip" else "stop",
        executor=choose_executor(
            "ray" if executor == "ray" else ("local" if executor == "local" else None), workers
        ),
        console=err,
    )
    table = Table(title=f"{dataset} v{result.version.version} (run {result.run_id})")
    table.add_column("counter")
    table.add_column("value", justify="right")
    from moisson.pipeline.ingestion import summary_rows

    for key, value in summary_rows(result.stats):
        table.add_row(key, f"{value:,}")
    if result.resumed_tasks:
        table.add_row("tasks resumed from a previous run", str(result.resumed_tasks))
    err.print(table)


dataset_app = typer.Typer(help="Inspect and export dataset versions.", no_args_is_help=True)


@dataset_app.command("list")
def dataset_list(
    as_json: Annotated[bool, typer.Option("--json")] = False, workspace: WorkspaceOpt = None
) -> None:
    """List datasets and their versions."""
    from moisson.store import DatasetStore

    store = DatasetStore(_open(workspace))
    rows: list[dict[str, Any]] = [
        {
            "name": v.name,
            "version": v.version,
            "documents": v.document_count,
            "reason": v.reason,
            "created_at": v.created_at.isoformat(),
        }
        for name in store.datasets()
        for v in store.versions(name)
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("dataset", "version", "documents", "created", "reason")
    for r in rows:
        table.add_row(
            r["name"], str(r["version"]), f"{r['documents']:,}", r["created_at"][:19], r["reason"]
        )
    console.print(table)


@dataset_app.command("show")
def dataset_show(
    name: str,
    version: Annotated[int | None, typer.Option("--version", "-v")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show one version's manifest."""
    from moisson.store import DatasetStore

    store = DatasetStore(_open(workspace))
    v = store.get(name, version)
    deletions = store.deletion_log_path(v.name, v.version)
    data = {
        "name": v.name,
        "version": v.version,
        "parent": v.parent,
        "reason": v.reason,
        "documents": v.document_count,
        "bytes": v.bytes,
        "content_hash": v.content_hash,
        "created_at": v.created_at.isoformat(),
        "run_id": v.run_id,
        "released_at": v.released_at.isoformat() if v.released_at else None,
        # SCR-03: documents left out of the parent, by content hash, rule and time
        "deletions": len(store.deletions(v.name, v.version)),
        "deletion_log": str(deletions) if deletions.is_file() else None,
        "shards": [
            {"hash": s.hash, "documents": s.documents, "attributes": list(s.attributes)}
            for s in v.shard_info
        ],
    }
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        for key, value in data.items():
            if key != "shards":
                console.print(f"[bold]{key}[/]: {value}")
        console.print(f"[bold]shards[/]: {len(v.shards)}")


@dataset_app.command("diff")
def dataset_diff(
    name: str,
    a: Annotated[int, typer.Argument(help="Old version")],
    b: Annotated[int, typer.Argument(help="New version")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Documents added, removed and changed between two versions (by doc_id)."""
    from moisson.store import DatasetStore

    store = DatasetStore(_open(workspace))
    old = {d.doc_id: d.content_hash for d in store.iter_documents(name, a)}
    new = {d.doc_id: d.content_hash for d in store.iter_documents(name, b)}
    diff = {
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "changed": sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
    }
    if as_json:
        print(json.dumps(diff, indent=2))
    else:
        for key, ids in diff.items():
            console.print(f"[bold]{key}[/]: {len(ids)}")


@dataset_app.command("export")
def dataset_export(
    name: str,
    version: Annotated[int | None, typer.Option("--version", "-v")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout)")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export a version, one JSON document per line (doc_id, source_id, url, text)."""
    if fmt != "jsonl":
        msg = "only jsonl is supported"
        raise typer.BadParameter(msg, param_hint="--format")
    from moisson.store import DatasetStore

    store = DatasetStore(_open(workspace))
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for doc in store.iter_documents(name, version):
            out.write(
                json.dumps(
                    {
                        "doc_id": doc.doc_id,
                        "source_id": doc.source_id,
                        "url": doc.url,
                        "lang": doc.lang,
                        "text": doc.text,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    finally:
        if output:
            out.close()


@dataset_app.command("release")
def dataset_release(
    name: str,
    version: Annotated[int | None, typer.Option("--version", "-v")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Release a version for training once its objection window has passed (SCR-08b)."""
    from moisson.pipeline.release import release_version

    result = release_version(_open(workspace), name, version=version)
    console.print(
        f"released {name} v{result.released.version} ({result.released.document_count:,} documents); "
        f"removed for domain objections: {result.removed_by_domain}, for people's objections: "
        f"{result.removed_by_person}"
    )


ledger_app = typer.Typer(
    help="The ledger: runs, versions, hash-chained audit log.", no_args_is_help=True
)


@ledger_app.command("verify")
def ledger_verify(workspace: WorkspaceOpt = None) -> None:
    """Verify the audit log's hash chain; exit 1 and name the first bad entry if tampered."""
    from moisson.ledger import Ledger

    with Ledger.open(_open(workspace)) as ledger:
        try:
            count = ledger.verify()
        except TamperedLedgerError as exc:
            err.print(f"[bold red]TAMPERED[/]: {escape(str(exc))}")  # text from the database
            raise typer.Exit(1) from None
        console.print(f"audit log intact: {count} entries, head {ledger.head_hash()[:16]}")


@ledger_app.command("log")
def ledger_log(
    limit: Annotated[int, typer.Option("--limit", "-n")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show the last entries of the audit log."""
    from moisson.ledger import Ledger

    with Ledger.open(_open(workspace)) as ledger:
        entries = ledger.audit_entries()[-limit:]
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "details": e.details,
            "hash": e.hash,
        }
        for e in entries
    ]
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return
    table = Table("id", "at", "action", "subject", "hash")
    for r in rows:
        table.add_row(str(r["id"]), r["at"][:19], r["action"], r["subject"], r["hash"][:12])
    console.print(table)


@ledger_app.command("runs")
def ledger_runs(
    as_json: Annotated[bool, typer.Option("--json")] = False, workspace: WorkspaceOpt = None
) -> None:
    """List pipeline runs with the policy hash they ran under (SCR-01)."""
    from moisson.ledger import Ledger

    with Ledger.open(_open(workspace)) as ledger:
        runs = ledger.runs()
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "kind": r.kind,
            "status": r.status,
            "policy_hash": r.policy_hash,
            "started_at": r.started_at.isoformat(),
            "docs_out": r.stats.get("docs/out"),
        }
        for r in runs
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("id", "kind", "status", "policy", "started", "docs out")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["kind"],
            r["status"],
            r["policy_hash"][:12],
            r["started_at"][:19],
            str(r["docs_out"]),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("ingest")(ingest_cmd)
    app.add_typer(dataset_app, name="dataset")
    app.add_typer(ledger_app, name="ledger")
