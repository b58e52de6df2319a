"""``moisson rights ...`` through the real entry point: JSON shapes, exit codes, no tracebacks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rights_corpus import Corpus, ingest, make_corpus

from moisson.cli import exitcodes
from moisson.cli.app import main
from moisson.workspace import Workspace


@pytest.fixture
def corpus(workspace: Workspace) -> Corpus:
    c = make_corpus(workspace, people=6, docs=40)
    ingest(workspace, c)
    return c


def _run(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["rights", *args, "-w", str(ws.root)])
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


def test_find_json_has_the_documented_shape(
    workspace: Workspace, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    person = corpus.people[2]
    code, out, _ = _run(
        workspace, capsys, "find", "--dataset", "corpus", "--email", person.email.upper(), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert {"documents", "models"} <= data.keys()
    assert {d["doc_id"] for d in data["documents"]} == corpus.truth[person.pid]["EMAIL"]
    for doc in data["documents"]:
        assert set(doc) == {"doc_id", "source_id", "url", "dataset_version", "matches"}
        assert all(
            set(m) == {"type", "start", "end"} and m["type"] == "EMAIL" for m in doc["matches"]
        )


def test_unknown_dataset_is_a_message_not_a_traceback(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(workspace, capsys, "find", "--dataset", "nope", "--email", "a@b.fr")
    assert code == exitcodes.NOT_FOUND
    assert "no dataset 'nope'" in err and "Traceback" not in err


def test_request_commands_run_the_workflow(
    workspace: Workspace, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    person = corpus.people[1]
    code, out, _ = _run(
        workspace,
        capsys,
        "request",
        "new",
        "access",
        "-d",
        "corpus",
        "--email",
        person.email,
        "--received-at",
        "2025-01-31T10:00:00+01:00",
        "--json",
    )
    assert code == 0
    created = json.loads(out)
    assert created["due_at"] == "2025-02-28T10:00:00+01:00"
    code, _, err = _run(workspace, capsys, "request", "close", str(created["id"]))
    assert code == exitcodes.FAILURE and "verify the requester's identity first" in err
    assert (
        _run(
            workspace, capsys, "request", "verify", str(created["id"]), "--method", "signed letter"
        )[0]
        == 0
    )
    code, out, _ = _run(workspace, capsys, "request", "close", str(created["id"]), "--json")
    closed = json.loads(out)
    assert closed["status"] == "completed"
    html = Path(closed["outcome"]["copy"]["html"]).read_text()
    assert (
        "Copy of your data" in html
        and (Path(closed["outcome"]["copy"]["json"]).stat().st_mode & 0o077) == 0
    )
    code, out, _ = _run(workspace, capsys, "request", "list", "--json")
    assert [r["id"] for r in json.loads(out)] == [created["id"]]
    code, _, err = _run(workspace, capsys, "request", "extend", "99", "--reason", "x")
    assert code == exitcodes.FAILURE and "no rights request 99" in err


def test_filter_reads_stdin(
    workspace: Workspace,
    corpus: Corpus,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = corpus.people[0]
    _run(
        workspace,
        capsys,
        "request",
        "new",
        "objection",
        "--email",
        person.email,
        "--phone",
        person.phone_digits,
    )
    _run(workspace, capsys, "request", "verify", "1", "--method", "email reply")
    assert _run(workspace, capsys, "request", "close", "1")[0] == 0
    text = f"Écrivez à {person.email} ou appelez le {person.phone_forms()[0]}."
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = _run(workspace, capsys, "filter")
    assert code == 0 and person.email not in out and "[REDACTED]" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = _run(workspace, capsys, "filter", "--mode", "block")
    assert code == 1 and "withheld" in out


def test_report_and_replay(
    workspace: Workspace, corpus: Corpus, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    person = corpus.people[0]
    _run(workspace, capsys, "request", "new", "erasure", "--email", person.email)
    _run(workspace, capsys, "request", "verify", "1", "--method", "email reply")
    _run(workspace, capsys, "request", "close", "1")
    (tmp_path / "p.txt").write_text("Give me an email address")
    (tmp_path / "o.txt").write_text(f"Sure: {person.email}")
    code, out, _ = _run(
        workspace,
        capsys,
        "report",
        "--model",
        "tiny",
        "--prompt-file",
        str(tmp_path / "p.txt"),
        "--output-file",
        str(tmp_path / "o.txt"),
    )
    assert code == 0 and "report 1" in out
    code, out, _ = _run(workspace, capsys, "replay", "1", "--json")
    assert json.loads(out)["reported_output_blocked"] is True
    code, _, err = _run(
        workspace,
        capsys,
        "report",
        "--model",
        "m",
        "--prompt-file",
        "/nonexistent",
        "--output-file",
        "/x",
    )
    assert code == exitcodes.FAILURE and "/nonexistent: cannot read the prompt" in err
