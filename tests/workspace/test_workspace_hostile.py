"""A policy saved in the wrong encoding, a damaged secret: errors that name the file, never a
decoding traceback, and never keyed hashes under a short or empty key (PII-03)."""

from __future__ import annotations

import pytest

from cli_calls import run_cli, says
from moisson.cli import exitcodes
from moisson.errors import ConfigError, WorkspaceError
from moisson.workspace import Workspace


def test_latin1_policy_names_the_file_and_the_byte(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = workspace.root / "moisson.toml"
    text = 'name = "corpus"\ncontroller = "Société Exemple"\n'
    policy.write_bytes(text.encode("latin-1"))
    offset = text.encode("latin-1").index(b"\xe9")
    with pytest.raises(ConfigError, match=rf"not UTF-8 \(byte 0xe9 at offset {offset}\)"):
        Workspace.open(workspace.root)
    code, err = run_cli(capsys, "dataset", "list", "-w", str(workspace.root))
    assert code == exitcodes.CONFIG
    assert says(err, f"{policy}: not UTF-8 (byte 0xe9 at offset {offset})")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"", "empty"),
        (b"abc", "3 characters"),
        (b"ab" * 16, "32 characters"),  # a valid hex string, but a 16-byte key
        (b"zz" * 32, "64 characters"),  # the right length, not hexadecimal
        (b"\xe9" * 64, "64 characters"),
    ],
    ids=["empty", "truncated", "half key", "not hex", "not text"],
)
def test_damaged_secret_is_refused(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], content: bytes, shown: str
) -> None:
    secret = workspace.root / ".secret"
    secret.write_bytes(content)
    ws = Workspace.open(workspace.root)
    with pytest.raises(WorkspaceError, match=rf"\.secret: not a workspace secret \({shown};"):
        ws.keyed_hash("jean.dupont@exemple.fr")
    source = workspace.root / "in.jsonl"
    source.write_text('{"id": "1", "text": "Bonjour le monde."}\n', encoding="utf-8")
    argv = ["ingest", str(source), "-d", "web", "--workers", "1", "-w", str(workspace.root)]
    code, err = run_cli(capsys, *argv)
    assert code == exitcodes.NOT_FOUND
    assert says(err, f"{secret}: not a workspace secret ({shown}; expected 64 hexadecimal")
    assert "Traceback" not in err


def test_secret_with_a_trailing_newline_still_opens(workspace: Workspace) -> None:
    before = workspace.keyed_hash("x")
    secret = workspace.root / ".secret"
    secret.write_text(secret.read_text() + "\n")
    assert Workspace.open(workspace.root).keyed_hash("x") == before
