"""moisson: build AI training data and models the way the GDPR and the CNIL expect, and prove it.

The public surface of the core; each pillar's own API lives in its subpackage
(``moisson.optout``, ``moisson.pii``, ``moisson.persons``, ``moisson.rights``, ``moisson.audit``,
``moisson.registry``, ``moisson.reports``).
"""

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
from moisson.ledger import Ledger
from moisson.pipeline import Filter, Mapper, Step, TaskContext, collection_steps, ingest
from moisson.store import DatasetStore, DatasetVersion, Document
from moisson.workspace import Policy, Workspace

__version__ = "0.1.0"

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
