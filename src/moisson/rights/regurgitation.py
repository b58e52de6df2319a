"""Regurgitation reports (RGT-06): a person shows a model output that quotes them.

The prompt and output are evidence, and may quote the person: they are sealed (AES-GCM, key
derived from the workspace secret) before they reach the ledger, next to the keyed hashes of
the identifiers they contain. :func:`replay` unseals them, runs today's output filter on the
reported output and, when given the model, generates again from the prompt and filters that.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moisson.errors import MissingDependencyError, RightsError
from moisson.ledger import Ledger
from moisson.ledger.models import aware
from moisson.rights.candidates import iter_candidates
from moisson.rights.output_filter import OutputFilter
from moisson.rights.tables import RegurgitationRow
from moisson.workspace import Workspace

__all__ = (
    "RegurgitationReport",
    "ReplayResult",
    "list_reports",
    "replay",
    "report_regurgitation",
    "seal",
    "unseal",
)


def _aesgcm(workspace: Workspace) -> Any:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:  # pragma: no cover - cryptography ships with the core dependencies' tree
        package = "cryptography"
        raise MissingDependencyError(package, "rights") from None
    key = hmac.new(workspace.secret, b"rights\x00regurgitation-seal", hashlib.sha256).digest()
    return AESGCM(key)


def seal(workspace: Workspace, text: str, *, context: bytes) -> bytes:
    nonce = os.urandom(12)
    sealed: bytes = nonce + _aesgcm(workspace).encrypt(nonce, text.encode("utf-8"), context)
    return sealed


def unseal(workspace: Workspace, blob: bytes, *, context: bytes) -> str:
    from cryptography.exceptions import InvalidTag

    try:
        plain: bytes = _aesgcm(workspace).decrypt(blob[:12], blob[12:], context)
    except InvalidTag:
        msg = "sealed regurgitation evidence does not open with this workspace's secret"
        raise RightsError(msg) from None
    return plain.decode("utf-8")


@dataclass(frozen=True)
class RegurgitationReport:
    id: int
    model: str
    reported_at: datetime
    generated_at: datetime | None
    identifier_types: list[str]
    request_id: int | None
    last_replay: dict[str, Any]


@dataclass(frozen=True)
class ReplayResult:
    report_id: int
    reported_output_blocked: bool
    reported_output_matches: int
    regenerated: bool
    regenerated_matches: int | None
    filtered_output: str

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data.pop("filtered_output")
        return data


def report_regurgitation(
    workspace: Workspace,
    *,
    model: str,
    prompt: str,
    output: str,
    generated_at: datetime | None = None,
    request_id: int | None = None,
) -> RegurgitationReport:
    """Store a report: sealed prompt and output, keyed hashes of the identifiers they hold."""
    if not output.strip():
        msg = "a regurgitation report needs the model output"
        raise RightsError(msg)
    found = [
        {"label": c.label, "key_hash": workspace.keyed_hash(c.canonical, purpose="person")}
        for c in iter_candidates(output)
    ]
    with Ledger.open(workspace) as ledger:
        with ledger.session() as s:
            row = RegurgitationRow(
                model=model,
                generated_at=generated_at,
                prompt_sealed=b"",
                output_sealed=b"",
                identifiers={"candidates": found},
                request_id=request_id,
                last_replay={},
            )
            s.add(row)
            s.flush()
            context = f"regurgitation:{row.id}".encode()
            row.prompt_sealed = seal(workspace, prompt, context=context + b":prompt")
            row.output_sealed = seal(workspace, output, context=context + b":output")
            report = _report(row)
        ledger.append_audit(
            "rights.regurgitation.report",
            subject=f"regurgitation:{report.id}",
            details={
                "model": model,
                "identifier_types": report.identifier_types,
                "request_id": request_id,
            },
        )
    return report


def _report(row: RegurgitationRow) -> RegurgitationReport:
    return RegurgitationReport(
        id=row.id,
        model=row.model,
        reported_at=aware(row.reported_at),
        generated_at=aware(row.generated_at) if row.generated_at else None,
        identifier_types=sorted(
            {c["label"] for c in (row.identifiers or {}).get("candidates", [])}
        ),
        request_id=row.request_id,
        last_replay=dict(row.last_replay or {}),
    )


def list_reports(workspace: Workspace) -> list[RegurgitationReport]:
    from sqlalchemy import select

    with Ledger.open(workspace) as ledger, ledger.session() as s:
        return [
            _report(r)
            for r in s.execute(select(RegurgitationRow).order_by(RegurgitationRow.id)).scalars()
        ]


def replay(
    workspace: Workspace,
    report_id: int,
    *,
    generate: Callable[[str], str] | None = None,
    output_filter: OutputFilter | None = None,
) -> ReplayResult:
    """Run today's output filter on the reported output, and on a fresh generation if given."""
    filt = output_filter or OutputFilter.from_workspace(workspace)
    with Ledger.open(workspace) as ledger:
        with ledger.session() as s:
            row = s.get(RegurgitationRow, report_id)
            if row is None:
                msg = f"no regurgitation report {report_id}"
                raise RightsError(msg)
            context = f"regurgitation:{row.id}".encode()
            prompt = unseal(workspace, row.prompt_sealed, context=context + b":prompt")
            output = unseal(workspace, row.output_sealed, context=context + b":output")
        checked = filt.check(output)
        regenerated_matches: int | None = None
        shown = checked.text
        if generate is not None:
            fresh = filt.check(generate(prompt))
            regenerated_matches = len(fresh.matches)
            shown = fresh.text
        result = ReplayResult(
            report_id,
            bool(checked.matches),
            len(checked.matches),
            generate is not None,
            regenerated_matches,
            shown,
        )
        with ledger.session() as s:
            stored = s.get(RegurgitationRow, report_id)
            assert stored is not None
            stored.last_replay = {**result.to_json(), "at": datetime.now(UTC).isoformat()}
        ledger.append_audit(
            "rights.regurgitation.replay",
            subject=f"regurgitation:{report_id}",
            details=result.to_json(),
        )
    return result
