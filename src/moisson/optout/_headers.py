"""One normaliser for every header container, so decisions never depend on it (C-10, SCR-05).

datadiligence misses ``x-robots-tag`` in a lower-case dict and keeps only the first of repeated
lines (optout-signals.md §9.1, X-04/X-08); here every container becomes the same ordered list
of ``(lower-case name, value)`` pairs, repeated names kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ("HeaderInput", "normalise_headers")

HeaderInput = Any  # dict, list of pairs, Scrapy Headers, httpx.Headers, HTTPMessage, WARC headers


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("latin-1")
    return str(value)


def _pairs_from_mapping(headers: Mapping[Any, Any]) -> Iterable[tuple[Any, Any]]:
    getlist = getattr(headers, "getlist", None)  # Scrapy Headers: bytes keys, list values
    for key in list(headers.keys()):
        values = getlist(key) if getlist is not None else headers[key]
        if isinstance(values, list | tuple):
            for value in values:
                yield key, value
        else:
            yield key, values


def _raw_pairs(headers: HeaderInput) -> Iterable[tuple[Any, Any]]:
    if headers is None:
        return ()
    multi_items = getattr(headers, "multi_items", None)  # httpx.Headers
    if callable(multi_items):
        return list(multi_items())
    astuples = getattr(headers, "astuples", None)  # fastwarc WarcHeaderMap
    if callable(astuples):
        return list(astuples())
    inner = getattr(headers, "headers", None)  # warcio StatusAndHeaders
    if isinstance(inner, list):
        return inner
    get_all = getattr(headers, "get_all", None)  # http.client.HTTPMessage / email.Message
    if callable(get_all) and callable(getattr(headers, "items", None)):
        return list(headers.items())
    if isinstance(headers, Mapping):
        return list(_pairs_from_mapping(headers))
    return list(headers)


def normalise_headers(headers: HeaderInput) -> list[tuple[str, str]]:
    """Return ``[(lower-case name, stripped value), ...]`` in the order received."""
    out: list[tuple[str, str]] = []
    if type(headers) is list:  # fast path: stored documents keep (str, str) pairs
        for item in headers:
            if (
                type(item) is not tuple
                or len(item) != 2
                or type(item[0]) is not str
                or type(item[1]) is not str
            ):
                out = []
                break
            out.append((item[0].strip().lower(), item[1].strip()))
        else:
            return out
    for key, value in _raw_pairs(headers):
        out.append((_text(key).strip().lower(), _text(value).strip()))
    return out
