"""``open_reader``: the one entry point the ingest command uses to read any source."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from moisson.errors import InputError
from moisson.sources.base import DEFAULT_MAX_RECORD_BYTES, SourceReader
from moisson.sources.detect import FORMATS, detect_format

__all__ = ("READERS", "open_reader", "reader_class")

READERS: dict[str, str] = {
    "jsonl": "moisson.sources.jsonl:JsonlReader",
    "parquet": "moisson.sources.parquet:ParquetReader",
    "warc": "moisson.sources.warc:WarcReader",
    "hf": "moisson.sources.hf:HfReader",
}
"""Format name to ``module:class``; imported on use so reading JSONL never loads lxml or Arrow."""


def reader_class(format: str) -> type[SourceReader]:
    """The reader class of a format; :class:`InputError` for an unknown one."""
    target = READERS.get(format)
    if target is None:
        msg = f"unknown source format {format!r}: expected one of {', '.join(FORMATS)}"
        raise InputError(msg)
    module, name = target.split(":")
    found: type[SourceReader] = getattr(import_module(module), name)
    return found


def open_reader(
    path: Path,
    format: str | None = None,
    *,
    text_field: str = "text",
    id_field: str = "id",
    url_field: str = "url",
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> SourceReader:
    """The reader for ``path``; ``format`` is one of :data:`FORMATS`, detected when ``None``.

    Nothing is read yet: errors about the content come from :meth:`SourceReader.read`.
    """
    path = Path(path)
    if format is None:
        format = detect_format(path)
    elif not path.exists():
        msg = f"{path}: no such file or folder"
        raise InputError(msg, path=str(path))
    return reader_class(format)(
        path,
        text_field=text_field,
        id_field=id_field,
        url_field=url_field,
        max_record_bytes=max_record_bytes,
    )
