"""Ingest through the executors: counting, quarantine, and resuming after kill -9."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from moisson.errors import RecordError
from moisson.pipeline import LocalExecutor, ingest
from moisson.store import DatasetStore
from moisson.workspace import Workspace

POLICY = '[collection]\nmin_chars = 20\nlanguages = ["fr", "en"]\n'

FR = "Le conseil municipal s'est réuni mardi soir pour discuter du budget de la commune et des travaux de la place."
EN = "The city council met on Tuesday evening to discuss the budget of the town and the works planned for the square."


def _write_jsonl(path: Path, n: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            text = (FR if i % 2 else EN) + f" Document {i}."
            fh.write(
                json.dumps(
                    {"id": f"doc-{i}", "url": f"https://site{i % 7}.example/p/{i}", "text": text}
                )
                + "\n"
            )
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws", policy_text=POLICY)


def test_ingest_jsonl_records_version_run_and_domain_stats(ws: Workspace, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "a.jsonl", 40)
    result = ingest(ws, [src], dataset="web", executor=LocalExecutor(1))
    assert result.version.document_count == 40
    assert result.stats["docs/in"] == 40
    assert sum(v for k, v in result.stats.items() if k.startswith("domain_docs/")) == 40
    (run,) = DatasetStore(ws).ledger.runs("ingest")
    assert run.status == "completed" and run.policy_hash == ws.policy.policy_hash()
    assert result.version.run_id == run.id


def test_policy_filters_drop_and_count(ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    src.write_text(
        json.dumps({"id": "short", "text": "trop court"})
        + "\n"
        + json.dumps(
            {
                "id": "de",
                "text": "Der Gemeinderat hat am Dienstagabend über den Haushalt der Stadt beraten und die Arbeiten besprochen.",
            }
        )
        + "\n"
        + json.dumps({"id": "fr", "text": FR})
        + "\n",
        encoding="utf-8",
    )
    result = ingest(ws, [src], dataset="web", executor=LocalExecutor(1))
    assert result.version.document_count == 1
    assert result.stats["dropped/length/too_short"] == 1
    assert result.stats["dropped/language/lang_de"] == 1


def test_bad_record_stops_with_file_and_line(ws: Workspace, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "bad.jsonl", 5)
    lines = src.read_text().splitlines()
    lines.insert(3, '{"id": "broken", "text": ')
    src.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordError) as info:
        ingest(ws, [src], dataset="web", executor=LocalExecutor(1), on_error="stop")
    assert str(src) in str(info.value) and "line 4" in str(info.value)
    assert DatasetStore(ws).datasets() == []


def test_bad_records_are_quarantined_when_skipping(ws: Workspace, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "bad.jsonl", 6)
    with src.open("ab") as fh:
        fh.write(b'{"id": "x", "text": "\xff\xfe invalid utf-8"}\n')
        fh.write(b"[1, 2, 3]\n")
    result = ingest(ws, [src], dataset="web", executor=LocalExecutor(1), on_error="skip")
    assert result.version.document_count == 6
    assert result.stats["errors/quarantined"] == 2
    (qfile,) = (ws.root / "quarantine").glob("run-*.jsonl")
    entries = [json.loads(line) for line in qfile.read_text().splitlines()]
    assert [e["location"] for e in entries] == ["line 7", "line 8"]
    assert all(e["file"] == str(src) and e["reason"] for e in entries)
    # The bytes are kept exactly: text as text, anything else in base64 (it used to be
    # decoded with "replace", which lost them).
    assert base64.b64decode(entries[0]["raw_base64"]).startswith(b'{"id": "x", "text": "\xff\xfe')
    assert entries[1]["raw"] == "[1, 2, 3]"


def test_process_pool_gives_the_same_documents(ws: Workspace, tmp_path: Path) -> None:
    files = [_write_jsonl(tmp_path / f"p{i}.jsonl", 30, start=i * 30) for i in range(4)]
    pooled = ingest(ws, files, dataset="pool", executor=LocalExecutor(2))
    serial = ingest(ws, files, dataset="serial", executor=LocalExecutor(1))
    assert pooled.version.content_hash == serial.version.content_hash
    assert pooled.version.document_count == 120


def _export(ws: Path, dataset: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "moisson", "dataset", "export", dataset, "-w", str(ws)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(out.splitlines())


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_gives_exactly_the_uninterrupted_result(
    tmp_path: Path,
) -> None:
    files = [_write_jsonl(tmp_path / f"in{i}.jsonl", 1500, start=i * 1500) for i in range(8)]
    reference = Workspace.init(tmp_path / "ref", policy_text=POLICY)
    ingest(reference, files, dataset="web", executor=LocalExecutor(1))

    victim = Workspace.init(tmp_path / "victim", policy_text=POLICY)
    cmd = [
        sys.executable,
        "-m",
        "moisson",
        "ingest",
        *map(str, files),
        "--dataset",
        "web",
        "--workers",
        "1",
        "-w",
        str(victim.root),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 120
    markers: list[Path] = []
    while time.time() < deadline and proc.poll() is None:
        markers = list((victim.root / "runs").glob("*/tasks/*.done"))
        if len(markers) >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 2 <= len(markers) < 8
    assert DatasetStore(victim).datasets() == []

    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stderr
    store = DatasetStore(victim)
    assert [v.version for v in store.versions("web")] == [1]
    assert store.latest("web").content_hash == DatasetStore(reference).latest("web").content_hash
    assert _export(victim.root, "web") == _export(reference.root, "web")


@pytest.mark.ray
def test_ray_executor_runs_the_same_steps(ws: Workspace, tmp_path: Path, ray_cluster) -> None:
    from moisson.pipeline import RayExecutor

    files = [_write_jsonl(tmp_path / f"r{i}.jsonl", 20, start=i * 20) for i in range(3)]
    on_ray = ingest(ws, files, dataset="ray", executor=RayExecutor())
    local = ingest(ws, files, dataset="local", executor=LocalExecutor(1))
    assert on_ray.version.content_hash == local.version.content_hash
    assert on_ray.stats == local.stats
