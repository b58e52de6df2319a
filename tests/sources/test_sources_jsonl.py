"""JSONL reader: plain/gzip/zstd, exact error locations, nothing lost (issue 2, item 8)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard

from moisson.errors import InputError, RecordError
from moisson.sources import DEFAULT_MAX_RECORD_BYTES, RAW_CAP, SourceReader, open_reader
from moisson.store.document import Document


def _lines(n: int) -> list[bytes]:
    return [
        json.dumps({"id": i, "text": f"document {i} é", "url": f"https://ex.fr/{i}"}).encode()
        for i in range(n)
    ]


def _read(
    path: Path, *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> tuple[list[Document], list[RecordError], SourceReader]:
    reader = open_reader(path, max_record_bytes=max_record_bytes)
    errors: list[RecordError] = []
    docs = list(reader.read(on_error=errors.append))
    return docs, errors, reader


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_reads_every_line_with_provenance(tmp_path: Path, suffix: str) -> None:
    data = b"\n".join(_lines(3000)) + b"\n"
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    elif suffix.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"docs{suffix}"
    path.write_bytes(data)
    docs, errors, reader = _read(path)
    assert errors == []
    assert len(docs) == 3000
    first, last = docs[0], docs[-1]
    assert (first.text, first.source_id, first.url, first.domain) == (
        "document 0 é",
        "0",
        "https://ex.fr/0",
        "ex.fr",
    )
    assert last.source_offset == 3000
    assert last.source_file == str(path)
    assert reader.stats["documents"] == 3000


def test_malformed_lines_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    good = _lines(6)
    lines = [
        good[0],
        b'{"id": 1, "text": "unterminated',  # line 2
        good[2],
        b'{"id": 3, "text": "caf\xe9"}',  # line 4: latin-1 byte, not UTF-8
        b"[1, 2, 3]",  # line 5: not an object
        b'{"id": 5}',  # line 6: no text
        b'{"id": 6, "text": "   "}',  # line 7: empty text
        b'{"id": 7, "text": 42}',  # line 8: text not a string
        b"",  # line 9: blank, not a record
        good[5],  # line 10
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines))  # no final newline: the last line still counts
    docs, errors, reader = _read(path)
    assert [d.source_offset for d in docs] == [1, 3, 10]
    assert [e.location for e in errors] == [
        "line 2",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    reasons = [e.reason for e in errors]
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == "invalid UTF-8 at byte 22 of the line"
    assert reasons[2] == "expected a JSON object, got list"
    assert reasons[3] == "missing text field 'text'"
    assert reasons[4] == "empty text field 'text'"
    assert "is a int" in reasons[5]
    assert errors[1].raw == lines[3]
    assert all(e.path == str(path) for e in errors)
    assert str(errors[0]).startswith(f"{path} at line 2: ")
    assert reader.stats["malformed"] == 6
    assert reader.stats["skipped/blank_line"] == 1
    assert (reader.stats["records"], reader.stats["documents"]) == (9, 3)


def test_stop_mode_raises_at_the_first_bad_line_after_yielding_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "stop.jsonl"
    path.write_bytes(b'{"text": "a"}\r\n{"text": "b"}\r\nnot json\r\n{"text": "c"}\r\n')
    docs = open_reader(path).read()
    assert [next(docs).text, next(docs).text] == ["a", "b"]
    with pytest.raises(RecordError) as caught:
        next(docs)
    assert caught.value.location == "line 3"


def test_configurable_fields(tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    record = {"content": "bonjour", "uid": "x-1", "link": "https://a.fr/p", "lang": "fr"}
    path.write_text(json.dumps(record) + "\n")
    reader = open_reader(path, text_field="content", id_field="uid", url_field="link")
    (doc,) = list(reader.read())
    assert (doc.text, doc.source_id, doc.url, doc.lang) == (
        "bonjour",
        "x-1",
        "https://a.fr/p",
        "fr",
    )


def test_truncated_gzip_yields_what_decompresses_then_reports(tmp_path: Path) -> None:
    data = b"\n".join(_lines(20000)) + b"\n"
    compressed = gzip.compress(data)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) * 3 // 4])
    docs, errors, _ = _read(path)
    assert len(errors) == 1
    (error,) = errors
    n = len(docs)
    assert 0 < n < 20000
    assert [d.source_offset for d in docs] == list(range(1, n + 1))
    assert error.location == f"line {n + 1}"
    assert error.reason.startswith("truncated gzip stream")
    assert data.startswith(b"\n".join(_lines(n)) + b"\n" + (error.raw or b""))


def test_truncated_zstd_is_reported(tmp_path: Path) -> None:
    data = b"\n".join(_lines(20000)) + b"\n"
    compressed = zstandard.ZstdCompressor().compress(data)
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(compressed[:-200])
    docs, errors, _ = _read(path)
    assert len(docs) < 20000
    assert [e.location for e in errors] == [f"line {len(docs) + 1}"]
    assert errors[0].reason.startswith("truncated zstd stream")


def test_not_gzip_and_garbage_files_raise_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(b'{"text": "plain, not gzip"}\n')
    with pytest.raises(InputError, match=r"fake\.jsonl\.gz: not a gzip file"):
        list(open_reader(fake).read())
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 64)
    with pytest.raises(InputError, match=r"broken\.jsonl\.gz: (corrupt|truncated) gzip stream"):
        list(open_reader(broken).read())
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(bytes(range(256)) * 4)
    errors: list[RecordError] = []
    assert list(open_reader(garbage).read(on_error=errors.append)) == []
    assert errors and all(e.reason.startswith(("invalid", "expected")) for e in errors)


def test_huge_line_is_reported_without_loading_it_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    big = b'{"text": "' + b"a" * (50 << 20) + b'"}'
    path.write_bytes(b'{"text": "before"}\n' + big + b'\n{"text": "after"}\n')
    docs, errors, _ = _read(path)
    assert [d.text for d in docs] == ["before", "after"]
    (error,) = errors
    assert error.location == "line 2"
    assert error.reason == f"record of {len(big)} bytes exceeds the limit of {32 << 20} bytes"
    assert error.raw is not None
    assert len(error.raw) == RAW_CAP
    assert big.startswith(error.raw)


def test_small_record_limit_applies_to_lines_inside_a_chunk(tmp_path: Path) -> None:
    path = tmp_path / "limit.jsonl"
    path.write_bytes(b'{"text": "short"}\n{"text": "' + b"x" * 500 + b'"}\n{"text": "ok"}')
    docs, errors, _ = _read(path, max_record_bytes=100)
    assert [d.text for d in docs] == ["short", "ok"]
    assert [e.location for e in errors] == ["line 2"]
