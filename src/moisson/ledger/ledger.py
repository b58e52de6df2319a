"""The ledger: what ran, under which policy, what it produced, and who did what.

SQLite file in the workspace by default; PostgreSQL when ``MOISSON_DATABASE_URL`` says so. The
schema is managed by Alembic (``upgrade heads``: the core branch plus one branch per pillar).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from moisson.errors import LedgerError, TamperedLedgerError
from moisson.ledger.auditlog import GENESIS, entry_hash, verify_chain
from moisson.ledger.models import (
    AuditEntry,
    ModelTrainingSet,
    ModelVersionRow,
    Run,
    aware,
    utcnow,
)

if TYPE_CHECKING:
    from alembic.config import Config

    from moisson.workspace import Workspace

__all__ = ("Ledger", "ModelVersionRecord", "RunRecord")

_MIGRATED: set[str] = set()

# What SQLAlchemy raises when a stored value no longer decodes to its column type (a JSON
# column that is not JSON, a timestamp that is not a date): only an edit outside moisson
# leaves such a value, so in the audit log it is tamper evidence (RGT-07).
_UNDECODABLE = (ValueError, TypeError, OverflowError)
_LOCATE_CHUNK = 1000


@dataclass(frozen=True)
class RunRecord:
    id: int
    kind: str
    status: str
    policy_hash: str
    params: dict[str, Any]
    stats: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class ModelVersionRecord:
    id: int
    name: str
    path: str
    base_model: str | None
    created_at: datetime
    audit_status: str
    audit_report: str | None
    rights_status: str
    rights_note: str | None
    trained_on: list[tuple[str, int]]


def _run_record(row: Run) -> RunRecord:
    return RunRecord(
        id=row.id,
        kind=row.kind,
        status=row.status,
        policy_hash=row.policy_hash,
        params=dict(row.params or {}),
        stats=dict(row.stats or {}),
        started_at=aware(row.started_at),
        finished_at=aware(row.finished_at) if row.finished_at else None,
    )


def _tampered(entry_id: int, exc: BaseException) -> TamperedLedgerError:
    # The decoder's message may quote the stored value, which whoever edited the row chose:
    # name the entry and the kind of damage only (`ledger verify` prints it as console markup).
    msg = (
        f"audit log entry {entry_id}: a stored value cannot be decoded "
        f"({type(exc).__name__}): entry modified outside moisson"
    )
    return TamperedLedgerError(msg, entry_id=entry_id)


def _model_record(row: ModelVersionRow) -> ModelVersionRecord:
    return ModelVersionRecord(
        id=row.id,
        name=row.name,
        path=row.path,
        base_model=row.base_model,
        created_at=aware(row.created_at),
        audit_status=row.audit_status,
        audit_report=row.audit_report,
        rights_status=row.rights_status,
        rights_note=row.rights_note,
        trained_on=[(t.dataset_name, t.dataset_version) for t in row.training_sets],
    )


def _alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    location = resources.files("moisson.ledger").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _where(engine: Engine) -> str:
    """The ledger's file (SQLite) or its URL without the password, for error messages."""
    if engine.dialect.name == "sqlite" and engine.url.database:
        return engine.url.database
    return engine.url.render_as_string(hide_password=True)


def _unreadable(engine: Engine, exc: sa_exc.DBAPIError) -> LedgerError:
    msg = f"{_where(engine)}: not a readable ledger database ({exc.orig}); restore it from a backup"
    return LedgerError(msg)


def _is_damaged(exc: sa_exc.DBAPIError) -> bool:
    """A damaged database file, not a constraint or a lock: only the plain DatabaseError
    (sqlite3 raises it for "file is not a database" and "database disk image is malformed");
    IntegrityError and OperationalError are subclasses that callers may handle themselves."""
    return type(exc) is sa_exc.DatabaseError


def _has_data(root: Path) -> bool:
    return any(root.glob("datasets/*/v*.json")) or any(root.glob("shards/*/*.parquet"))


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


class Ledger:
    """Handle on the ledger database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, engine: Engine, *, lock_path: Path | None = None) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._lock_path = lock_path

    @classmethod
    def open(cls, workspace: Workspace) -> Ledger:
        url = workspace.database_url
        default = workspace.root / "ledger.sqlite"
        lost = not default.exists() or default.stat().st_size == 0
        # SQLite turns an empty or absent file into a fresh, empty ledger. With dataset
        # versions on disk that would silently forget their history and restart the audit
        # chain at zero (RGT-07, SCR-01): refuse, the ledger was lost or truncated.
        if url == f"sqlite:///{default}" and lost and _has_data(workspace.root):
            state = "is missing" if not default.exists() else "is empty (0 bytes)"
            msg = (
                f"{default} {state} but {workspace.root} holds dataset versions: "
                "the ledger was lost or truncated; restore it from a backup"
            )
            raise LedgerError(msg)
        return cls.open_url(url, lock_path=workspace.root / ".ledger.lock")

    @classmethod
    def open_url(cls, url: str, *, lock_path: Path | None = None) -> Ledger:
        engine = _engine(url)
        ledger = cls(engine, lock_path=lock_path)
        if url not in _MIGRATED:
            try:
                with ledger._exclusive():
                    ledger.migrate(url)
            except sa_exc.DatabaseError as exc:
                if not _is_damaged(exc):
                    raise
                engine.dispose()
                raise _unreadable(engine, exc) from None
            _MIGRATED.add(url)
        return ledger

    def migrate(self, url: str) -> None:
        """Bring the schema to every branch head (core and pillars)."""
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = _alembic_config(url)
        heads = set(ScriptDirectory.from_config(cfg).get_heads())
        with self.engine.begin() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            if current == heads:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error.

        A damaged database file (truncated, overwritten) is a :class:`LedgerError` naming the
        file, not a driver traceback.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sa_exc.DatabaseError as exc:
            if not _is_damaged(exc):
                raise
            raise _unreadable(self.engine, exc) from None

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Serialise writers of the hash chain across processes (file lock + PG advisory lock)."""
        if self._lock_path is None:
            yield
            return
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- audit log (RGT-07) -------------------------------------------------------------
    def append_audit(
        self,
        action: str,
        *,
        actor: str = "moisson",
        subject: str = "",
        details: dict[str, Any] | None = None,
    ) -> str:
        """Append an entry to the hash-chained log and return its hash.

        Never put people's identifiers in clear in ``details``: keyed hashes only.
        """
        details = dict(details or {})
        with self._exclusive(), self.session() as s:
            if self.engine.dialect.name == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(727274)"))
            # Only the link is read: an entry whose other columns were edited must not stop
            # new entries (verify reports it), and decoding it here would crash.
            last = s.execute(
                select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
            ).first()
            prev = last.hash if last else GENESIS
            next_id = (last.id + 1) if last else 1
            at = utcnow()
            digest = entry_hash(
                prev,
                entry_id=next_id,
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                details=details,
            )
            s.add(
                AuditEntry(
                    id=next_id,
                    at=at,
                    actor=actor,
                    action=action,
                    subject=subject,
                    details=details,
                    prev_hash=prev,
                    hash=digest,
                )
            )
        return digest

    def audit_entries(self) -> list[AuditEntry]:
        """Every audit entry in id order; an entry that no longer decodes (its details not
        JSON, its time not a date) is a :class:`TamperedLedgerError` naming it (RGT-07)."""
        try:
            with self.session() as s:
                return list(s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
        except _UNDECODABLE as exc:
            raise self._undecodable_entry(exc) from None

    def _undecodable_entry(self, first: BaseException) -> TamperedLedgerError:
        """Find the first entry that does not decode: chunks of ids, then one by one."""
        with self.session() as s:
            ids = list(s.execute(select(AuditEntry.id).order_by(AuditEntry.id)).scalars())
            for start in range(0, len(ids), _LOCATE_CHUNK):
                chunk = ids[start : start + _LOCATE_CHUNK]
                try:
                    s.execute(select(AuditEntry).where(AuditEntry.id.in_(chunk))).scalars().all()
                    continue
                except _UNDECODABLE:
                    pass
                finally:
                    s.expunge_all()
                for entry_id in chunk:
                    try:
                        s.execute(select(AuditEntry).where(AuditEntry.id == entry_id)).scalar()
                    except _UNDECODABLE as exc:
                        return _tampered(entry_id, exc)
                    finally:
                        s.expunge_all()
        return _tampered(ids[0] if ids else 0, first)  # pragma: no cover - decoded on retry

    def verify(self) -> int:
        """Verify the whole chain; return the number of entries or raise TamperedLedgerError."""
        return verify_chain(self.audit_entries())

    def head_hash(self) -> str:
        """Hash of the last audit entry: a fingerprint of the ledger's state."""
        with self.session() as s:
            last = s.execute(
                select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
            ).scalar()
            return last if last is not None else GENESIS

    # -- runs ----------------------------------------------------------------------------
    def start_run(
        self, kind: str, *, policy_hash: str, params: dict[str, Any], run_key: str | None = None
    ) -> int:
        with self.session() as s:
            run = Run(kind=kind, policy_hash=policy_hash, params=params, stats={}, run_key=run_key)
            s.add(run)
            s.flush()
            run_id = run.id
        self.append_audit(
            f"run.start.{kind}", subject=f"run:{run_id}", details={"policy_hash": policy_hash}
        )
        return run_id

    def find_unfinished_run(self, run_key: str) -> int | None:
        with self.session() as s:
            row = s.execute(
                select(Run)
                .where(Run.run_key == run_key, Run.status == "running")
                .order_by(Run.id.desc())
            ).scalar()
            return row.id if row else None

    def finish_run(self, run_id: int, *, status: str, stats: dict[str, int]) -> None:
        with self.session() as s:
            run = s.get(Run, run_id)
            if run is None:
                msg = f"no run {run_id}"
                raise LedgerError(msg)
            run.status = status
            run.stats = dict(stats)
            run.finished_at = utcnow()
        self.append_audit(
            f"run.{status}", subject=f"run:{run_id}", details={"stats_keys": len(stats)}
        )

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        with self.session() as s:
            q = select(Run).order_by(Run.id)
            if kind is not None:
                q = q.where(Run.kind == kind)
            return [_run_record(r) for r in s.execute(q).scalars()]

    # -- models --------------------------------------------------------------------------
    def register_model(
        self, name: str, *, path: str, base_model: str | None, trained_on: list[tuple[str, int]]
    ) -> ModelVersionRecord:
        with self.session() as s:
            row = ModelVersionRow(name=name, path=path, base_model=base_model)
            row.training_sets = [
                ModelTrainingSet(dataset_name=d, dataset_version=v) for d, v in trained_on
            ]
            s.add(row)
            s.flush()
            record = _model_record(row)
        self.append_audit(
            "model.register",
            subject=f"model:{record.id}",
            details={"name": name, "trained_on": [list(t) for t in trained_on]},
        )
        return record

    def models(self) -> list[ModelVersionRecord]:
        with self.session() as s:
            return [
                _model_record(r)
                for r in s.execute(select(ModelVersionRow).order_by(ModelVersionRow.id)).scalars()
            ]

    def get_model(self, model_id: int) -> ModelVersionRecord:
        with self.session() as s:
            row = s.get(ModelVersionRow, model_id)
            if row is None:
                msg = f"no model version {model_id}"
                raise LedgerError(msg)
            return _model_record(row)

    def models_trained_on(
        self, dataset: str, versions: Iterable[int] | None = None
    ) -> list[ModelVersionRecord]:
        wanted = set(versions) if versions is not None else None
        return [
            m
            for m in self.models()
            if any(d == dataset and (wanted is None or v in wanted) for d, v in m.trained_on)
        ]

    def set_model_status(
        self,
        model_id: int,
        *,
        audit_status: str | None = None,
        audit_report: str | None = None,
        rights_status: str | None = None,
        rights_note: str | None = None,
    ) -> ModelVersionRecord:
        changes: dict[str, Any] = {}
        with self.session() as s:
            row = s.get(ModelVersionRow, model_id)
            if row is None:
                msg = f"no model version {model_id}"
                raise LedgerError(msg)
            for key, value in (
                ("audit_status", audit_status),
                ("audit_report", audit_report),
                ("rights_status", rights_status),
                ("rights_note", rights_note),
            ):
                if value is not None:
                    setattr(row, key, value)
                    changes[key] = value
            s.flush()
            record = _model_record(row)
        self.append_audit("model.status", subject=f"model:{model_id}", details=changes)
        return record
