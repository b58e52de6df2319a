"""The core commands, run as a user would: a real process, real files, exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

TEXT = (
    "Le conseil municipal s'est réuni mardi soir pour discuter du budget de la commune, point {i}. "
    "Les habitants ont posé des questions sur les travaux de la place du marché, sur la rénovation "
    "de l'école et sur les horaires de la bibliothèque, qui changeront au printemps prochain."
)


def moisson(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moisson", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert moisson("init", str(root)).returncode == 0
    return root


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"r{i}", "url": f"https://a.example/{i}", "text": TEXT.format(i=i)})
            + "\n"
            for i in range(12)
        ),
        encoding="utf-8",
    )
    return path


def test_ingest_then_list_show_export_diff(ws: Path, source: Path) -> None:
    run = moisson("ingest", str(source), "--dataset", "web", "-w", str(ws))
    assert run.returncode == 0, run.stderr
    listed = json.loads(moisson("dataset", "list", "--json", "-w", str(ws)).stdout)
    assert [(r["name"], r["version"], r["documents"]) for r in listed] == [("web", 1, 12)]
    shown = json.loads(moisson("dataset", "show", "web", "--json", "-w", str(ws)).stdout)
    assert shown["documents"] == 12 and len(shown["content_hash"]) == 64
    lines = [
        json.loads(x)
        for x in moisson("dataset", "export", "web", "-w", str(ws)).stdout.splitlines()
    ]
    assert {x["source_id"] for x in lines} == {f"r{i}" for i in range(12)}
    assert set(lines[0]) >= {"doc_id", "source_id", "url", "text"}
    # a second ingest of more data gives version 2; diff names what was added
    extra = source.with_name("more.jsonl")
    extra.write_text(json.dumps({"id": "new", "text": TEXT.format(i=99)}) + "\n", encoding="utf-8")
    assert (
        moisson("ingest", str(source), str(extra), "--dataset", "web", "-w", str(ws)).returncode
        == 0
    )
    diff = json.loads(moisson("dataset", "diff", "web", "1", "2", "--json", "-w", str(ws)).stdout)
    assert len(diff["added"]) == 1 and diff["removed"] == [] and diff["changed"] == []


def test_ledger_verify_detects_tampering(ws: Path, source: Path) -> None:
    assert moisson("ingest", str(source), "--dataset", "web", "-w", str(ws)).returncode == 0
    ok = moisson("ledger", "verify", "-w", str(ws))
    assert ok.returncode == 0 and "intact" in ok.stdout
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        db.execute(
            "UPDATE audit_log SET details = '{\"documents\": 1}' WHERE action = 'dataset.version'"
        )
    bad = moisson("ledger", "verify", "-w", str(ws))
    assert bad.returncode == 1
    assert "TAMPERED" in bad.stderr and "modified" in bad.stderr


def test_exit_codes(tmp_path: Path, ws: Path, source: Path) -> None:
    assert moisson("ingest", str(source), "-w", str(ws)).returncode == 2  # missing --dataset
    assert (
        moisson("ingest", str(source), "-d", "x", "--on-error", "maybe", "-w", str(ws)).returncode
        == 2
    )
    missing = moisson("dataset", "show", "nope", "-w", str(ws))
    assert missing.returncode == 4 and "no dataset 'nope'" in missing.stderr
    assert moisson("dataset", "list", cwd=tmp_path).returncode == 4  # no workspace here
    (ws / "moisson.toml").write_text("[pii]\ndefault_action = 'hide'\n", encoding="utf-8")
    bad = moisson("dataset", "list", "-w", str(ws))
    assert bad.returncode == 3 and "pii.default_action" in bad.stderr


def test_bad_input_error_names_file_and_line(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    good = json.dumps({"id": 1, "text": TEXT.format(i=1)})
    path.write_text(f"{good}\nnot json\n", encoding="utf-8")
    run = moisson("ingest", str(path), "-d", "web", "-w", str(ws))
    assert run.returncode == 1
    assert str(path) in run.stderr and "line 2" in run.stderr
    assert "Traceback" not in run.stderr
