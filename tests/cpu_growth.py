"""CPU time of a piece of work, for the tests that check time grows linearly with input size
on hostile input (a growth check, not a speed measure: speed is measured under ``bench/``)."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ("best_cpu_seconds",)


def best_cpu_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` runs of ``work`` (the least is the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best
