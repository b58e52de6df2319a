"""``moisson rights ...``: find a person, handle requests, filter outputs (RGT-02..RGT-07)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from moisson.errors import RightsError
from moisson.workspace import Workspace

__all__ = ("app", "request_app")

app = typer.Typer(
    help="Rights of the people in the data: find, requests, output filter.", no_args_is_help=True
)
request_app = typer.Typer(
    help="Rights requests with their legal deadlines (art. 12 GDPR).", no_args_is_help=True
)
app.add_typer(request_app, name="request")
console = Console()

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: nearest moisson.toml, or $MOISSON_WORKSPACE)",
    ),
]
Emails = Annotated[list[str] | None, typer.Option("--email", help="Email address (repeatable)")]
Phones = Annotated[list[str] | None, typer.Option("--phone", help="Phone number (repeatable)")]
Names = Annotated[list[str] | None, typer.Option("--name", help="Full name (repeatable)")]
Idents = Annotated[
    list[str] | None,
    typer.Option("--identifier", help="Pseudonym or profile URL (repeatable; scans the text)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _supplied(
    emails: list[str] | None,
    phones: list[str] | None,
    names: list[str] | None,
    idents: list[str] | None,
) -> Any:
    from moisson.rights.identifiers import SuppliedIdentifiers

    return SuppliedIdentifiers(
        emails=list(emails or []),
        phones=list(phones or []),
        names=list(names or []),
        identifiers=list(idents or []),
    )


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@app.command("find")
def _find_cmd(
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset name")],
    version: Annotated[
        int | None, typer.Option("--version", "-v", help="Version (default: all)")
    ] = None,
    email: Emails = None,
    phone: Phones = None,
    name: Names = None,
    identifier: Idents = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Documents and model versions that mention a person (RGT-02); says when it cannot identify."""
    from moisson.rights.find import find_person
    from moisson.rights.identifiers import hash_identifiers

    ws = Workspace.open(workspace)
    supplied = _supplied(email, phone, name, identifier)
    hashed, unusable = hash_identifiers(ws, supplied)
    result = find_person(
        ws, dataset, hashed, version=version, free_text=supplied.free_text(), unusable=unusable
    )
    del supplied  # clear values are not kept past the lookup
    from moisson.ledger import Ledger

    with Ledger.open(ws) as ledger:  # who searched for whom, by types only (RGT-07)
        ledger.append_audit(
            "rights.find",
            subject=f"dataset:{dataset}",
            details={
                "version": version,
                "identifier_types": sorted({h.label for h in hashed}),
                "status": result.status,
                "documents": len(result.documents),
            },
        )
    if as_json:
        _print_json(result.to_json())
        return
    console.print(f"[bold]{result.status}[/]: {result.explanation}")
    if result.would_help:
        console.print("would help: " + ", ".join(result.would_help))
    table = Table("version", "doc_id", "source", "matches")
    for doc in result.documents:
        table.add_row(
            str(doc.dataset_version),
            doc.doc_id,
            doc.url or doc.source_id or "",
            ", ".join(f"{m.type}@{m.start}" for m in doc.matches),
        )
    if result.documents:
        console.print(table)
    for model in result.models:
        console.print(
            f"model {model['name']} (#{model['model_id']}): audit {model['audit_status']}"
        )


@app.command("index")
def _index_cmd(
    dataset: Annotated[str, typer.Option("--dataset", "-d")],
    version: Annotated[int | None, typer.Option("--version", "-v", help="Default: latest")] = None,
    buckets: Annotated[int, typer.Option("--buckets", help="Hash buckets (files)")] = 256,
    workspace: WorkspaceOpt = None,
) -> None:
    """(Re)build the person index of a dataset version from its pii attribute rows."""
    from moisson.persons.index import build_person_index
    from moisson.store import DatasetStore

    ws = Workspace.open(workspace)
    number = version if version is not None else DatasetStore(ws).latest(dataset).version
    manifest = build_person_index(ws, dataset, number, buckets=buckets)
    console.print(
        f"person index of {dataset} v{number}: {manifest.rows} rows in {manifest.buckets} buckets"
    )


def _show(view: Any, as_json: bool) -> None:
    if as_json:
        _print_json(view.to_json())
        return
    deadline = view.deadline.date().isoformat()
    console.print(f"request {view.id}: {view.kind}, {view.status}, due {deadline}")
    if view.reply:
        console.print(view.reply)


@request_app.command("new")
def _request_new(
    kind: Annotated[
        str, typer.Argument(help="access | erasure | rectification | objection | restriction")
    ],
    dataset: Annotated[
        str | None, typer.Option("--dataset", "-d", help="Default: every dataset")
    ] = None,
    email: Emails = None,
    phone: Phones = None,
    name: Names = None,
    identifier: Idents = None,
    received_at: Annotated[
        str | None, typer.Option("--received-at", help="ISO date-time with offset (default: now)")
    ] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a request: its identifiers as keyed hashes, its due date (one calendar month)."""
    from moisson.rights.requests import RequestDesk

    received = None
    if received_at is not None:
        try:
            received = datetime.fromisoformat(received_at)
        except ValueError:
            msg = f"'{received_at}' is not an ISO date-time"
            raise typer.BadParameter(msg, param_hint="--received-at") from None
    view = RequestDesk(Workspace.open(workspace)).new(
        kind, _supplied(email, phone, name, identifier), dataset=dataset, received_at=received
    )
    _show(view, as_json)


@request_app.command("list")
def _request_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only open requests")] = False,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Requests, overdue first."""
    from datetime import UTC

    from moisson.rights.requests import RequestDesk

    now = datetime.now(UTC)
    views = RequestDesk(Workspace.open(workspace)).list_requests(
        now=now, include_closed=not open_only
    )
    if as_json:
        _print_json([v.to_json(now) for v in views])
        return
    table = Table("id", "kind", "status", "deadline", "overdue")
    for v in views:
        table.add_row(
            str(v.id),
            v.kind,
            v.status,
            v.deadline.date().isoformat(),
            "yes" if v.is_overdue(now) else "",
        )
    console.print(table)


@request_app.command("show")
def _request_show(
    request_id: int, as_json: JsonOpt = False, workspace: WorkspaceOpt = None
) -> None:
    """One request, its deadline, outcome and reply."""
    from moisson.rights.requests import RequestDesk

    _show(RequestDesk(Workspace.open(workspace)).show(request_id), as_json)


@request_app.command("verify")
def _request_verify(
    request_id: int,
    method: Annotated[str, typer.Option("--method", help="How identity was checked")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Record the identity verification step (art. 12(6))."""
    from moisson.rights.requests import RequestDesk

    _show(RequestDesk(Workspace.open(workspace)).verify(request_id, method=method), False)


@request_app.command("extend")
def _request_extend(
    request_id: int,
    reason: Annotated[str, typer.Option("--reason", help="Reason sent to the person")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Extend by two months, with a reason, within the first month (art. 12(3))."""
    from moisson.rights.requests import RequestDesk

    _show(RequestDesk(Workspace.open(workspace)).extend(request_id, reason=reason), False)


@request_app.command("refuse")
def _request_refuse(
    request_id: int,
    basis: Annotated[
        str,
        typer.Option(
            "--basis", help="art12-5-unfounded | art12-5-excessive | art11-cannot-identify | ..."
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Reason given to the person")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Refuse with a legal basis and a reason (art. 12(4), 12(5), 11)."""
    from moisson.rights.requests import RequestDesk

    _show(
        RequestDesk(Workspace.open(workspace)).refuse(request_id, basis=basis, reason=reason), False
    )


@request_app.command("close")
def _request_close(
    request_id: int, as_json: JsonOpt = False, workspace: WorkspaceOpt = None
) -> None:
    """Carry out a verified request (access copy, erasure...) and record the reply."""
    from moisson.rights.requests import RequestDesk

    _show(RequestDesk(Workspace.open(workspace)).close(request_id), as_json)


@app.command("filter")
def _filter_cmd(
    mode: Annotated[str, typer.Option("--mode", help="mask | block")] = "mask",
    workspace: WorkspaceOpt = None,
) -> None:
    """Filter text from stdin against the suppression list (RGT-06); exit 1 when it blocks."""
    from moisson.rights.output_filter import OutputFilter

    if mode not in ("mask", "block"):
        msg = "must be mask or block"
        raise typer.BadParameter(msg, param_hint="--mode")
    filt = OutputFilter.from_workspace(
        Workspace.open(workspace), mode="block" if mode == "block" else "mask"
    )
    result = filt.check(sys.stdin.read())
    sys.stdout.write(result.text)
    if result.blocked:
        raise typer.Exit(1)


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the {what}: {exc}"
        raise RightsError(msg) from None


@app.command("report")
def _report_cmd(
    model: Annotated[str, typer.Option("--model", help="Model name and version")],
    prompt_file: Annotated[Path, typer.Option("--prompt-file", help="File holding the prompt")],
    output_file: Annotated[Path, typer.Option("--output-file", help="File holding the output")],
    request: Annotated[int | None, typer.Option("--request", help="Related request id")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Store a regurgitation report (prompt and output sealed; RGT-06)."""
    from moisson.rights.regurgitation import report_regurgitation

    ws = Workspace.open(workspace)
    report = report_regurgitation(
        ws,
        model=model,
        prompt=_read(prompt_file, "prompt"),
        output=_read(output_file, "output"),
        request_id=request,
    )
    console.print(
        f"regurgitation report {report.id} stored (identifier types: {', '.join(report.identifier_types) or 'none'})"
    )


app.command("report-regurgitation", hidden=True)(_report_cmd)


@app.command("replay")
def _replay_cmd(report_id: int, as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """Run today's output filter on a reported output."""
    from moisson.rights.regurgitation import replay

    result = replay(Workspace.open(workspace), report_id)
    if as_json:
        _print_json(result.to_json())
        return
    verdict = "caught" if result.reported_output_blocked else "NOT caught"
    console.print(
        f"report {report_id}: {result.reported_output_matches} suppressed identifier(s); {verdict} by the filter"
    )
