"""What every source reader shares: the reader interface, the error callback, the raw-bytes cap.

A reader never decides alone whether a malformed record stops the run: it hands a
:class:`~moisson.errors.RecordError` to the ``on_error`` callback given by the caller, which
raises to stop (``--on-error stop``) or quarantines the record and returns (``--on-error skip``).
Nothing is dropped without being either yielded, reported or counted in :attr:`SourceReader.stats`
(issue 2, item 8; SCR-03 keeps a trace of what was left out).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

from moisson.errors import RecordError
from moisson.store.document import Document

__all__ = (
    "DEFAULT_MAX_RECORD_BYTES",
    "RAW_CAP",
    "OnError",
    "SourceReader",
    "cap_raw",
    "raise_record_error",
)

OnError = Callable[[RecordError], None]
"""Called with each malformed record; raise to stop the run, return to skip it."""

RAW_CAP = 1 << 20
"""At most this many raw bytes of a malformed record travel with its error (quarantine)."""

DEFAULT_MAX_RECORD_BYTES = 32 << 20
"""A single record (JSONL line, WARC payload) larger than this is malformed, not loaded."""


def cap_raw(raw: bytes | bytearray | memoryview | None) -> bytes | None:
    """The first :data:`RAW_CAP` bytes of a raw record, as ``bytes``."""
    if raw is None:
        return None
    return bytes(raw[:RAW_CAP])


def raise_record_error(error: RecordError) -> None:
    """Default ``on_error``: stop at the first malformed record."""
    raise error


class SourceReader(ABC):
    """Reads one source (a file, or a folder for ``hf``) into :class:`Document` objects.

    Usage::

        reader = open_reader(Path("crawl.warc.gz"))
        for doc in reader.read(on_error=quarantine.add):
            ...
        print(reader.stats)   # Counter({'records': 1200, 'documents': 1104, 'skipped/status': 96})
    """

    format: ClassVar[str]

    def __init__(
        self,
        path: Path,
        *,
        text_field: str = "text",
        id_field: str = "id",
        url_field: str = "url",
        max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    ) -> None:
        self.path = Path(path)
        self.text_field = text_field
        self.id_field = id_field
        self.url_field = url_field
        self.max_record_bytes = max_record_bytes
        self.stats: Counter[str] = Counter()

    @abstractmethod
    def read(self, on_error: OnError = raise_record_error) -> Iterator[Document]:
        """Yield the documents of the source, in order; report malformed records to ``on_error``.

        Raises :class:`~moisson.errors.InputError` when the file itself cannot be read (not the
        announced format, unreadable); documents before the point of failure are yielded first.
        """

    def report_malformed(
        self, on_error: OnError, reason: str, location: str, raw: bytes | None
    ) -> None:
        """Count a malformed record and hand it to ``on_error`` (which may raise to stop)."""
        self.stats["malformed"] += 1
        on_error(RecordError(reason, path=str(self.path), location=location, raw=cap_raw(raw)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"
