"""Telling a source's format from its name, then from its first bytes.

``moisson ingest`` calls this when ``--format`` is not given. Names win when they are explicit
(``.warc.gz``, ``.jsonl.zst``, ``.parquet``); otherwise the magic bytes decide, looking inside
gzip and zstd streams. A folder is a Hugging Face dataset (``save_to_disk`` or hub snapshot).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import zstandard

from moisson.errors import InputError
from moisson.sources.streams import sniff_compression

__all__ = ("FORMATS", "detect_format")

FORMATS = ("jsonl", "parquet", "warc", "hf")
_COMPRESSION_SUFFIXES = (".gz", ".zst", ".zstd")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".warc": "warc",
    ".arc": "warc",
}
_PARQUET_MAGIC = b"PAR1"
_HEAD = 64


def _by_name(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return _SUFFIX_FORMATS.get(Path(name).suffix)


def _head(path: Path, compression: str | None) -> bytes:
    """First bytes of the (decompressed) content; ``b""`` if they cannot be decompressed."""
    try:
        if compression == "gzip":
            with gzip.open(path, "rb") as handle:
                return handle.read(_HEAD)
        if compression == "zstd":
            # read(64) bounds the output: decompressing a fixed input slice has no cap, and
            # 64 KiB of a zstd bomb inflates to 2 GiB ("bad input ... loses nothing").
            with (
                path.open("rb") as raw,
                zstandard.ZstdDecompressor().stream_reader(raw, read_size=_HEAD) as stream,
            ):
                return stream.read(_HEAD)
        with path.open("rb") as handle:
            return handle.read(_HEAD)
    except (OSError, EOFError, zlib.error, zstandard.ZstdError):
        return b""


def detect_format(path: Path) -> str:
    """One of :data:`FORMATS` for ``path``; :class:`InputError` if it cannot be told."""
    path = Path(path)
    if path.is_dir():
        return "hf"
    if not path.exists():
        msg = f"{path}: no such file or folder"
        raise InputError(msg, path=str(path))
    by_name = _by_name(path)
    if by_name is not None:
        return by_name
    compression = sniff_compression(path)
    head = _head(path, compression)
    if compression is None and head.startswith(_PARQUET_MAGIC):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"{"):
        return "jsonl"
    msg = f"{path}: cannot tell the format from the name or the first bytes; pass --format"
    raise InputError(msg, path=str(path))
