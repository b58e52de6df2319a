"""Parquet and local Hugging Face readers: batches, row locations, bad files (issue 2, item 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from moisson.errors import InputError, RecordError
from moisson.sources import open_reader
from moisson.store.document import Document


def _table(n: int, *, hole: int | None = None) -> pa.Table:
    texts = [None if i == hole else f"ligne {i} du jeu de données" for i in range(n)]
    return pa.table(
        {
            "id": [f"r{i}" for i in range(n)],
            "text": texts,
            "url": [f"https://site{i % 3}.fr/{i}" for i in range(n)],
            "score": [float(i) for i in range(n)],
        }
    )


def test_parquet_reads_in_batches_with_row_index(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    pq.write_table(_table(5000, hole=4321), path, row_group_size=1000)
    reader = open_reader(path)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    assert len(docs) == 4999
    assert [e.location for e in errors] == ["row 4321"]
    assert errors[0].reason == "missing text field 'text'"
    assert docs[4321].source_offset == 4322
    assert (docs[-1].source_id, docs[-1].url, docs[-1].source_offset) == (
        "r4999",
        "https://site1.fr/4999",
        4999,
    )
    assert reader.stats["records"] == 5000


def test_parquet_bad_files(tmp_path: Path) -> None:
    not_parquet = tmp_path / "fake.parquet"
    not_parquet.write_bytes(b"PAR1 but not really" * 10)
    with pytest.raises(InputError, match=r"fake\.parquet: not a readable Parquet file"):
        list(open_reader(not_parquet).read())
    no_text = tmp_path / "notext.parquet"
    pq.write_table(pa.table({"body": ["x"]}), no_text)
    with pytest.raises(InputError, match=r"no column 'text' \(columns: body\)"):
        list(open_reader(no_text).read())
    reader = open_reader(no_text, text_field="body")
    assert [d.text for d in reader.read()] == ["x"]


def test_hf_save_to_disk_dataset_and_dict(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    rows = {"id": ["a", "b", "c"], "text": ["un", "deux", ""], "url": [None, None, None]}
    single = tmp_path / "single"
    datasets.Dataset.from_dict(rows).save_to_disk(str(single))
    errors: list[RecordError] = []
    docs = list(open_reader(single).read(on_error=errors.append))
    assert [(d.text, d.source_id, d.source_offset) for d in docs] == [
        ("un", "a", 0),
        ("deux", "b", 1),
    ]
    assert [(e.path, e.location) for e in errors] == [(str(single), "row 2")]
    splits = tmp_path / "splits"
    datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict({"text": ["t1", "t2"]}),
            "test": datasets.Dataset.from_dict({"text": ["e1"]}),
        }
    ).save_to_disk(str(splits))
    docs = list(open_reader(splits, "hf").read())
    assert [(d.text, d.source_file) for d in docs] == [
        ("t1", str(splits / "train")),
        ("t2", str(splits / "train")),
        ("e1", str(splits / "test")),
    ]


def test_hf_snapshot_folder_of_data_files(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    (snapshot / "data").mkdir(parents=True)
    (snapshot / ".cache").mkdir()
    (snapshot / "README.md").write_text("# card\n")
    pq.write_table(_table(3), snapshot / "data" / "train-00000-of-00002.parquet")
    (snapshot / "data" / "train-00001-of-00002.jsonl").write_text(
        json.dumps({"text": "depuis jsonl"}) + "\nnot json\n"
    )
    (snapshot / ".cache" / "skip.jsonl").write_text(json.dumps({"text": "caché"}) + "\n")
    reader = open_reader(snapshot)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    assert [d.text for d in docs] == [
        "ligne 0 du jeu de données",
        "ligne 1 du jeu de données",
        "ligne 2 du jeu de données",
        "depuis jsonl",
    ]
    assert [(Path(e.path or "").name, e.location) for e in errors] == [
        ("train-00001-of-00002.jsonl", "line 2")
    ]
    assert reader.stats["documents"] == 4
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no save_to_disk files"):
        list(open_reader(empty).read())


def test_exported_documents_reingest_with_their_provenance(tmp_path: Path) -> None:
    """A moisson export (headers, metas, timestamp) re-reads into the same documents."""
    fetched = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)
    original = Document.new(
        "texte exporté",
        url="https://ex.fr/a",
        source_id="s-1",
        fetched_at=fetched,
        lang="fr",
        licence="CC-BY-4.0",
        http_headers=[(":status", "200"), ("X-Robots-Tag", "noai")],
        html_meta=[("robots", "noai")],
    )
    row = original.to_row()
    row["id"] = row.pop("source_id")
    path = tmp_path / "export.parquet"
    pq.write_table(pa.Table.from_pylist([row]), path)
    (doc,) = list(open_reader(path).read())
    assert (doc.doc_id, doc.fetched_at, doc.lang, doc.licence) == (
        original.doc_id,
        fetched,
        "fr",
        "CC-BY-4.0",
    )
    assert doc.http_headers == original.http_headers
    assert doc.html_meta == original.html_meta
    jsonl = tmp_path / "export.jsonl"
    row["fetched_at"] = fetched.isoformat().replace("+00:00", "Z")
    jsonl.write_text(json.dumps(row) + "\n")
    (again,) = list(open_reader(jsonl).read())
    assert (again.doc_id, again.fetched_at, again.http_headers) == (
        original.doc_id,
        fetched,
        original.http_headers,
    )
