"""Decompressed byte chunks of a source file (plain, gzip or zstd), with truncation detected.

Compression is told from the magic bytes: a ``.jsonl`` that is really gzip still reads, but a
``.gz`` or ``.zst`` name on a file that is not is an error (the file is not what it claims). A stream that breaks after some data was read raises :class:`BrokenStream`, so the
reader can report the cut as a malformed record after yielding everything before it; a file
that is not what it claims from the first byte raises :class:`~moisson.errors.InputError`.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import zstandard

from moisson.errors import InputError

__all__ = (
    "CHUNK_SIZE",
    "ZSTD_SLICE",
    "BrokenStream",
    "decompressed_chunks",
    "sniff_compression",
)

CHUNK_SIZE = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZSTD_SLICE = 1 << 10
"""Compressed bytes fed to the zstd decoder per call: a 4-byte RLE block inflates to at most
128 KiB, so one call holds at most 32 MiB, yielded in CHUNK_SIZE pieces."""


class BrokenStream(Exception):
    """The compressed stream ends early or is corrupt after ``decompressed`` good bytes."""

    def __init__(self, reason: str, decompressed: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.decompressed = decompressed


def sniff_compression(path: Path) -> str | None:
    """``"gzip"``, ``"zstd"`` or ``None`` from the first bytes of the file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror or exc}"
        raise InputError(msg, path=str(path)) from exc
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def _fail(path: Path, produced: int, reason: str) -> BrokenStream | InputError:
    if produced:
        return BrokenStream(reason, produced)
    msg = f"{path}: {reason}"
    return InputError(msg, path=str(path))


def _plain_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _gzip_chunks(path: Path) -> Iterator[bytes]:
    produced = 0
    with gzip.open(path, "rb") as handle:
        while True:
            try:
                chunk = handle.read(CHUNK_SIZE)
            except EOFError as exc:
                raise _fail(path, produced, "truncated gzip stream (file ends early)") from exc
            except (gzip.BadGzipFile, zlib.error) as exc:
                raise _fail(path, produced, f"corrupt gzip stream: {exc}") from exc
            if not chunk:
                return
            produced += len(chunk)
            yield chunk


def _zstd_chunks(path: Path) -> Iterator[bytes]:
    # A zstd stream reader returns b"" on a cut frame instead of failing, so frames are
    # decoded by hand and an unfinished one at end of file is reported as a truncation.
    # The decoder has no output cap, so it is fed ZSTD_SLICE bytes at a time: a zstd bomb
    # (1 GiB from 32 kB) then comes out in bounded chunks instead of one huge allocation
    # ("bad input gets a clear error and loses nothing": the JSONL reader reports the line).
    context = zstandard.ZstdDecompressor()
    decoder = context.decompressobj()
    in_frame = False
    produced = 0
    pending: list[bytes] = []
    pending_len = 0
    with path.open("rb") as handle:
        while compressed := handle.read(CHUNK_SIZE):
            view = memoryview(compressed)
            for start in range(0, len(view), ZSTD_SLICE):
                piece: bytes | memoryview = view[start : start + ZSTD_SLICE]
                while piece:
                    in_frame = True
                    try:
                        out = decoder.decompress(piece)
                    except zstandard.ZstdError as exc:
                        if pending:
                            yield b"".join(pending)
                        raise _fail(path, produced, f"corrupt zstd stream: {exc}") from exc
                    if out:
                        produced += len(out)
                        if len(out) >= CHUNK_SIZE:  # a bomb's output: cut, never joined
                            if pending:
                                yield b"".join(pending)
                                pending = []
                                pending_len = 0
                            for cut in range(0, len(out), CHUNK_SIZE):
                                yield out[cut : cut + CHUNK_SIZE]
                        else:
                            pending.append(out)
                            pending_len += len(out)
                            if pending_len >= CHUNK_SIZE:
                                yield b"".join(pending)
                                pending = []
                                pending_len = 0
                    if decoder.eof:
                        piece = decoder.unused_data
                        decoder = context.decompressobj()
                        in_frame = False
                    else:
                        piece = b""
    if pending:
        yield b"".join(pending)
    if in_frame:
        raise _fail(path, produced, "truncated zstd stream (file ends inside a frame)")


def _claimed_compression(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith((".zst", ".zstd")):
        return "zstd"
    return None


def decompressed_chunks(path: Path) -> Iterator[bytes]:
    """Chunks of the decompressed content of ``path``, about :data:`CHUNK_SIZE` bytes each."""
    compression = sniff_compression(path)
    claimed = _claimed_compression(path)
    if claimed is not None and claimed != compression:
        msg = f"{path}: not a {claimed} file (the name says {claimed}, the first bytes do not)"
        raise InputError(msg, path=str(path))
    if compression == "gzip":
        return _gzip_chunks(path)
    if compression == "zstd":
        return _zstd_chunks(path)
    return _plain_chunks(path)
