"""Pipeline: steps over documents, tasks over files, local and Ray executors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
    from moisson.pipeline.build import collection_steps, run_steps
    from moisson.pipeline.executors import Executor, LocalExecutor, RayExecutor, choose_executor
    from moisson.pipeline.ingestion import IngestResult, ingest
    from moisson.pipeline.step import AttributeSink, Filter, Mapper, Step, TaskContext

# Imported on first use: a command that needs one module must not pay for importing them all
# (the ledger's SQLAlchemy, the store's pyarrow) before it starts.
_LAZY = {
    "collection_steps": "moisson.pipeline.build",
    "run_steps": "moisson.pipeline.build",
    "Executor": "moisson.pipeline.executors",
    "LocalExecutor": "moisson.pipeline.executors",
    "RayExecutor": "moisson.pipeline.executors",
    "choose_executor": "moisson.pipeline.executors",
    "IngestResult": "moisson.pipeline.ingestion",
    "ingest": "moisson.pipeline.ingestion",
    "AttributeSink": "moisson.pipeline.step",
    "Filter": "moisson.pipeline.step",
    "Mapper": "moisson.pipeline.step",
    "Step": "moisson.pipeline.step",
    "TaskContext": "moisson.pipeline.step",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = (
    "AttributeSink",
    "Executor",
    "Filter",
    "IngestResult",
    "LocalExecutor",
    "Mapper",
    "RayExecutor",
    "Step",
    "TaskContext",
    "choose_executor",
    "collection_steps",
    "ingest",
    "run_steps",
)
