"""Pipeline steps: small typed objects over streams of documents (datatrove-style).

A step implements :meth:`Step.run`; a :class:`Filter` implements :meth:`Filter.keep` and its
reasons become stats; a :class:`Mapper` implements :meth:`Mapper.map`. Steps must be picklable:
the same objects run in-process, on a process pool and on Ray. Heavy resources (models,
compiled lexicons) are loaded in :meth:`Step.setup`, once per worker.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from moisson.store.document import Document

__all__ = ("AttributeSink", "Filter", "Mapper", "Step", "TaskContext")


class AttributeSink:
    """Rows of sidecar attributes collected by a step for one task (PII-05).

    Each row is keyed by ``doc_id``; the executor writes them next to the shard, as
    ``attributes/<name>/<shard>.parquet``.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, name: str, doc_id: str, **values: Any) -> None:
        self.rows.setdefault(name, []).append({"doc_id": doc_id, **values})


@dataclass
class TaskContext:
    """What a step may use while processing one task (one input file or shard).

    ``keyed_hash`` is the workspace's HMAC function (never the secret itself in logs);
    ``stats`` counts events (``"dropped/optout"``, ``"pii/EMAIL"``...) merged across tasks.
    """

    task_id: str
    workspace_root: Path
    secret: bytes
    stats: Counter[str] = field(default_factory=Counter)
    attributes: AttributeSink = field(default_factory=AttributeSink)
    dataset: str | None = None

    def keyed_hash(self, value: str, *, purpose: str = "id") -> str:
        import hashlib
        import hmac

        return hmac.new(self.secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


class Step(ABC):
    """One stage of the pipeline."""

    name: ClassVar[str] = "step"

    def setup(self, ctx: TaskContext) -> None:  # noqa: B027 - optional hook
        """Load heavy resources once per worker."""

    @abstractmethod
    def run(self, docs: Iterable[Document], ctx: TaskContext) -> Iterator[Document]:
        """Yield the documents that go on, possibly changed."""


class Filter(Step):
    """A step that keeps or drops documents; each drop reason is counted."""

    @abstractmethod
    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        """Return ``(True, None)`` to keep, ``(False, "reason")`` to drop."""

    def run(self, docs: Iterable[Document], ctx: TaskContext) -> Iterator[Document]:
        for doc in docs:
            ok, reason = self.keep(doc, ctx)
            if ok:
                yield doc
            else:
                ctx.stats[f"dropped/{self.name}/{reason or 'unspecified'}"] += 1
                ctx.stats["dropped"] += 1


class Mapper(Step):
    """A step that changes each document (or returns None to drop it)."""

    @abstractmethod
    def map(self, doc: Document, ctx: TaskContext) -> Document | None: ...

    def run(self, docs: Iterable[Document], ctx: TaskContext) -> Iterator[Document]:
        for doc in docs:
            out = self.map(doc, ctx)
            if out is not None:
                yield out
            else:
                ctx.stats[f"dropped/{self.name}"] += 1
                ctx.stats["dropped"] += 1
