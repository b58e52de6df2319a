"""Site-category exclusion (SCR-07): bundled domain lists plus the policy's own domains.

The lists live in ``moisson/crawl/categories/<category>.txt``; their source and scope are in
that folder's README. A host is excluded when it is a listed domain or one of its subdomains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from moisson.errors import ConfigError

__all__ = ("CATEGORY_DIR", "CategoryMatcher", "bundled_categories", "load_category")

CATEGORY_DIR = Path(__file__).with_name("categories")


def bundled_categories() -> list[str]:
    """Names of the bundled lists (``health``, ``religion``...)."""
    return sorted(p.stem for p in CATEGORY_DIR.glob("*.txt"))


def load_category(name: str) -> frozenset[str]:
    """The domains of one bundled list; an unknown category is a policy error."""
    path = CATEGORY_DIR / f"{name}.txt"
    if not path.exists():
        known = ", ".join(bundled_categories())
        msg = f"crawler.excluded_categories: no bundled list '{name}' (known: {known})"
        raise ConfigError(msg, key="crawler.excluded_categories")
    return frozenset(_domains(path.read_text(encoding="utf-8").splitlines()))


def _domains(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        entry = line.split("#", 1)[0].strip().lower().rstrip(".")
        if entry:
            yield entry


@dataclass(frozen=True, slots=True)
class CategoryMatcher:
    """``domain -> label`` for every excluded domain; ``match`` walks up the host's parents."""

    domains: dict[str, str]

    @classmethod
    def from_policy(cls, categories: Iterable[str], user_domains: Iterable[str]) -> CategoryMatcher:
        table: dict[str, str] = {}
        for category in categories:
            for domain in load_category(category):
                table.setdefault(domain, category)
        for domain in _domains(user_domains):
            table.setdefault(domain, "user-list")
        return cls(table)

    def match(self, host: str) -> str | None:
        """The category of ``host`` (or of a parent domain), None when not excluded."""
        host = host.lower().rstrip(".")
        while host:
            label = self.domains.get(host)
            if label is not None:
                return label
            _, _, host = host.partition(".")
        return None
