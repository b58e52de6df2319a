"""Acceptance: a person erased in version N is gone from N+1 (export and person index) and
from every later ingest (RGT-05); models trained on their data are marked (RGT-01)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moisson.cli.app import main
from moisson.ledger import Ledger
from moisson.persons.index import PersonIndex, build_person_index
from moisson.pipeline import LocalExecutor, ingest
from moisson.pipeline.step import Step
from moisson.rights.find import find_person
from moisson.rights.identifiers import HashedIdentifier, SuppliedIdentifiers, hash_identifiers
from moisson.rights.requests import RequestDesk
from moisson.rights.suppression import SuppressionFilter, SuppressionList
from moisson.store import DatasetStore
from moisson.workspace import Workspace

POLICY = '[collection]\nmin_chars = 20\nlanguages = ["fr"]\n[rights]\nerasure_mode = "{mode}"\n'
BASE = "Le conseil municipal s'est réuni mardi soir pour discuter du budget de la commune. "
JEAN = [
    "Pour toute question, écrivez à Jean.Dupont@Exemple.fr avant lundi.",
    "Le trésorier répond au 06 12 34 56 78 les jours de marché.",
    "Contact du trésorier : +33612345678, ou jean.dupont@exemple.fr.",
]
OTHERS = [
    "La secrétaire, joignable à claire.martin@exemple.org, prépare le compte rendu.",
    "Renseignements à la mairie au 01 45 67 89 10 aux heures d'ouverture.",
    "Les travaux de la place commenceront au printemps selon le calendrier prévu.",
]


def _jsonl(path: Path, texts: list[str], start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts, start):
            record = {
                "id": f"doc-{i}",
                "url": f"https://site{i % 3}.example/p/{i}",
                "text": BASE + text,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _jean(ws: Workspace) -> list[HashedIdentifier]:
    hashed, _ = hash_identifiers(
        ws, SuppliedIdentifiers(emails=["jean.dupont@exemple.fr"], phones=["+33 6 12 34 56 78"])
    )
    return hashed


@pytest.fixture(params=["drop", "redact"])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws", policy_text=POLICY.format(mode=request.param))


def _export(
    ws: Workspace, version: int, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, str]]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["dataset", "export", "web", "--version", str(version), "-w", str(ws.root)])
    assert exit_info.value.code in (0, None)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_erased_person_is_absent_from_next_version_index_and_later_ingest(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = ingest(
        ws, [_jsonl(tmp_path / "a.jsonl", JEAN + OTHERS)], dataset="web", executor=LocalExecutor(1)
    )
    build_person_index(ws, "web", first.version.version, buckets=8)
    with Ledger.open(ws) as ledger:
        model = ledger.register_model(
            "tiny-lm", path="models/tiny", base_model=None, trained_on=[("web", 1)]
        )
        anonymous = ledger.register_model(
            "anon-lm", path="models/anon", base_model=None, trained_on=[("web", 1)]
        )
        ledger.set_model_status(anonymous.id, audit_status="anonymous")
    before = find_person(ws, "web", _jean(ws))
    jean_docs = {d.doc_id for d in before.documents}
    assert before.status == "found" and len(jean_docs) == 3

    desk = RequestDesk(ws)
    request = desk.new(
        "erasure",
        SuppliedIdentifiers(emails=["Jean.Dupont@Exemple.fr"], phones=["06 12 34 56 78"]),
        dataset="web",
    )
    desk.verify(request.id, method="reply from the email address")
    closed = desk.close(request.id)
    (done,) = closed.outcome["datasets"]
    assert done["new_version"] == 2

    # 1. dataset export of N+1
    exported = _export(ws, 2, capsys)
    assert len(exported) == 6 - (3 if ws.policy.rights.erasure_mode == "drop" else 0)
    for record in exported:
        assert record["doc_id"] not in jean_docs or ws.policy.rights.erasure_mode == "redact"
        assert "dupont" not in record["text"].lower()
        assert "12 34 56 78" not in record["text"]
    # The version's deletion log (SCR-03): what left, by content hash and rule, not by text.
    logged = DatasetStore(ws).deletions("web", 2)
    if ws.policy.rights.erasure_mode == "drop":
        assert {e["doc_id"] for e in logged} == jean_docs
        assert {e["rule"] for e in logged} == {f"erasure request {request.id}"}
    log_text = DatasetStore(ws).deletion_log_path("web", 2)
    assert not log_text.exists() or "dupont" not in log_text.read_text().lower()
    # 2. the person index of N+1
    assert PersonIndex.open(ws, "web", 2).lookup([h.key_hash for h in _jean(ws)]) == []
    assert find_person(ws, "web", _jean(ws), version=2).status == "not_found"
    # 3. an ingest after the erasure
    later = ingest(
        ws,
        [_jsonl(tmp_path / "b.jsonl", [JEAN[0], OTHERS[2] + " Suite."], start=10)],
        dataset="web",
        executor=LocalExecutor(1),
    )
    assert later.stats["dropped/suppression/suppressed"] == 1
    assert later.version.document_count == 1
    # models: the one trained on v1 must be retrained; the anonymous one is left alone (RGT-01)
    with Ledger.open(ws) as ledger:
        statuses = {m.name: (m.rights_status, m.rights_note) for m in ledger.models()}
    assert statuses["tiny-lm"][0] == "retraining_due"
    assert "web v2" in (statuses["tiny-lm"][1] or "")
    assert statuses["anon-lm"][0] == "ok"
    assert "retrain" in (closed.reply or "") and "anonymous" in (closed.reply or "")
    assert model.id != anonymous.id


def test_the_suppression_filter_works_without_a_pii_step(ws: Workspace, tmp_path: Path) -> None:
    SuppressionList(ws).add(_jean(ws), request_id=None)
    # Only the suppression filter: no PII step put detections in doc.meta["pii"].
    steps: list[Step] = [SuppressionFilter(ws)]
    result = ingest(
        ws,
        [_jsonl(tmp_path / "c.jsonl", JEAN + OTHERS)],
        dataset="web",
        executor=LocalExecutor(1),
        steps=steps,
    )
    assert result.stats["dropped/suppression/suppressed"] == 3
    assert {d.text for d in DatasetStore(ws).iter_documents("web")} == {BASE + t for t in OTHERS}
