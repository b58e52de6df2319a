"""Parquet reader: record batches one at a time, so memory stays bounded by the batch size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from moisson.errors import InputError
from moisson.sources.base import OnError, SourceReader, raise_record_error
from moisson.sources.fields import FieldMap, MalformedRecord, document_from_record
from moisson.store.document import Document

__all__ = ("BATCH_ROWS", "ParquetReader", "documents_from_batches")

BATCH_ROWS = 2048
_OPTIONAL_COLUMNS = (
    "fetched_at",
    "date",
    "timestamp",
    "lang",
    "language",
    "licence",
    "license",
    "http_headers",
    "html_meta",
)


def wanted_columns(schema_names: list[str], fields: FieldMap) -> list[str]:
    """The columns the field rules read, in schema order (others are never decoded)."""
    wanted = {fields.text_field, fields.id_field, fields.url_field, *_OPTIONAL_COLUMNS}
    return [name for name in schema_names if name in wanted]


def documents_from_batches(
    reader: SourceReader,
    batches: Iterator[pa.RecordBatch],
    on_error: OnError,
    *,
    source_file: str,
) -> Iterator[Document]:
    """Documents of Arrow batches; ``source_offset`` is the 0-based row index in the source."""
    fields = FieldMap(reader.text_field, reader.id_field, reader.url_field)
    row = 0
    for batch in batches:
        names = batch.schema.names
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for values in zip(*columns, strict=True):
            record: dict[str, Any] = dict(zip(names, values, strict=True))
            reader.stats["records"] += 1
            try:
                doc = document_from_record(
                    record, fields, source_file=source_file, source_offset=row
                )
            except MalformedRecord as exc:
                raw = repr(record).encode("utf-8", "backslashreplace")
                reader.report_malformed(on_error, str(exc), f"row {row}", raw)
            else:
                reader.stats["documents"] += 1
                yield doc
            row += 1


class ParquetReader(SourceReader):
    """Reads a Parquet file with a string text column (``--text-field``)."""

    format = "parquet"

    def read(self, on_error: OnError = raise_record_error) -> Iterator[Document]:
        source_file = str(self.path)
        try:
            parquet = pq.ParquetFile(self.path)
        except (OSError, pa.ArrowException) as exc:
            msg = f"{self.path}: not a readable Parquet file: {exc}"
            raise InputError(msg, path=source_file) from exc
        names = parquet.schema_arrow.names
        if self.text_field not in names:
            msg = f"{self.path}: no column {self.text_field!r} (columns: {', '.join(names)})"
            raise InputError(msg, path=source_file)
        columns = wanted_columns(names, FieldMap(self.text_field, self.id_field, self.url_field))
        batches = parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns)
        try:
            yield from documents_from_batches(self, batches, on_error, source_file=source_file)
        except (OSError, pa.ArrowException) as exc:
            msg = f"{self.path}: Parquet data is corrupt after row {self.stats['records']}: {exc}"
            raise InputError(msg, path=source_file) from exc
        finally:
            parquet.close()
