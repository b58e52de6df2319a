"""Damaged shards and a tampered version record: a clear error naming the file and row, never a
pyarrow, JSON or KeyError traceback (bad input gets a clear error and loses nothing)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli_calls import run_cli, says
from moisson.cli import exitcodes
from moisson.errors import LedgerError, StoreError
from moisson.store import DatasetStore, Document
from moisson.store.shards import iter_shard
from moisson.workspace import Workspace


def _store(workspace: Workspace, n: int = 3000) -> tuple[DatasetStore, Path]:
    """A one-shard version with enough varied text that the shard has several data pages."""
    store = DatasetStore(workspace)
    docs = [
        Document.new(
            f"Page {i}: {'bonjour le monde ' * (i % 7 + 1)}{i * 7919}.",
            url=f"https://s{i}.example/",
        )
        for i in range(n)
    ]
    version = store.create_version("web", docs, reason="test")
    return store, store.shard_file(version.shards[0])


def test_corrupt_page_mid_shard_names_the_shard(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, shard = _store(workspace)
    data = bytearray(shard.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 2000):  # inside the column data, not the footer
        data[i] ^= 0xFF
    shard.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=rf"{shard.name}: unreadable shard from row \d+"):
        list(iter_shard(shard))
    out = tmp_path / "out.jsonl"
    code, err = run_cli(
        capsys, "dataset", "export", "web", "-o", str(out), "-w", str(workspace.root)
    )
    assert code == exitcodes.FAILURE
    assert says(err, "unreadable shard from row") and "Traceback" not in err


def test_foreign_parquet_file_is_not_a_document_shard(workspace: Workspace) -> None:
    store, shard = _store(workspace, n=5)
    pq.write_table(pa.table({"x": [1, 2]}), shard)
    with pytest.raises(
        StoreError, match=rf"{shard.name}: not a document shard \(no 'doc_id' column\)"
    ):
        list(store.iter_documents("web"))


def test_bad_signals_json_names_the_row(workspace: Workspace) -> None:
    store, shard = _store(workspace, n=5)
    table = pq.read_table(shard)
    index = table.schema.get_field_index("signals")
    bad = ["{}"] * table.num_rows
    bad[3] = "{bad json"
    table = table.set_column(index, table.schema.field(index), pa.array(bad, pa.string()))
    pq.write_table(table, shard)
    with pytest.raises(
        StoreError, match=rf"{shard.name}: row 3: not a valid document \(signals is not JSON"
    ):
        list(store.iter_documents("web"))


@pytest.mark.parametrize(
    ("shards", "reason"),
    [
        ('{"x": 1}', "'shards' holds no shard list"),
        (
            '{"shards": [{"hash": "../../etc/passwd", "documents": 1, "bytes": 1}]}',
            "shard entry 0 is malformed",
        ),
        ("not json", "a stored value cannot be decoded"),
    ],
    ids=["no shard list", "hash outside the store", "not JSON"],
)
def test_tampered_shard_list_is_a_ledger_error(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], shards: str, reason: str
) -> None:
    _store(workspace, n=5)
    with sqlite3.connect(workspace.root / "ledger.sqlite") as db:
        db.execute("UPDATE dataset_versions SET shards = ?", (shards,))
    with pytest.raises(LedgerError, match=f"dataset 'web' v1 is corrupt: {reason}"):
        DatasetStore(workspace).get("web")
    code, err = run_cli(capsys, "dataset", "list", "-w", str(workspace.root))
    assert code == exitcodes.FAILURE
    assert says(err, f"ledger record of dataset 'web' v1 is corrupt: {reason}")
    assert "Traceback" not in err
