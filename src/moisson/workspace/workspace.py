"""A workspace: one folder holding a policy, a secret, a ledger and the data.

Layout::

    moisson.toml          the collection policy (SCR-01)
    .secret               per-workspace key for keyed hashes, mode 0600, never logged
    ledger.sqlite         the ledger (unless MOISSON_DATABASE_URL points elsewhere)
    shards/               content-addressed Parquet shards shared by dataset versions
    attributes/           sidecar attribute files keyed by doc_id (PII-05)
    runs/                 staging folders of pipeline runs, with completion markers
    quarantine/           records that could not be read, kept for inspection
    reports/              generated HTML reports
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from moisson.errors import WorkspaceError
from moisson.workspace.config import Policy, load_policy

__all__ = ("POLICY_FILE", "SECRET_FILE", "Workspace")

POLICY_FILE = "moisson.toml"
SECRET_FILE = ".secret"
SECRET_BYTES = 32  # the key written by `init`, stored as 64 hexadecimal characters
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_FOLDERS = ("shards", "attributes", "runs", "quarantine", "reports", "models")


@dataclass
class Workspace:
    """Handle on a workspace folder. Create with :meth:`init`, open with :meth:`open`."""

    root: Path
    _policy: Policy | None = field(default=None, repr=False)

    @classmethod
    def init(
        cls, root: Path, *, policy_text: str | None = None, exist_ok: bool = False
    ) -> Workspace:
        root = root.resolve()
        policy_path = root / POLICY_FILE
        if policy_path.exists() and not exist_ok:
            msg = f"{root} is already a workspace"
            raise WorkspaceError(msg)
        root.mkdir(parents=True, exist_ok=True)
        for name in _FOLDERS:
            (root / name).mkdir(exist_ok=True)
        if not policy_path.exists():
            if policy_text is None:
                policy_text = (
                    resources.files("moisson.workspace")
                    .joinpath("template.toml")
                    .read_text("utf-8")
                )
            policy_path.write_text(policy_text, encoding="utf-8")
        secret_path = root / SECRET_FILE
        if not secret_path.exists():
            fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(SECRET_BYTES))
        ws = cls(root)
        ws.policy  # validate now, not on first use  # noqa: B018
        from moisson.ledger import Ledger

        Ledger.open(ws).close()
        return ws

    @classmethod
    def open(cls, root: Path | None = None) -> Workspace:
        """Open the workspace at ``root``, or the nearest parent of the cwd holding a policy."""
        if root is None:
            env = os.environ.get("MOISSON_WORKSPACE")
            start = Path(env) if env else Path.cwd()
            for candidate in (start, *start.resolve().parents):
                if (candidate / POLICY_FILE).exists():
                    root = candidate
                    break
            else:
                msg = f"no {POLICY_FILE} in {start} or its parents: run 'moisson init' first"
                raise WorkspaceError(msg)
        root = root.resolve()
        if not (root / POLICY_FILE).exists():
            msg = f"{root} is not a workspace (no {POLICY_FILE}): run 'moisson init {root}'"
            raise WorkspaceError(msg)
        for name in _FOLDERS:
            (root / name).mkdir(exist_ok=True)
        ws = cls(root)
        ws.policy  # a broken policy is reported when the workspace is opened  # noqa: B018
        return ws

    @property
    def policy_path(self) -> Path:
        return self.root / POLICY_FILE

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            self._policy = load_policy(self.policy_path)
        return self._policy

    def reload_policy(self) -> Policy:
        self._policy = None
        return self.policy

    @cached_property
    def secret(self) -> bytes:
        path = self.root / SECRET_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            msg = f"{path} is missing: keyed hashes cannot be computed"
            raise WorkspaceError(msg) from None
        text = raw.strip()
        # Exactly the key `init` wrote (SECRET_BYTES, hex). A shorter or empty key would still
        # "work": every pseudonym and person-index hash would be an HMAC under a weak or empty
        # key, guessable by anyone (PII-03). Refuse, naming the file, rather than degrade.
        if len(text) != 2 * SECRET_BYTES or not all(c in _HEX_DIGITS for c in text):
            got = "empty" if not text else f"{len(text)} characters"
            msg = (
                f"{path}: not a workspace secret ({got}; expected {2 * SECRET_BYTES} "
                "hexadecimal characters): restore it from a backup"
            )
            raise WorkspaceError(msg)
        return bytes.fromhex(text.decode("ascii"))

    def keyed_hash(self, value: str, *, purpose: str = "id") -> str:
        """HMAC-SHA256 of a normalised identifier with the workspace secret, hex.

        ``purpose`` separates domains (person index, pseudonym tokens) so a hash from one
        cannot be matched against the other.
        """
        return hmac.new(self.secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()

    @property
    def database_url(self) -> str:
        return os.environ.get("MOISSON_DATABASE_URL") or f"sqlite:///{self.root / 'ledger.sqlite'}"

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)
