"""Executors run tasks: in a local process pool, or on Ray, with the same task function.

Both report each finished task to a callback (the progress bar) and return the results. The Ray
executor is used with ``--executor ray`` or when ``RAY_ADDRESS`` is set (``moisson[ray]``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import Any, Literal, Protocol

from moisson.errors import MissingDependencyError
from moisson.pipeline.tasks import TaskResult, TaskSpec, process_task

__all__ = ("Executor", "LocalExecutor", "RayExecutor", "choose_executor", "connect_ray")

Progress = Callable[[TaskResult], None]


class Executor(Protocol):
    def run(
        self, tasks: Sequence[TaskSpec], secret: bytes, progress: Progress
    ) -> list[TaskResult]: ...


class LocalExecutor:
    """A process pool over tasks (``workers=1`` runs in-process: easier to debug and profile)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(os.cpu_count() or 1, 8))

    def run(self, tasks: Sequence[TaskSpec], secret: bytes, progress: Progress) -> list[TaskResult]:
        results: list[TaskResult] = []
        if self.workers == 1 or len(tasks) <= 1:
            for task in tasks:
                result = process_task(task, secret)
                progress(result)
                results.append(result)
            return results
        # forkserver: no inherited locks or threads from the parent (Rich, SQLAlchemy pools)
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(tasks)), mp_context=get_context("forkserver")
        ) as pool:
            futures: list[Future[TaskResult]] = [
                pool.submit(process_task, t, secret) for t in tasks
            ]
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for fut in done:
                    result = fut.result()  # re-raises the task's error, naming file and record
                    progress(result)
                    results.append(result)
        return results


def connect_ray(address: str | None = None) -> Any:
    """The ``ray`` module, connected to ``address`` (or ``RAY_ADDRESS``, or a local cluster)."""
    try:
        import ray
    except ImportError as exc:
        package = "ray"
        raise MissingDependencyError(package, "ray") from exc
    if not ray.is_initialized():
        ray.init(
            address=address or os.environ.get("RAY_ADDRESS"),
            ignore_reinit_error=True,
            log_to_driver=False,
        )
    return ray


class RayExecutor:
    """Run the same tasks as Ray remote functions (one CPU each)."""

    def __init__(self, address: str | None = None) -> None:
        self._ray = connect_ray(address)

    def run(self, tasks: Sequence[TaskSpec], secret: bytes, progress: Progress) -> list[TaskResult]:
        ray = self._ray
        remote = ray.remote(num_cpus=1)(process_task)
        refs = [remote.remote(t, secret) for t in tasks]
        results: list[TaskResult] = []
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            result: TaskResult = ray.get(done[0])
            progress(result)
            results.append(result)
        return results


def choose_executor(kind: Literal["local", "ray"] | None, workers: int | None = None) -> Executor:
    if kind == "ray" or (kind is None and os.environ.get("RAY_ADDRESS")):
        return RayExecutor()
    return LocalExecutor(workers)
