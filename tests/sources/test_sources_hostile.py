"""Hostile source files: bombs and values Python cannot hold are reported, never loaded whole.

The rule under test: "bad input gets a clear error and loses nothing; errors name the file,
record and reason". Each input is built here, a few kB on disk that would inflate to hundreds
of MB if a reader trusted it.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from moisson.errors import InputError, RecordError
from moisson.sources import RAW_CAP, detect_format, open_reader
from moisson.sources.streams import CHUNK_SIZE, decompressed_chunks

BOMB = 128 << 20
TEXT = "Un texte en français, assez long pour être un vrai document. " * 3


def _zstd_bomb(head: bytes, size: int, tail: bytes) -> bytes:
    """One zstd frame of ``head``, ``size`` bytes of ``a`` and ``tail`` (a few kB on disk)."""
    compressor = zstandard.ZstdCompressor(level=3).compressobj()
    parts = [compressor.compress(head)]
    piece = b"a" * (8 << 20)
    for _ in range(size // len(piece)):
        parts.append(compressor.compress(piece))
    parts.append(compressor.compress(tail))
    parts.append(compressor.flush())
    return b"".join(parts)


def _peak_python_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- F1: zstd bombs -------------------------------------------------------------------------


def test_zstd_bomb_comes_out_in_bounded_chunks_and_whole(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.zst"
    path.write_bytes(_zstd_bomb(b"", BOMB, b""))
    assert path.stat().st_size < 16_000
    sizes = [len(chunk) for chunk in decompressed_chunks(path)]
    assert max(sizes) < 2 * CHUNK_SIZE  # the old code yielded all 128 MiB as one chunk
    assert sum(sizes) == BOMB  # nothing lost either


def test_zstd_bomb_line_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.zst"
    path.write_bytes(_zstd_bomb(b'{"text": "avant"}\n{"text": "', BOMB, b'"}\n{"text": "apres"}\n'))
    reader = open_reader(path, max_record_bytes=1 << 20)
    errors: list[RecordError] = []
    docs: list[str] = []

    def read() -> None:
        docs.extend(d.text for d in reader.read(on_error=errors.append))

    peak = _peak_python_bytes(read)
    assert docs == ["avant", "apres"]
    assert [(e.location, e.reason) for e in errors] == [
        ("line 2", f"record of {BOMB + 12} bytes exceeds the limit of {1 << 20} bytes")
    ]
    # One decoder call on <= 1 KiB of input holds <= 2 x 32 MiB (output and its join); the
    # old reader held the whole 128 MiB line, twice.
    assert peak < 96 << 20


def test_detect_format_reads_only_the_head_of_a_zstd_bomb(tmp_path: Path) -> None:
    path = tmp_path / "dump.bin"
    path.write_bytes(_zstd_bomb(b'{"text": "', BOMB, b'"}\n'))
    fmt: list[str] = []
    peak = _peak_python_bytes(lambda: fmt.append(detect_format(path)))
    assert fmt == ["jsonl"]
    assert peak < 4 << 20  # the old code inflated the first 64 KiB of input: all 128 MiB


# --- F6: oversized Parquet and Hugging Face rows --------------------------------------------


def _rows_with_a_big_one(n: int, big: int, size: int) -> pa.Table:
    texts = [("é" * (size // 2)) if i == big else f"{TEXT} {i}" for i in range(n)]
    return pa.table({"id": [f"r{i}" for i in range(n)], "text": texts})


def _hf_saved(tmp_path: Path, table: pa.Table) -> Path:
    datasets = pytest.importorskip("datasets")
    folder = tmp_path / "saved"
    datasets.Dataset(table).save_to_disk(str(folder))
    return folder


@pytest.mark.parametrize("kind", ["parquet", "hf"])
def test_oversized_row_is_reported_before_it_becomes_a_string(tmp_path: Path, kind: str) -> None:
    table = _rows_with_a_big_one(50, 20, 4 << 20)
    if kind == "parquet":
        path = tmp_path / "big.parquet"
        pq.write_table(table, path)
    else:
        path = _hf_saved(tmp_path, table)
    reader = open_reader(path, max_record_bytes=1 << 20)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    assert [d.source_offset for d in docs] == [i for i in range(50) if i != 20]
    (error,) = errors
    assert error.location == "row 20"
    assert error.reason == f"record of {(4 << 20) + 3} bytes exceeds the limit of {1 << 20} bytes"
    assert error.raw == ("é" * (RAW_CAP // 2)).encode()
    assert reader.stats["records"] == 50
    assert reader.stats["malformed"] == 1


def test_parquet_row_group_declaring_too_much_is_reported_unread(tmp_path: Path) -> None:
    path = tmp_path / "pbomb.parquet"
    table = pa.table({"text": ["a" * (8 << 20), TEXT, TEXT]})
    pq.write_table(table, path, row_group_size=1, compression="zstd")
    del table
    assert path.stat().st_size < 100_000
    reader = open_reader(path, max_record_bytes=1 << 20)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    assert [d.source_offset for d in docs] == [1, 2]
    (error,) = errors
    assert (error.path, error.location) == (str(path), "row 0")
    assert re.fullmatch(
        r"row group 0 declares 83886\d\d uncompressed bytes of 'text' for 1 rows,"
        r" over the limit of 1048576 bytes a record; not decoded",
        error.reason,
    )


# --- F5: values Python cannot hold ----------------------------------------------------------


def _bad_utf8() -> pa.Table:
    good, bad = TEXT.encode(), TEXT.encode() + b"\xff\xfe"
    data = good + bad + good
    offsets = pa.array([0, len(good), len(good + bad), len(data)], pa.int32())
    text = pa.Array.from_buffers(pa.string(), 3, [None, offsets.buffers()[1], pa.py_buffer(data)])
    return pa.table({"text": text})


def _huge_timestamp() -> pa.Table:
    stamps = pa.array([0, 2**62, 0], pa.timestamp("ms", tz="UTC"))
    return pa.table({"text": [TEXT] * 3, "fetched_at": stamps})


def _huge_date() -> pa.Table:
    return pa.table({"text": [TEXT] * 3, "date": pa.array([0, 2**31 - 1, 0], pa.date32())})


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (_bad_utf8, f"column 'text': invalid UTF-8 at byte {len(TEXT.encode())} of the value"),
        (_huge_timestamp, "column 'fetched_at': value out of range"),
        (_huge_date, "column 'date': value out of range"),
    ],
)
def test_unconvertible_value_costs_its_row_not_the_file(
    tmp_path: Path, build: Callable[[], pa.Table], reason: str
) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(build(), path)
    errors: list[RecordError] = []
    docs = list(open_reader(path).read(on_error=errors.append))
    assert [d.source_offset for d in docs] == [0, 2]
    (error,) = errors
    assert (error.path, error.location) == (str(path), "row 1")
    assert error.reason.startswith(reason)
    assert error.raw  # what was stored travels to the quarantine


def test_unknown_time_zone_is_reported_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "tz.parquet"
    stamps = pa.array([0, 1], pa.timestamp("us", tz="Mars/Olympus"))
    pq.write_table(pa.table({"text": [TEXT, TEXT], "fetched_at": stamps}), path)
    errors: list[RecordError] = []
    assert list(open_reader(path).read(on_error=errors.append)) == []
    assert [(e.location, e.reason) for e in errors] == [
        (f"row {i}", "column 'fetched_at': unknown time zone 'Mars/Olympus'") for i in (0, 1)
    ]


def test_unconvertible_value_stops_the_run_in_stop_mode(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(_bad_utf8(), path)
    docs = []
    with pytest.raises(RecordError, match=r"bad\.parquet at row 1: column 'text': invalid UTF-8"):
        docs.extend(open_reader(path).read())
    assert [d.source_offset for d in docs] == [0]


# --- F11: broken save_to_disk metadata ------------------------------------------------------


def test_hf_dataset_dict_of_the_wrong_shape_is_an_input_error(tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    folder = tmp_path / "hf"
    folder.mkdir()
    (folder / "dataset_dict.json").write_text(json.dumps({"splits": 5}))
    with pytest.raises(InputError, match=r"hf: .*malformed dataset_dict\.json") as caught:
        list(open_reader(folder).read(on_error=lambda error: None))
    assert caught.value.path == str(folder)


# --- F7 end to end: a date the store cannot hold is dropped, the document kept --------------


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_date_outside_the_utc_range_is_invalid(tmp_path: Path, stamp: str) -> None:
    path = tmp_path / "dates.jsonl"
    rows = [
        {"text": TEXT, "fetched_at": stamp},
        {"text": TEXT, "fetched_at": "2024-05-06T00:00:00Z"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    docs = list(open_reader(path).read())
    assert [d.fetched_at for d in docs] == [None, datetime(2024, 5, 6, tzinfo=UTC)]
