"""The controller's own opt-out list, the "liste repoussoir" (SCR-08, CNIL web-scraping).

Domains object for themselves and their subdomains; people object through keyed hashes
(HMAC with the workspace secret) of their identifiers, never stored in clear (brief, privacy
of the tool). The public register sync writes ``optout/register-domains.txt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from moisson.errors import ConfigError
from moisson.optout._urls import registrable_host

if TYPE_CHECKING:
    from moisson.workspace import Workspace

__all__ = ("LocalOptoutList",)

_DOMAIN_FILES = ("domains.txt", "register-domains.txt")
_HASH_FILE = "identifier-hashes.txt"


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number, entry) of a list file; comments and blank lines dropped."""
    if not path.exists():
        return []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot be read: {exc.strerror or exc}"
        raise ConfigError(msg, path=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Name the file and the line: the operator must fix the list, and no entry is dropped
        # silently (an objection that is not read is an objection ignored, SCR-08).
        line_no = raw.count(b"\n", 0, exc.start) + 1
        msg = f"{path}: line {line_no}: not UTF-8 (byte {raw[exc.start]:#04x})"
        raise ConfigError(msg, path=str(path)) from None
    out = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((line_no, line))
    return out


def _check_domain(entry: str, where: str, path: Path | None) -> None:
    """Raise ConfigError when ``entry`` has no readable host (a broken IPv6 literal...)."""
    try:
        registrable_host(entry)
    except ValueError as exc:
        msg = f"{where}: {entry!r} is not a domain or URL ({exc})"
        raise ConfigError(msg, path=str(path) if path else None) from None


class LocalOptoutList:
    """Objecting domains (subdomains included) and keyed hashes of objecting people."""

    def __init__(self, domains: Iterable[str] = (), identifier_hashes: Iterable[str] = ()) -> None:
        hosts: set[str] = set()
        for domain in domains:
            try:
                host = registrable_host(domain)
            except ValueError as exc:
                msg = f"opt-out domain {domain!r} is not a domain or URL ({exc})"
                raise ConfigError(msg) from None
            if host:
                hosts.add(host)
        self.domains = frozenset(hosts)
        self.identifier_hashes = frozenset(
            h.strip().lower() for h in identifier_hashes if h.strip()
        )

    @classmethod
    def load(cls, workspace: Workspace) -> LocalOptoutList:
        """Policy ``optout.optout_domains`` plus ``optout/domains.txt`` and the register's file."""
        folder = workspace.root / "optout"
        domains = list(workspace.policy.optout.optout_domains)
        for entry in domains:
            _check_domain(entry, "policy optout.optout_domains", None)
        for name in _DOMAIN_FILES:
            path = folder / name
            for line_no, entry in _lines(path):
                _check_domain(entry, f"{path}: line {line_no}", path)
                domains.append(entry)
        return cls(domains, [entry for _, entry in _lines(folder / _HASH_FILE)])

    def match_host(self, host: str) -> str | None:
        """The listed domain covering ``host`` (itself or a parent), or None."""
        if not self.domains:
            return None
        host = registrable_host(host)
        while host:
            if host in self.domains:
                return host
            _, dot, host = host.partition(".")
            if not dot:
                return None
        return None

    def match_url(self, url: str) -> str | None:
        return self.match_host(registrable_host(url))

    def match_identifiers(self, hashes: Iterable[str]) -> str | None:
        """The first keyed hash that is on the list, or None."""
        if not self.identifier_hashes:
            return None
        for value in hashes:
            if value.lower() in self.identifier_hashes:
                return value
        return None

    def __len__(self) -> int:
        return len(self.domains) + len(self.identifier_hashes)
