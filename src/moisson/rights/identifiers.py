"""What a person supplies to be found, turned into keyed hashes at once (RGT-02, RGT-03).

Clear values live only in the :class:`SuppliedIdentifiers` object for the time of one find
(the free-text scan needs them); requests and the audit log keep only
:class:`HashedIdentifier` values. Names yield every variant key (:func:`name_variants`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moisson.persons.normalise import fold_text, identifier_keys
from moisson.workspace import Workspace

__all__ = ("STRONG_LABELS", "HashedIdentifier", "SuppliedIdentifiers", "hash_identifiers")

# Labels that single a person out on their own; a name alone may be shared (art. 11).
STRONG_LABELS = frozenset({"EMAIL", "PHONE", "IBAN", "FR_NIR", "CREDIT_CARD", "IDENTIFIER"})


@dataclass(frozen=True, slots=True)
class HashedIdentifier:
    label: str
    key_hash: str


@dataclass
class SuppliedIdentifiers:
    """Identifiers in clear, as typed by the person or the operator. Never persisted."""

    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    nirs: list[str] = field(default_factory=list)

    def labelled(self) -> list[tuple[str, str]]:
        return [
            *(("EMAIL", v) for v in self.emails),
            *(("PHONE", v) for v in self.phones),
            *(("PERSON", v) for v in self.names),
            *(("IDENTIFIER", v) for v in self.identifiers),
            *(("IBAN", v) for v in self.ibans),
            *(("FR_NIR", v) for v in self.nirs),
        ]

    def free_text(self) -> list[str]:
        """Free-text identifiers (pseudonyms, profile URLs) for the text scan, folded."""
        return [t for t in (fold_text(v) for v in self.identifiers) if len(t) >= 4]

    def is_empty(self) -> bool:
        return not self.labelled()


def hash_identifiers(
    workspace: Workspace, supplied: SuppliedIdentifiers
) -> tuple[list[HashedIdentifier], list[str]]:
    """Keyed hashes of every usable key, and the labels of values that could not be read.

    The second list names types only (``"PHONE"``), never the rejected value.
    """
    hashed: list[HashedIdentifier] = []
    unusable: list[str] = []
    for label, value in supplied.labelled():
        keys = identifier_keys(label, value)
        if not keys:
            unusable.append(label)
        for key in keys:
            item = HashedIdentifier(label, workspace.keyed_hash(key, purpose="person"))
            if item not in hashed:
                hashed.append(item)
    return hashed, unusable
