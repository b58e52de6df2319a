"""moisson: build AI training data and models the way the GDPR and the CNIL expect, and prove it.

The public surface of the core; each pillar's own API lives in its subpackage
(``moisson.optout``, ``moisson.pii``, ``moisson.persons``, ``moisson.rights``, ``moisson.audit``,
``moisson.registry``, ``moisson.reports``). Names are imported on first use, so that
``import moisson`` (and every command) starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes
from moisson.errors import (
    AuditError,
    ConfigError,
    DatasetNotFoundError,
    InputError,
    LedgerError,
    MissingDependencyError,
    MoissonError,
    OptoutError,
    RecordError,
    RightsError,
    StoreError,
    TamperedLedgerError,
    WorkspaceError,
)

if TYPE_CHECKING:
    from moisson.ledger import Ledger
    from moisson.pipeline import Filter, Mapper, Step, TaskContext, collection_steps, ingest
    from moisson.store import DatasetStore, DatasetVersion, Document
    from moisson.workspace import Policy, Workspace

__version__ = "0.1.0"

_LAZY = {
    "Ledger": "moisson.ledger",
    "Filter": "moisson.pipeline",
    "Mapper": "moisson.pipeline",
    "Step": "moisson.pipeline",
    "TaskContext": "moisson.pipeline",
    "collection_steps": "moisson.pipeline",
    "ingest": "moisson.pipeline",
    "DatasetStore": "moisson.store",
    "DatasetVersion": "moisson.store",
    "Document": "moisson.store",
    "Policy": "moisson.workspace",
    "Workspace": "moisson.workspace",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = (
    "AuditError",
    "ConfigError",
    "DatasetNotFoundError",
    "DatasetStore",
    "DatasetVersion",
    "Document",
    "Filter",
    "InputError",
    "Ledger",
    "LedgerError",
    "Mapper",
    "MissingDependencyError",
    "MoissonError",
    "OptoutError",
    "Policy",
    "RecordError",
    "RightsError",
    "Step",
    "StoreError",
    "TamperedLedgerError",
    "TaskContext",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "collection_steps",
    "ingest",
)
