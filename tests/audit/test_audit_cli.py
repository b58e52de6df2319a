"""``moisson audit ...`` end to end through the real entry point (MOD-03, RGT-01)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moisson.cli.app import main


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def test_canaries_make_writes_records_and_training_lines(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "canaries",
                "make",
                "--count",
                "2",
                "--repetitions",
                "0,1,4",
                "--lang",
                "fr,en",
                "--out",
                str(tmp_path),
                "--seed",
                "3",
            ]
        )
    assert info.value.code == 0
    records = [json.loads(x) for x in (tmp_path / "canaries.jsonl").read_text().splitlines()]
    assert len(records) == 6
    assert set(records[0]) == {"id", "prefix", "secret", "suffix", "pattern", "repetitions"}
    lines = (tmp_path / "canaries-train.jsonl").read_text().splitlines()
    assert len(lines) == 2 * (0 + 1 + 4)


def test_bad_input_is_one_line_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "members.jsonl"
    bad.write_text('{"id": "a", "text": "ok"}\n{"id": "b"}\n')
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "run",
                "--model",
                str(tmp_path),
                "--members",
                str(bad),
                "--non-members",
                str(bad),
                "--out",
                str(tmp_path / "out"),
            ]
        )
    assert info.value.code == 1
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "members.jsonl at line 2" in err and "'text'" in err
    assert "Traceback" not in err


def test_missing_model_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = _write_jsonl(tmp_path / "t.jsonl", [{"id": str(i), "text": "x y z"} for i in range(8)])
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "run",
                "--model",
                str(tmp_path / "nope"),
                "--members",
                str(texts),
                "--non-members",
                str(texts),
                "--out",
                str(tmp_path / "out"),
            ]
        )
    assert info.value.code == 1
    assert "not a Hugging Face model folder" in " ".join(capsys.readouterr().err.split())


@pytest.mark.slow
def test_run_and_person_on_the_trained_model(
    trained: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = _write_jsonl(
        tmp_path / "m.jsonl", [{"id": r.id, "text": r.text} for r in trained.members[:40]]
    )
    non = _write_jsonl(
        tmp_path / "n.jsonl",
        [{"id": r.id, "text": r.text} for r in trained.corpus.non_members[:40]],
    )
    frequent = max(trained.corpus.people, key=lambda p: trained.corpus.person_repetitions[p.id])
    people = _write_jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "id": frequent.id,
                "name": frequent.name,
                "email": frequent.email,
                "phone": frequent.phone,
                "context": frequent.context,
            }
        ],
    )
    canaries = tmp_path / "c.jsonl"
    canaries.write_text(
        "".join(
            json.dumps(
                {
                    "id": c.id,
                    "prefix": c.prefix,
                    "secret": c.secret,
                    "suffix": c.suffix,
                    "pattern": c.pattern,
                    "repetitions": c.repetitions,
                }
            )
            + "\n"
            for c in trained.canaries
            if c.repetitions in (0, 64)
        )
    )
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "run",
                "--model",
                str(trained.canary_model),
                "--members",
                str(members),
                "--non-members",
                str(non),
                "--canaries",
                str(canaries),
                "--people",
                str(people),
                "--out",
                str(out),
                "--budget",
                "3000",
                "--candidates",
                "100",
                "--seed",
                "1",
            ]
        )
    assert info.value.code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "personal_data"
    assert report["config"]["seed"] == 1 and report["config"]["budget"] == 3000
    assert "status: personal_data" in capsys.readouterr().out

    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "person",
                "--model",
                str(trained.canary_model),
                "--name",
                frequent.name,
                "--email",
                frequent.email,
                "--context",
                frequent.context,
                "--samples",
                "4",
            ]
        )
    assert info.value.code == 1  # a failed check: the model emits this person's identifiers
    assert "EMITS" in capsys.readouterr().out

    absent = next(p for p in trained.corpus.people if trained.corpus.person_repetitions[p.id] == 0)
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "person",
                "--model",
                str(trained.clean_model),
                "--name",
                absent.name,
                "--email",
                absent.email,
                "--phone",
                absent.phone,
                "--samples",
                "4",
            ]
        )
    assert info.value.code == 0
    assert "does not emit" in capsys.readouterr().out


@pytest.mark.slow
def test_budget_too_small_is_refused_before_any_query(
    trained: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _write_jsonl(
        tmp_path / "t.jsonl", [{"id": r.id, "text": r.text} for r in trained.members[:20]]
    )
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "run",
                "--model",
                str(trained.canary_model),
                "--members",
                str(texts),
                "--non-members",
                str(texts),
                "--out",
                str(tmp_path / "o"),
                "--budget",
                "10",
            ]
        )
    assert info.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "query budget 10 is too small" in err
    assert not (tmp_path / "o").exists()


def test_train_plants_canaries_and_saves_a_loadable_model(tmp_path: Path) -> None:
    from moisson.audit.scoring import load_model

    texts = _write_jsonl(
        tmp_path / "texts.jsonl",
        [{"id": str(i), "text": f"Le club organise un atelier numéro {i}."} for i in range(40)],
    )
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "canaries",
                "make",
                "--count",
                "1",
                "--repetitions",
                "0,2",
                "--out",
                str(tmp_path / "c"),
            ]
        )
    assert info.value.code == 0
    with pytest.raises(SystemExit) as info:
        main(
            [
                "audit",
                "train",
                "--texts",
                str(texts),
                "--out",
                str(tmp_path / "m"),
                "--canaries",
                str(tmp_path / "c" / "canaries.jsonl"),
                "--steps",
                "3",
            ]
        )
    assert info.value.code == 0
    lm = load_model(tmp_path / "m")
    assert lm.device.type in {"cpu", "cuda"}
    assert lm.encode("Le club") and lm.max_length == 128
