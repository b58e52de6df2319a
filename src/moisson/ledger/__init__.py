"""The ledger: runs, sources, dataset and model versions, and the hash-chained audit log."""

from moisson.ledger.ledger import Ledger, ModelVersionRecord, RunRecord

__all__ = ("Ledger", "ModelVersionRecord", "RunRecord")
