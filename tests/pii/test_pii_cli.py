"""``moisson pii detect`` / ``redact`` through the real entry point (issue 4, item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moisson.cli.app import main
from moisson.workspace import Workspace

TEXT = "Écrire à Jean Dupont, jean.dupont@exemple.fr, 06 12 34 56 78."


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def call(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0)


def test_detect_writes_spans(tmp_path: Path) -> None:
    src = write(
        tmp_path / "in.jsonl",
        [json.dumps({"id": "a", "text": TEXT}), json.dumps({"id": 2, "text": "Rien."})],
    )
    out = tmp_path / "out.jsonl"
    assert call(["pii", "detect", "--input", str(src), "--output", str(out), "--lang", "fr"]) == 0
    first, second = (json.loads(line) for line in out.read_text().splitlines())
    assert first["id"] == "a" and second == {"id": 2, "spans": [], "sensitive": []}
    labels = {TEXT[s["start"] : s["end"]]: s["label"] for s in first["spans"]}
    assert labels == {
        "Jean Dupont": "PERSON",
        "jean.dupont@exemple.fr": "EMAIL",
        "06 12 34 56 78": "PHONE",
    }


def test_bad_line_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(
        tmp_path / "bad.jsonl",
        [json.dumps({"id": 1, "text": TEXT}), "{not json", json.dumps({"id": 3})],
    )
    out = tmp_path / "out.jsonl"
    assert call(["pii", "detect", "--input", str(src), "--output", str(out)]) != 0
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "bad.jsonl at line 2: not JSON" in err and "Traceback" not in err
    assert (
        call(["pii", "detect", "--input", str(src), "--output", str(out), "--on-error", "skip"])
        == 0
    )
    assert len(out.read_text().splitlines()) == 1
    assert "2 skipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (b"\xff\xfe not text", "line 2: not UTF-8 (byte 0xff at column 1)"),
        (b"[" * 100_000, "line 2: not JSON (nested too deeply)"),
        (b'{"id": ' + b"1" * 5_000 + b', "text": "x"}', "line 2: not JSON (Exceeds the limit"),
    ],
    ids=["not UTF-8", "nested too deeply", "integer past the digit limit"],
)
def test_hostile_lines_are_named_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_line: bytes, reason: str
) -> None:
    """A line that is not UTF-8, or JSON nested past the parser's limit, is a bad record
    like any other: named with its line, skipped on request, and the next lines are read."""
    src = tmp_path / "hostile.jsonl"
    good = json.dumps({"id": 1, "text": TEXT}).encode()
    src.write_bytes(good + b"\n" + bad_line + b"\n" + good + b"\n")
    out = tmp_path / "out.jsonl"
    assert call(["pii", "detect", "--input", str(src), "--output", str(out)]) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"hostile.jsonl at {reason}" in err and "Traceback" not in err
    argv = ["pii", "detect", "--input", str(src), "--output", str(out), "--on-error", "skip"]
    assert call(argv) == 0
    assert len(out.read_text().splitlines()) == 2


def test_redact_with_actions_and_without_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no moisson.toml here or above
    monkeypatch.delenv("MOISSON_WORKSPACE", raising=False)
    src = write(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": TEXT})])
    out = tmp_path / "out.jsonl"
    argv = ["pii", "redact", "--input", str(src), "--output", str(out), "--action", "PHONE=keep"]
    assert call(argv) == 0
    record = json.loads(out.read_text())
    assert record["text"] == "Écrire à [PERSON], [EMAIL], 06 12 34 56 78."
    assert call([*argv, "--action", "EMAIL=pseudonymise"]) != 0  # no secret without a workspace


def test_redact_uses_workspace_policy(tmp_path: Path) -> None:
    policy = '[pii]\ndefault_action = "pseudonymise"\nactions = { PHONE = "drop" }\n'
    ws = Workspace.init(tmp_path / "ws", policy_text=policy)
    src = write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": 1, "text": "Mail jean@exemple.fr"}),
            json.dumps({"id": 2, "text": TEXT}),
        ],
    )
    out = tmp_path / "out.jsonl"
    assert (
        call(
            [
                "pii",
                "redact",
                "--input",
                str(src),
                "--output",
                str(out),
                "--workspace",
                str(ws.root),
            ]
        )
        == 0
    )
    [record] = [
        json.loads(line) for line in out.read_text().splitlines()
    ]  # doc 2 has a PHONE: dropped
    assert record["text"].startswith("Mail [EMAIL_") and "jean@" not in out.read_text()
