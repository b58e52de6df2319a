"""The controller's own opt-out list, the "liste repoussoir" (SCR-08, CNIL web-scraping).

Domains object for themselves and their subdomains; people object through keyed hashes
(HMAC with the workspace secret) of their identifiers, never stored in clear (brief, privacy
of the tool). The public register sync writes ``optout/register-domains.txt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from moisson.optout._urls import registrable_host

if TYPE_CHECKING:
    from moisson.workspace import Workspace

__all__ = ("LocalOptoutList",)

_DOMAIN_FILES = ("domains.txt", "register-domains.txt")
_HASH_FILE = "identifier-hashes.txt"


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


class LocalOptoutList:
    """Objecting domains (subdomains included) and keyed hashes of objecting people."""

    def __init__(self, domains: Iterable[str] = (), identifier_hashes: Iterable[str] = ()) -> None:
        self.domains = frozenset(h for h in (registrable_host(d) for d in domains) if h)
        self.identifier_hashes = frozenset(
            h.strip().lower() for h in identifier_hashes if h.strip()
        )

    @classmethod
    def load(cls, workspace: Workspace) -> LocalOptoutList:
        """Policy ``optout.optout_domains`` plus ``optout/domains.txt`` and the register's file."""
        folder = workspace.root / "optout"
        domains = list(workspace.policy.optout.optout_domains)
        for name in _DOMAIN_FILES:
            domains.extend(_lines(folder / name))
        return cls(domains, _lines(folder / _HASH_FILE))

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
