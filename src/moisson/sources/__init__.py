"""Source readers: JSONL, Parquet, WARC and local Hugging Face datasets to :class:`Document`.

Usage::

    from moisson.sources import open_reader

    reader = open_reader(Path("crawl.warc.gz"))          # format from name and magic bytes
    for doc in reader.read(on_error=quarantine.add):     # on_error raises to stop the run
        ...
    reader.stats                                         # Counter of records, skips, errors

Malformed records go to ``on_error`` as :class:`~moisson.errors.RecordError` naming the file,
the line / byte offset / row and the reason (issue 2, item 8); unreadable files raise
:class:`~moisson.errors.InputError`.
"""

from __future__ import annotations

from moisson.sources.base import (
    DEFAULT_MAX_RECORD_BYTES,
    RAW_CAP,
    OnError,
    SourceReader,
    raise_record_error,
)
from moisson.sources.detect import FORMATS, detect_format
from moisson.sources.html import extract_html_meta, html_to_text
from moisson.sources.language import detect_language
from moisson.sources.registry import READERS, open_reader, reader_class

__all__ = (
    "DEFAULT_MAX_RECORD_BYTES",
    "FORMATS",
    "RAW_CAP",
    "READERS",
    "OnError",
    "SourceReader",
    "detect_format",
    "detect_language",
    "extract_html_meta",
    "html_to_text",
    "open_reader",
    "raise_record_error",
    "reader_class",
)
