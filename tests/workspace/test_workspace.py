from __future__ import annotations

import stat
from pathlib import Path

import pytest

from moisson.errors import ConfigError, WorkspaceError
from moisson.workspace import Workspace


def test_init_creates_policy_secret_and_ledger(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "w")
    assert (ws.root / "moisson.toml").exists()
    assert (ws.root / "ledger.sqlite").exists()
    mode = stat.S_IMODE((ws.root / ".secret").stat().st_mode)
    assert mode == 0o600
    assert len(ws.secret) == 32


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "w")
    with pytest.raises(WorkspaceError, match="already a workspace"):
        Workspace.init(tmp_path / "w")


def test_keyed_hash_is_per_workspace_and_per_purpose(tmp_path: Path) -> None:
    a = Workspace.init(tmp_path / "a")
    b = Workspace.init(tmp_path / "b")
    value = "jean.dupont@exemple.fr"
    assert a.keyed_hash(value) == a.keyed_hash(value)
    assert a.keyed_hash(value) != b.keyed_hash(value)
    assert a.keyed_hash(value, purpose="person") != a.keyed_hash(value, purpose="pseudonym")
    assert value not in a.keyed_hash(value)


def test_open_finds_the_workspace_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.init(tmp_path / "w")
    sub = ws.root / "reports"
    monkeypatch.chdir(sub)
    monkeypatch.delenv("MOISSON_WORKSPACE", raising=False)
    assert Workspace.open().root == ws.root


def test_open_without_workspace_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOISSON_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceError, match="moisson init"):
        Workspace.open()


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[collection]\nlanguages = ["french"]\n', "collection.languages", "ISO 639-1"),
        ("[crawler]\nconcurency_per_host = 3\n", "crawler.concurency_per_host", "Extra inputs"),
        ('[pii]\ndefault_action = "hide"\n', "pii.default_action", "keep"),
        ("[collection]\nmin_chars = -5\n", "collection.min_chars", "greater than or equal"),
    ],
)
def test_policy_errors_name_the_key(tmp_path: Path, text: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        Workspace.init(tmp_path / "w", policy_text=text)
    assert info.value.key == key
    assert key in str(info.value) and problem in str(info.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"moisson\.toml: not valid TOML"):
        Workspace.init(tmp_path / "w", policy_text="name = [unclosed\n")


def test_policy_hash_changes_with_the_policy(tmp_path: Path) -> None:
    a = Workspace.init(tmp_path / "a", policy_text="[collection]\nmin_chars = 10\n")
    b = Workspace.init(tmp_path / "b", policy_text="[collection]\nmin_chars = 11\n")
    c = Workspace.init(tmp_path / "c", policy_text="[collection]\nmin_chars = 10\n")
    assert a.policy.policy_hash() != b.policy.policy_hash()
    assert a.policy.policy_hash() == c.policy.policy_hash()
