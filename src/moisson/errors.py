"""The one exception tree of moisson.

Catch :class:`MoissonError` to handle anything the library raises on purpose::

    try:
        workspace = Workspace.open(path)
    except moisson.MoissonError as exc:
        console.print(f"error: {exc}")

Tree (each class also inherits the matching builtin where one fits)::

    * MoissonError
      + ConfigError (ValueError)           a policy file key is missing or wrong
      + WorkspaceError                     no workspace, or a broken one
      + InputError (ValueError)            a source file or record cannot be read
        - RecordError                      one record of a file is malformed
      + LedgerError                        the ledger refuses an operation
        - TamperedLedgerError              the hash chain of the audit log is broken
        - ObjectionWindowError             a version is released before its objection window ends
      + StoreError                         a shard or manifest is missing or corrupt
      + DatasetNotFoundError (LookupError) no such dataset or version
      + MissingDependencyError (ImportError) an optional extra is not installed
      + OptoutError                        an opt-out evaluation could not run
      + RightsError                        a rights request breaks a rule (deadline, state)
      + AuditError                         a model audit cannot run as configured

Exit codes of the command line are documented in :mod:`moisson.cli.exitcodes`.
"""

from __future__ import annotations

__all__ = (
    "AuditError",
    "ConfigError",
    "DatasetNotFoundError",
    "InputError",
    "LedgerError",
    "MissingDependencyError",
    "MoissonError",
    "ObjectionWindowError",
    "OptoutError",
    "RecordError",
    "RightsError",
    "StoreError",
    "TamperedLedgerError",
    "WorkspaceError",
)


class MoissonError(Exception):
    """Root of every error moisson raises on purpose."""


class ConfigError(MoissonError, ValueError):
    """A policy or configuration value is missing or invalid; the message names the key."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.path = path


class WorkspaceError(MoissonError):
    """The workspace is missing, incomplete or unreadable."""


class InputError(MoissonError, ValueError):
    """A source file cannot be read; carries the file and the reason."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class RecordError(InputError):
    """One record of a source file is malformed.

    ``location`` is a line number for JSONL, a byte offset for WARC, a row index for Parquet.
    """

    def __init__(self, reason: str, *, path: str, location: str, raw: bytes | None = None) -> None:
        msg = f"{path} at {location}: {reason}"
        super().__init__(msg, path=path)
        self.reason = reason
        self.location = location
        self.raw = raw


class LedgerError(MoissonError):
    """The ledger refuses an operation (unknown version, immutable record, ...)."""


class TamperedLedgerError(LedgerError):
    """The audit log's hash chain does not verify; ``entry_id`` is the first bad entry."""

    def __init__(self, message: str, *, entry_id: int) -> None:
        super().__init__(message)
        self.entry_id = entry_id


class ObjectionWindowError(LedgerError):
    """A dataset version cannot be released for training yet (SCR-08b); ``until`` says when."""

    def __init__(self, message: str, *, until: str) -> None:
        super().__init__(message)
        self.until = until


class StoreError(MoissonError):
    """A shard, attribute file or manifest is missing or corrupt."""


class DatasetNotFoundError(MoissonError, LookupError):
    """No dataset, or no such version of it, in this workspace."""


class MissingDependencyError(MoissonError, ImportError):
    """An optional part is used without its extra installed."""

    def __init__(self, package: str, extra: str) -> None:
        msg = f"{package} is not installed: pip install 'moisson[{extra}]'"
        super().__init__(msg)
        self.package = package
        self.extra = extra


class OptoutError(MoissonError):
    """An opt-out evaluation could not run (not a refusal: refusals are decisions)."""


class RightsError(MoissonError):
    """A rights request operation breaks a rule (deadline passed, wrong state, unknown id)."""


class AuditError(MoissonError):
    """A model audit cannot run as configured."""
