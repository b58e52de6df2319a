"""The ordered steps every collected document goes through, for ingest and crawl alike.

source -> opt-out gate -> policy filters -> PII minimisation -> suppression list -> store.
Personal data is minimised before anything is written (SCR-09).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

from moisson.pipeline.filters import CollectionWindowFilter, LanguageFilter, LengthFilter
from moisson.pipeline.step import Step, TaskContext
from moisson.store.document import Document
from moisson.workspace import Workspace

__all__ = ("collection_steps", "run_steps")


def _pillar_step(module_name: str, class_name: str, *args: Any, **kwargs: Any) -> Step | None:
    """Build a pillar's step, or None when that pillar's module is not part of this install."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
    step: Step = getattr(module, class_name)(*args, **kwargs)
    return step


def collection_steps(
    workspace: Workspace, *, live_optout: bool = False, optout: bool = True
) -> list[Step]:
    policy = workspace.policy
    steps: list[Step | None] = [
        _pillar_step("moisson.optout.gate", "OptoutGate", workspace, live=live_optout)
        if optout
        else None,
        CollectionWindowFilter(policy.collection.period_start, policy.collection.period_end),
        LengthFilter(
            min_chars=policy.collection.min_chars, max_bytes=policy.collection.max_document_bytes
        ),
        LanguageFilter(policy.collection.languages),
        _pillar_step("moisson.pii.step", "PiiMinimiser", policy.pii),
        _pillar_step("moisson.rights.suppression", "SuppressionFilter", workspace),
    ]
    return [s for s in steps if s is not None]


def run_steps(steps: list[Step], docs: Iterable[Document], ctx: TaskContext) -> Iterator[Document]:
    """Chain the steps lazily over a stream of documents."""
    stream: Iterable[Document] = docs
    for step in steps:
        stream = step.run(stream, ctx)
    yield from stream
