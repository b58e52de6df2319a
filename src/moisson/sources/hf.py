"""Local Hugging Face datasets: a ``save_to_disk`` folder, or a hub snapshot of data files.

No network: ``datasets.load_from_disk`` reads the Arrow files in place (memory-mapped), and a
snapshot folder (``data/train-00000-of-00002.parquet``...) is read file by file with the Parquet
and JSONL readers, in sorted path order. ``source_offset`` is the row index in its split/file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from moisson.errors import InputError, MissingDependencyError
from moisson.sources.base import OnError, SourceReader, raise_record_error
from moisson.sources.fields import FieldMap
from moisson.sources.jsonl import JsonlReader
from moisson.sources.parquet import (
    BATCH_ROWS,
    ParquetReader,
    documents_from_batches,
    wanted_columns,
)
from moisson.store.document import Document

__all__ = ("HfReader",)

_SAVED_MARKERS = ("dataset_dict.json", "state.json", "dataset_info.json")
_SNAPSHOT_SUFFIXES = {
    ".parquet": ParquetReader,
    ".jsonl": JsonlReader,
    ".jsonl.gz": JsonlReader,
    ".jsonl.zst": JsonlReader,
    ".json": JsonlReader,
    ".json.gz": JsonlReader,
}


def _snapshot_reader(path: Path) -> type[SourceReader] | None:
    name = path.name.lower()
    for suffix, reader in _SNAPSHOT_SUFFIXES.items():
        if name.endswith(suffix):
            return reader
    return None


class HfReader(SourceReader):
    """Reads a local Hugging Face dataset folder (extra ``moisson[hf]`` for ``save_to_disk``)."""

    format = "hf"

    def read(self, on_error: OnError = raise_record_error) -> Iterator[Document]:
        if not self.path.is_dir():
            msg = f"{self.path}: a Hugging Face dataset is a folder"
            raise InputError(msg, path=str(self.path))
        if any((self.path / marker).is_file() for marker in _SAVED_MARKERS):
            yield from self._read_saved(on_error)
        else:
            yield from self._read_snapshot(on_error)

    def _read_saved(self, on_error: OnError) -> Iterator[Document]:
        try:
            import datasets
        except ImportError as exc:
            package = "datasets"
            raise MissingDependencyError(package, "hf") from exc
        try:
            loaded: Any = datasets.load_from_disk(str(self.path))
        except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
            msg = f"{self.path}: not a readable Hugging Face dataset folder: {exc}"
            raise InputError(msg, path=str(self.path)) from exc
        except (TypeError, AttributeError) as exc:
            # `datasets` trusts the JSON it reads: {"splits": 5} fails with a bare TypeError.
            # The rule: errors name the file and the reason.
            present = [m for m in _SAVED_MARKERS if (self.path / m).is_file()]
            msg = (
                f"{self.path}: not a readable Hugging Face dataset folder:"
                f" malformed {' or '.join(present)} ({type(exc).__name__}: {exc})"
            )
            raise InputError(msg, path=str(self.path)) from exc
        if isinstance(loaded, datasets.DatasetDict):
            splits = [(self.path / name, split) for name, split in loaded.items()]
        else:
            splits = [(self.path, loaded)]
        fields = FieldMap(self.text_field, self.id_field, self.url_field)
        for split_path, split in splits:
            names = list(split.column_names)
            if self.text_field not in names:
                msg = f"{split_path}: no column {self.text_field!r} (columns: {', '.join(names)})"
                raise InputError(msg, path=str(split_path))
            selected = split.select_columns(wanted_columns(names, fields)).with_format("arrow")
            batches = (
                batch
                for table in selected.iter(batch_size=BATCH_ROWS)
                for batch in table.to_batches()
            )
            yield from documents_from_batches(self, batches, on_error, source_file=str(split_path))

    def _read_snapshot(self, on_error: OnError) -> Iterator[Document]:
        files = sorted(
            (
                (path, reader_class)
                for path in self.path.rglob("*")
                if path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(self.path).parts)
                and (reader_class := _snapshot_reader(path)) is not None
            ),
            key=lambda item: item[0],
        )
        if not files:
            msg = f"{self.path}: no save_to_disk files and no .parquet/.jsonl data files"
            raise InputError(msg, path=str(self.path))
        for path, reader_class in files:
            reader = reader_class(
                path,
                text_field=self.text_field,
                id_field=self.id_field,
                url_field=self.url_field,
                max_record_bytes=self.max_record_bytes,
            )
            try:
                yield from reader.read(on_error)
            finally:
                self.stats.update(reader.stats)
