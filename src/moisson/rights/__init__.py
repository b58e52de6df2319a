"""Rights of the people in the data: find, requests with legal deadlines, erasure, output
filter (RGT-01 to RGT-07)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
    from moisson.rights.find import FindResult, find_person
    from moisson.rights.identifiers import HashedIdentifier, SuppliedIdentifiers, hash_identifiers
    from moisson.rights.output_filter import FilterResult, OutputFilter
    from moisson.rights.regurgitation import replay, report_regurgitation
    from moisson.rights.requests import KINDS, REFUSAL_BASES, RequestDesk, RequestView
    from moisson.rights.suppression import SuppressionFilter, SuppressionList

# Imported on first use: ``moisson rights ...`` and ``moisson --help`` must not pay for the
# ledger's SQLAlchemy and the store's pyarrow before a command needs them (moisson/_lazy.py).
_LAZY = {
    "FindResult": "moisson.rights.find",
    "find_person": "moisson.rights.find",
    "HashedIdentifier": "moisson.rights.identifiers",
    "SuppliedIdentifiers": "moisson.rights.identifiers",
    "hash_identifiers": "moisson.rights.identifiers",
    "FilterResult": "moisson.rights.output_filter",
    "OutputFilter": "moisson.rights.output_filter",
    "replay": "moisson.rights.regurgitation",
    "report_regurgitation": "moisson.rights.regurgitation",
    "KINDS": "moisson.rights.requests",
    "REFUSAL_BASES": "moisson.rights.requests",
    "RequestDesk": "moisson.rights.requests",
    "RequestView": "moisson.rights.requests",
    "SuppressionFilter": "moisson.rights.suppression",
    "SuppressionList": "moisson.rights.suppression",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())

__all__ = (
    "KINDS",
    "REFUSAL_BASES",
    "FilterResult",
    "FindResult",
    "HashedIdentifier",
    "OutputFilter",
    "RequestDesk",
    "RequestView",
    "SuppliedIdentifiers",
    "SuppressionFilter",
    "SuppressionList",
    "find_person",
    "hash_identifiers",
    "replay",
    "report_regurgitation",
)
