"""``moisson docs`` commands, and ``docs check`` failing on stale documents and missing facts (DOC-02)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reports_workspace import ANSWERS, answer_questionnaire, build_workspace
from typer.testing import CliRunner

from moisson.cli.app import app
from moisson.ledger import Ledger
from moisson.reports.build import build_documents
from moisson.reports.check import check_documents
from moisson.reports.documents import DOCUMENTS
from moisson.reports.questionnaire import questionnaire_path

runner = CliRunner()


def test_check_passes_then_fails_on_stale_and_missing(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    assert [p.kind for p in check_documents(ws)] == ["not_built"]
    build_documents(ws, formats=("md",))
    assert check_documents(ws) == []
    # A questionnaire answer changes: documents that used it are stale, the others are not.
    answers = {k: dict(v) for k, v in ANSWERS.items()}
    answers["dpo"]["opinion"] = "Unfavourable"
    answer_questionnaire(ws, answers)
    stale = {p.document for p in check_documents(ws) if p.kind == "stale"}
    assert stale == {"en/legitimate-interest", "fr/legitimate-interest", "en/dpia", "fr/dpia"}
    build_documents(ws, formats=("md",))
    assert check_documents(ws) == []
    # Anything recorded in the ledger moves its head: every document is stale.
    with Ledger.open(ws) as ledger:
        ledger.append_audit("rights.request.closed", subject="request:1")
    problems = check_documents(ws)
    assert {p.kind for p in problems} == {"stale"}
    assert len(problems) == 2 * len(DOCUMENTS)
    # A required fact removed: the check names it and the command that records it.
    del answers["purpose"]["interests"]
    answer_questionnaire(ws, answers)
    build_documents(ws, formats=("md",))
    missing = [p for p in check_documents(ws) if p.kind == "missing_fact"]
    assert {p.document for p in missing} == {
        "en/legitimate-interest",
        "fr/legitimate-interest",
        "en/information-notice",
        "fr/information-notice",
    }
    assert all("interests (run: moisson docs init" in p.detail for p in missing)
    # A built file deleted is reported.
    (ws.root / "docs" / "generated" / "en" / "dpia.md").unlink()
    assert any(p.kind == "file_missing" and p.document == "en/dpia" for p in check_documents(ws))


def test_cli_init_build_check_facts(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws_dir)]).exit_code == 0
    result = runner.invoke(app, ["docs", "init", "-w", str(ws_dir)])
    assert result.exit_code == 0, result.output
    text = questionnaire_path_for(ws_dir).read_text(encoding="utf-8")
    assert "# Legitimate interests pursued" in text
    result = runner.invoke(
        app, ["docs", "build", "-w", str(ws_dir), "--lang", "fr", "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    out = ws_dir / "docs" / "generated"
    assert sorted(p.name for p in (out / "fr").iterdir()) == sorted(
        f"{s.slug}.md" for s in DOCUMENTS
    )
    assert not (out / "en").exists()
    summary = (out / "fr" / "ai-act-summary.md").read_text(encoding="utf-8")
    assert "**MANQUANT : domains**" in summary  # nothing was collected: shown as missing
    result = runner.invoke(app, ["docs", "check", "-w", str(ws_dir)])
    assert result.exit_code == 1
    assert "missing fact: interests" in result.output
    result = runner.invoke(app, ["docs", "facts", "-w", str(ws_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_name = {f["name"]: f for f in data["facts"]}
    assert by_name["crawler_agent"]["value"] == "moisson-bot"
    assert by_name["domains"]["missing"] is True
    result = runner.invoke(app, ["docs", "build", "-w", str(ws_dir), "--lang", "de"])
    assert result.exit_code == 2
    assert "--lang 'de'" in result.output


def questionnaire_path_for(ws_dir: Path) -> Path:
    from moisson.workspace import Workspace

    return questionnaire_path(Workspace.open(ws_dir))


def test_bad_output_folder_and_manifest_are_clear_errors(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws_dir)]).exit_code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(
        app, ["docs", "build", "-w", str(ws_dir), "--format", "md", "--out", str(blocker)]
    )
    assert result.exit_code == 1
    assert "cannot write the documents" in result.output
    out = ws_dir / "docs" / "generated"
    out.mkdir(parents=True)
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    from moisson.errors import WorkspaceError
    from moisson.workspace import Workspace

    with pytest.raises(WorkspaceError, match=r"manifest\.json: not valid JSON"):
        check_documents(Workspace.open(ws_dir))
