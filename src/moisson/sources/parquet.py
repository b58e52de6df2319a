"""Parquet reader: record batches one at a time, so memory stays bounded by the batch size.

Hostile files are reported row by row, never loaded or lost whole (the rule: "bad input gets a
clear error and loses nothing; errors name the file, record and reason"): a row over
``max_record_bytes`` is measured in Arrow and reported before it becomes a Python string, a row
group that declares more bytes than its rows may hold is reported without being decoded, and a
value Python cannot represent (invalid UTF-8, a timestamp past year 9999, an unknown time zone)
makes only its own row malformed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from moisson.errors import InputError
from moisson.sources.base import RAW_CAP, OnError, SourceReader, raise_record_error
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
_ROW_OVERHEAD = 64
"""Bytes a row may add to a column chunk besides its value (length prefix, levels)."""
_GROUP_SLACK = 1 << 16
"""Bytes a column chunk may add besides its rows (page headers, dictionary page header)."""

# What Array.to_pylist / Scalar.as_py raise on a value Python cannot hold: UnicodeDecodeError
# (a ValueError), OverflowError (a date past 9999), KeyError (pytz/zoneinfo: unknown time zone).
_CONVERSION_ERRORS = (ValueError, OverflowError, KeyError, pa.ArrowException)


def wanted_columns(schema_names: list[str], fields: FieldMap) -> list[str]:
    """The columns the field rules read, in schema order (others are never decoded)."""
    wanted = {fields.text_field, fields.id_field, fields.url_field, *_OPTIONAL_COLUMNS}
    return [name for name in schema_names if name in wanted]


class _Unconvertible:
    """Stands for a cell whose value cannot become a Python object; ``reason`` says why."""

    __slots__ = ("raw", "reason")

    def __init__(self, reason: str, raw: Any) -> None:
        self.reason = reason
        self.raw = raw

    def __repr__(self) -> str:
        return f"<unconvertible: {self.raw!r}>"


def _conversion_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {exc.start} of the value"
    if isinstance(exc, KeyError):
        return f"unknown time zone {exc}"
    return f"value out of range: {exc}"


def _cell_raw(array: pa.Array, index: int) -> Any:
    """The stored value of a cell that does not convert: bytes of a string, int of a date."""
    kind = array.type
    cell = array.slice(index, 1)
    try:
        if pa.types.is_string(kind):
            return cell.view(pa.binary())[0].as_py()
        if pa.types.is_large_string(kind):
            return cell.view(pa.large_binary())[0].as_py()
        if pa.types.is_temporal(kind):
            return cell.view(pa.int64() if kind.bit_width == 64 else pa.int32())[0].as_py()
    except _CONVERSION_ERRORS:
        pass
    return None


def _column_values(array: pa.Array) -> tuple[list[Any], bool]:
    """Python values of a column, and whether some cells are :class:`_Unconvertible`.

    ``to_pylist`` fails for the whole column on one bad cell; only then is it redone cell by
    cell, so one bad value costs its row, not the file.
    """
    try:
        return array.to_pylist(), False
    except _CONVERSION_ERRORS:
        pass
    values: list[Any] = []
    for index in range(len(array)):
        try:
            values.append(array[index].as_py())
        except _CONVERSION_ERRORS as exc:
            values.append(_Unconvertible(_conversion_reason(exc), _cell_raw(array, index)))
    return values, True


def _value_sizes(array: pa.Array, limit: int) -> pa.Array | None:
    """Bytes of each row's value (int64), or ``None`` where no value can matter."""
    kind = array.type
    if (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
    ):
        return pc.binary_length(array).fill_null(0).cast(pa.int64())
    if array.nbytes <= limit:
        return None
    # Nested or dictionary column over the limit: measure each row (rare, sizes only).
    return pa.array([array.slice(i, 1).nbytes for i in range(len(array))], pa.int64())


def _oversized_rows(batch: pa.RecordBatch, limit: int) -> dict[int, int]:
    """Rows of the batch over ``limit`` bytes (like a JSONL line), with their size."""
    if batch.nbytes <= limit:
        return {}  # the common case: no row of this batch can be over the limit
    total: pa.Array | None = None
    for column in batch.columns:
        sizes = _value_sizes(column, limit)
        if sizes is not None:
            total = sizes if total is None else pc.add(total, sizes)
    if total is None:
        return {}
    over = pc.indices_nonzero(pc.greater(total, limit)).to_pylist()
    return {index: total[index].as_py() for index in over}


def _prefix(array: pa.Array, index: int) -> bytes | None:
    """The first :data:`RAW_CAP` bytes of a string cell, for the quarantine."""
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_binary(kind):
        binary: pa.DataType = pa.binary()
    elif pa.types.is_large_string(kind) or pa.types.is_large_binary(kind):
        binary = pa.large_binary()
    else:
        return None
    value = pc.binary_slice(array.slice(index, 1).view(binary), 0, RAW_CAP)[0].as_py()
    return value if isinstance(value, bytes) else None


def _with_gaps(
    size: int, gaps: dict[int, int], rows: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
    """``enumerate(rows)`` over ``size`` positions, with ``None`` at the positions in ``gaps``."""
    for index in range(size):
        yield index, None if index in gaps else next(rows)


def documents_from_batches(
    reader: SourceReader,
    batches: Iterator[pa.RecordBatch],
    on_error: OnError,
    *,
    source_file: str,
    first_row: int = 0,
) -> Iterator[Document]:
    """Documents of Arrow batches; ``source_offset`` is the 0-based row index in the source.

    ``first_row`` is the index of the first row of ``batches`` (the Parquet reader skips row
    groups it reports without decoding).
    """
    fields = FieldMap(reader.text_field, reader.id_field, reader.url_field)
    limit = reader.max_record_bytes
    stats = reader.stats
    row = first_row
    for batch in batches:
        names = batch.schema.names
        size = batch.num_rows
        oversized = _oversized_rows(batch, limit)
        kept = batch
        if oversized:
            kept = batch.take(pa.array([i for i in range(size) if i not in oversized], pa.int64()))
        converted = [_column_values(kept.column(i)) for i in range(kept.num_columns)]
        failed = [i for i, (_, bad) in enumerate(converted) if bad]
        rows = zip(*(values for values, _ in converted), strict=True)
        numbered = _with_gaps(size, oversized, rows) if oversized else enumerate(rows)
        for index, values in numbered:
            stats["records"] += 1
            if values is None:
                column = names.index(reader.text_field) if reader.text_field in names else None
                reader.report_malformed(
                    on_error,
                    f"record of {oversized[index]} bytes exceeds the limit of {limit} bytes",
                    f"row {row + index}",
                    None if column is None else _prefix(batch.column(column), index),
                )
                continue
            record: dict[str, Any] = dict(zip(names, values, strict=True))
            if failed:
                bad = [(names[i], values[i]) for i in failed if type(values[i]) is _Unconvertible]
                if bad:
                    name, cell = bad[0]
                    raw = repr(record).encode("utf-8", "backslashreplace")
                    reason = f"column {name!r}: {cell.reason}"
                    reader.report_malformed(on_error, reason, f"row {row + index}", raw)
                    continue
            try:
                doc = document_from_record(
                    record, fields, source_file=source_file, source_offset=row + index
                )
            except MalformedRecord as exc:
                raw = repr(record).encode("utf-8", "backslashreplace")
                reader.report_malformed(on_error, str(exc), f"row {row + index}", raw)
            else:
                stats["documents"] += 1
                yield doc
        row += size


def _text_chunk_size(group: pq.RowGroupMetaData, text_field: str) -> int:
    """Uncompressed bytes the row group declares for the text column (0 if not found)."""
    for index in range(group.num_columns):
        chunk = group.column(index)
        if chunk.path_in_schema == text_field:
            return int(chunk.total_uncompressed_size)
    return 0


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
        try:
            names = parquet.schema_arrow.names
            if self.text_field not in names:
                msg = f"{self.path}: no column {self.text_field!r} (columns: {', '.join(names)})"
                raise InputError(msg, path=source_file)
            fields = FieldMap(self.text_field, self.id_field, self.url_field)
            columns = wanted_columns(names, fields)
            row = 0
            for groups, refused in self._row_group_runs(parquet):
                if refused is not None:
                    self._refuse(on_error, row, parquet.metadata.row_group(groups[0]), refused)
                else:
                    batches = parquet.iter_batches(
                        batch_size=BATCH_ROWS, row_groups=groups, columns=columns
                    )
                    yield from documents_from_batches(
                        self, batches, on_error, source_file=source_file, first_row=row
                    )
                row += sum(parquet.metadata.row_group(g).num_rows for g in groups)
        except (OSError, pa.ArrowException) as exc:
            msg = f"{self.path}: Parquet data is corrupt after row {self.stats['records']}: {exc}"
            raise InputError(msg, path=source_file) from exc
        finally:
            parquet.close()

    def _row_group_runs(self, parquet: pq.ParquetFile) -> Iterator[tuple[list[int], str | None]]:
        """Runs of row groups to decode (reason ``None``), and single groups to refuse.

        A group whose text column alone declares more than ``max_record_bytes`` a row holds
        at least one oversized row; decoding it would inflate it in memory first (a 16 kB file
        can declare 512 MiB), so it is reported from the metadata, unread.
        """
        limit = self.max_record_bytes
        run: list[int] = []
        for index in range(parquet.metadata.num_row_groups):
            group = parquet.metadata.row_group(index)
            declared = _text_chunk_size(group, self.text_field)
            if declared > group.num_rows * (limit + _ROW_OVERHEAD) + _GROUP_SLACK:
                if run:
                    yield run, None
                    run = []
                reason = (
                    f"row group {index} declares {declared} uncompressed bytes of"
                    f" {self.text_field!r} for {group.num_rows} rows, over the limit of"
                    f" {limit} bytes a record; not decoded"
                )
                yield [index], reason
            else:
                run.append(index)
        if run:
            yield run, None

    def _refuse(self, on_error: OnError, row: int, group: pq.RowGroupMetaData, reason: str) -> None:
        """Report every row of a refused row group: none is dropped unreported."""
        for offset in range(group.num_rows):
            self.stats["records"] += 1
            self.report_malformed(on_error, reason, f"row {row + offset}", None)
