"""The minimiser step under a workspace policy (PII-03, PII-05, SCR-09, SCR-10)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from moisson.pii import PiiMinimiser
from moisson.pipeline.step import TaskContext
from moisson.store.document import Document
from moisson.workspace import PiiSettings

SECRET = bytes.fromhex("11" * 32)


def ctx(tmp_path: Path, secret: bytes = SECRET) -> TaskContext:
    return TaskContext(task_id="t", workspace_root=tmp_path, secret=secret)


def run(settings: PiiSettings, texts: list[str], context: TaskContext) -> list[Document]:
    docs = [Document.new(t, source_id=str(i)) for i, t in enumerate(texts)]
    return list(PiiMinimiser(settings).run(docs, context))


def test_pseudonyms_are_stable_and_keyed(tmp_path: Path) -> None:
    settings = PiiSettings(default_action="pseudonymise")
    texts = ["Écrire à Jean.Dupont@Exemple.fr demain.", "Copie à jean.dupont@exemple.fr."]
    first, second = run(settings, texts, ctx(tmp_path))
    token = first.meta["pii"][0]["token"]
    assert token.startswith("[EMAIL_") and len(token) == len("[EMAIL_3f9a2c]")
    assert token in first.text and token in second.text
    assert second.meta["pii"][0]["token"] == token
    other = run(settings, texts[:1], ctx(tmp_path, bytes.fromhex("22" * 32)))[0]
    assert other.meta["pii"][0]["token"] != token  # another workspace, another token


def test_rows_hold_output_offsets_and_no_clear_value(tmp_path: Path) -> None:
    settings = PiiSettings(default_action="mask", actions={"PHONE": "keep"})
    context = ctx(tmp_path)
    text = "Jean Dupont : jean@exemple.fr, 06 12 34 56 78. M. Martin est diabétique."
    [doc] = run(settings, [text], context)
    for row in doc.meta["pii"]:
        value = doc.text[row["start"] : row["end"]]
        assert value == (row["token"] if row["action"] == "mask" else "06 12 34 56 78")
    attrs = context.attributes.rows["pii"]
    assert {r["doc_id"] for r in attrs} == {doc.doc_id}
    blob = repr(attrs) + repr(dict(context.stats))
    for clear in ("jean@exemple.fr", "Jean Dupont", "Dupont"):
        assert clear not in blob
    email_row = next(r for r in attrs if r["label"] == "EMAIL")
    assert email_row["key_hash"] == context.keyed_hash("jean@exemple.fr", purpose="person")
    [sensitive] = context.attributes.rows["sensitive"]
    assert sensitive["category"] == "HEALTH"
    assert doc.text[sensitive["start"] : sensitive["end"]] == "diabétique"
    assert context.stats["pii/EMAIL"] == 1
    assert context.stats["pii/action/keep"] == 1
    assert context.stats["sensitive/HEALTH"] == 1


@pytest.mark.parametrize(
    ("settings", "text", "reason"),
    [
        (PiiSettings(actions={"FR_NIR": "drop"}), "NIR 1 85 03 75 116 238 81", "label/FR_NIR"),
        (PiiSettings(drop_document_above=2), "a@b.fr c@d.fr e@f.fr", "too_many_identifiers"),
        (
            PiiSettings(special_categories="drop"),
            "Il est séropositif depuis 2010.",
            "sensitive/HEALTH",
        ),
    ],
)
def test_drops_are_counted(tmp_path: Path, settings: PiiSettings, text: str, reason: str) -> None:
    context = ctx(tmp_path)
    assert run(settings, [text, "Rien ici."], context)[0].text == "Rien ici."
    assert context.stats[f"dropped/pii/{reason}"] == 1
    assert context.stats["dropped"] == 1


def test_step_pickles_without_its_analyzer(tmp_path: Path) -> None:
    step = PiiMinimiser(PiiSettings(default_action="mask"))
    list(step.run([Document.new("a@b.fr", source_id="x")], ctx(tmp_path)))
    clone = pickle.loads(pickle.dumps(step))
    [doc] = list(clone.run([Document.new("x@y.fr", source_id="y")], ctx(tmp_path)))
    assert doc.text == "[EMAIL]"
