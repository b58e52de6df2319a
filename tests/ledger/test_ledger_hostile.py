"""A damaged or edited ledger: a clear error or a TAMPERED verdict naming the entry (RGT-07),
never a sqlalchemy or JSON traceback, and never a silently re-created empty ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cli_calls import run_cli, says
from moisson.cli import exitcodes
from moisson.errors import LedgerError, TamperedLedgerError
from moisson.ledger import Ledger
from moisson.store import DatasetStore, Document
from moisson.workspace import Workspace


def _with_data(workspace: Workspace) -> Path:
    """A workspace with one dataset version and a few audit entries; its ledger file."""
    store = DatasetStore(workspace)
    store.create_version("web", [Document.new("Bonjour.", url="https://a.example/")], reason="t")
    store.ledger.close()
    with Ledger.open(workspace) as ledger:
        for i in range(3):
            ledger.append_audit("test.event", subject=f"s{i}", details={"i": i})
    return workspace.root / "ledger.sqlite"


@pytest.mark.parametrize(
    "damage",
    [lambda b: b[: len(b) // 3], lambda b: b"garbage!" * (len(b) // 8)],
    ids=["truncated", "overwritten"],
)
def test_damaged_database_file_is_a_clear_error(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    path = _with_data(workspace)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    for argv in (["ledger", "verify"], ["dataset", "list"]):
        code, err = run_cli(capsys, *argv, "-w", str(workspace.root))
        assert code == exitcodes.FAILURE
        assert says(err, f"{path}: not a readable ledger database")
        assert "Traceback" not in err and "sqlalchemy" not in err


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [("details", "not json", "JSONDecodeError"), ("at", "garbage", "ValueError")],
)
def test_undecodable_audit_row_is_tampering_named_by_entry(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], column: str, value: str, kind: str
) -> None:
    path = _with_data(workspace)
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE audit_log SET {column} = ? WHERE id = 3", (value,))
    with Ledger.open(workspace) as ledger, pytest.raises(TamperedLedgerError) as info:
        ledger.verify()
    assert info.value.entry_id == 3
    code, err = run_cli(capsys, "ledger", "verify", "-w", str(workspace.root))
    assert code == exitcodes.FAILURE
    assert says(err, f"TAMPERED: audit log entry 3: a stored value cannot be decoded ({kind})")
    assert "Traceback" not in err


def test_audit_value_chosen_by_the_editor_is_not_console_markup(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """The decoder quotes the stored value; a '[/x]' in it must not reach the console markup."""
    path = _with_data(workspace)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audit_log SET at = '[/x]' WHERE id = 2")
    code, err = run_cli(capsys, "ledger", "verify", "-w", str(workspace.root))
    assert code == exitcodes.FAILURE
    assert says(err, "TAMPERED: audit log entry 2") and "Traceback" not in err


def test_appending_after_an_undecodable_entry_keeps_the_chain(workspace: Workspace) -> None:
    path = _with_data(workspace)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audit_log SET details = 'not json' WHERE id = 2")
    with Ledger.open(workspace) as ledger:
        ledger.append_audit("after.edit")
        assert ledger.head_hash() != "0" * 64
        with pytest.raises(TamperedLedgerError) as info:
            ledger.verify()
    assert info.value.entry_id == 2


@pytest.mark.parametrize("state", ["empty", "missing"])
def test_lost_ledger_with_datasets_on_disk_is_refused(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], state: str
) -> None:
    path = _with_data(workspace)
    for extra in path.parent.glob("ledger.sqlite-*"):  # WAL and shared-memory files
        extra.unlink()
    if state == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
    with pytest.raises(LedgerError, match="the ledger was lost or truncated"):
        Ledger.open(workspace)
    code, err = run_cli(capsys, "ledger", "verify", "-w", str(workspace.root))
    assert code == exitcodes.FAILURE
    assert says(err, f"{path} is {'empty (0 bytes)' if state == 'empty' else 'missing'}")
    assert not says(err, "audit log intact") and "Traceback" not in err
    assert not path.exists() or path.stat().st_size == 0  # nothing re-created over it
