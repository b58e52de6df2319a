"""Pipeline: steps over documents, tasks over files, local and Ray executors."""

from moisson.pipeline.build import collection_steps, run_steps
from moisson.pipeline.executors import Executor, LocalExecutor, RayExecutor, choose_executor
from moisson.pipeline.ingest import IngestResult, ingest
from moisson.pipeline.step import AttributeSink, Filter, Mapper, Step, TaskContext

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
