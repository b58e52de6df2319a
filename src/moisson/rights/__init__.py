"""Rights of the people in the data: find, requests with legal deadlines, erasure, output
filter (RGT-01 to RGT-07)."""

from moisson.rights.find import FindResult, find_person
from moisson.rights.identifiers import HashedIdentifier, SuppliedIdentifiers, hash_identifiers
from moisson.rights.output_filter import FilterResult, OutputFilter
from moisson.rights.regurgitation import replay, report_regurgitation
from moisson.rights.requests import KINDS, REFUSAL_BASES, RequestDesk, RequestView
from moisson.rights.suppression import SuppressionFilter, SuppressionList

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
