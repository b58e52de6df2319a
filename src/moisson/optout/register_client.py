"""Client of the public register's opt-out feed (REG-03, REG-04; SCR-08).

``sync(workspace, url)`` reads the signed, incremental feed of objecting domains and writes
``optout/register-domains.txt`` (read by :meth:`LocalOptoutList.load`), keeping the cursor, ETag
and the register's public key in ``optout/register-state.json``. The key is pinned on first use:
a feed signed by another key is refused.

``RegisterClient(url).identifier_objected(normalised)`` checks one identifier with the
k-anonymity model of Have I Been Pwned: only the first 5 hex characters of its SHA-256 leave the
machine, and the match happens here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from moisson.errors import OptoutError

if TYPE_CHECKING:
    from moisson.workspace import Workspace

__all__ = (
    "DOMAINS_FILE",
    "STATE_FILE",
    "FeedPage",
    "RegisterClient",
    "SyncResult",
    "sync",
)

DOMAINS_FILE = "register-domains.txt"
STATE_FILE = "register-state.json"
SIGNATURE_HEADER = "X-Moisson-Signature"
PREFIX_LENGTH = 5


@dataclass(frozen=True)
class FeedPage:
    """One verified page of the domain feed."""

    since: int
    cursor: int
    added: list[str]
    removed: list[str]
    etag: str | None


@dataclass(frozen=True)
class SyncResult:
    """What a sync changed: domains added and removed, the total listed, the new cursor."""

    added: int
    removed: int
    total: int
    cursor: int
    not_modified: bool


def _verify(body: bytes, signature_b64: str, public_key_b64: str) -> bool:
    import base64

    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64), body)
    except (InvalidSignature, ValueError):
        return False
    return True


class RegisterClient:
    """Talks to one register; ``public_key`` pins the feed key (fetched when not given)."""

    def __init__(
        self,
        url: str,
        *,
        public_key: str | None = None,
        timeout: float = 10.0,
        http: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._public_key = public_key
        self._http = http or httpx.Client(timeout=timeout, headers={"User-Agent": "moisson"})
        self._prefix_cache: dict[str, frozenset[str]] = {}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegisterClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _get(self, path: str, **kwargs: Any) -> httpx.Response:
        url = f"{self.url}{path}"
        try:
            response = self._http.get(url, **kwargs)
        except httpx.HTTPError as exc:
            msg = f"register {self.url} unreachable ({path}): {exc}"
            raise OptoutError(msg) from None
        if response.status_code not in (200, 304):
            msg = f"register {url} answered HTTP {response.status_code}"
            raise OptoutError(msg)
        return response

    @property
    def public_key(self) -> str:
        if self._public_key is None:
            data = self._get("/api/v1/optout/public-key").json()
            if data.get("algorithm") != "Ed25519" or not isinstance(data.get("public_key"), str):
                msg = f"register {self.url}: unexpected public key answer"
                raise OptoutError(msg)
            self._public_key = str(data["public_key"])
        return self._public_key

    def domain_feed(self, since: int = 0, *, etag: str | None = None) -> FeedPage | None:
        """The feed page after ``since``; None when the ETag still matches (HTTP 304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._get("/api/v1/optout/domains", params={"since": since}, headers=headers)
        if response.status_code == 304:
            return None
        signature = response.headers.get(SIGNATURE_HEADER, "")
        if not _verify(response.content, signature, self.public_key):
            msg = f"register {self.url}: the feed signature does not verify; feed refused"
            raise OptoutError(msg)
        data = json.loads(response.content)
        return FeedPage(
            since=int(data["since"]),
            cursor=int(data["cursor"]),
            added=[str(d) for d in data["added"]],
            removed=[str(d) for d in data["removed"]],
            etag=response.headers.get("ETag"),
        )

    def hash_objected(self, sha256_hex: str) -> bool:
        """Whether the SHA-256 (hex) of a normalised identifier is on the register."""
        value = sha256_hex.lower()
        prefix, suffix = value[:PREFIX_LENGTH], value[PREFIX_LENGTH:]
        suffixes = self._prefix_cache.get(prefix)
        if suffixes is None:
            text = self._get(f"/api/v1/optout/identifiers/{prefix}").text
            suffixes = frozenset(line.strip() for line in text.splitlines() if line.strip())
            self._prefix_cache[prefix] = suffixes
        return suffix in suffixes

    def identifier_objected(self, normalised_identifier: str) -> bool:
        """Whether a person objected with this identifier (already normalised, RGT-02).

        Only the 5-character hash prefix is sent (k-anonymity); the identifier never leaves.
        """
        return self.hash_objected(hashlib.sha256(normalised_identifier.encode("utf-8")).hexdigest())


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _read_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: unreadable register state ({exc}); delete it to resync from scratch"
        raise OptoutError(msg) from None
    return state if isinstance(state, dict) else {}


def sync(
    workspace: Workspace | Path, url: str, *, client: RegisterClient | None = None
) -> SyncResult:
    """Bring ``optout/register-domains.txt`` up to date with the register's feed (REG-04)."""
    root = workspace if isinstance(workspace, Path) else workspace.root
    folder = root / "optout"
    folder.mkdir(parents=True, exist_ok=True)
    state_path, domains_path = folder / STATE_FILE, folder / DOMAINS_FILE
    state = _read_state(state_path)
    if state.get("register") != url.rstrip("/"):
        state = {}  # another register: start over
    owns_client = client is None
    client = client or RegisterClient(url, public_key=state.get("public_key"))
    try:
        since = int(state.get("cursor", 0))
        page = client.domain_feed(since, etag=state.get("etag"))
        current = set()
        if since and domains_path.exists():
            current = {
                line.strip()
                for line in domains_path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")
            }
        if page is None:
            return SyncResult(0, 0, len(current), since, not_modified=True)
        added = set(page.added) - current
        removed = set(page.removed) & current
        domains = (current | set(page.added)) - set(page.removed)
        header = (
            f"# objecting domains from the public register {client.url} (moisson optout sync)\n"
        )
        _write_atomic(domains_path, header + "".join(f"{d}\n" for d in sorted(domains)))
        state = {
            "register": client.url,
            "cursor": page.cursor,
            "etag": page.etag,
            "public_key": client.public_key,
        }
        _write_atomic(state_path, json.dumps(state, indent=2) + "\n")
        return SyncResult(len(added), len(removed), len(domains), page.cursor, not_modified=False)
    finally:
        if owns_client:
            client.close()
