"""W3C TDM Reservation Protocol: tdmrep.json, headers, HTML meta, EPUB and PDF metadata.

TDMRep CG Final Report (optout-signals.md §4): ``tdm-reservation`` is exactly ``1`` or ``0``;
any other value is a protocol error and leaves it unset (T-05, T-06). In tdmrep.json "the most
specific match is the first in sequence": array order decides, not length (T-01, T-02).
Layers chain file < header < HTML < EPUB/PDF, the most local wins and an absent value does not
reset (T-07..T-09, §4.3); so the chain is resolved here, inside the family, before the
cross-family "any refusal wins" rule sees it (C-03).
"""

from __future__ import annotations

import importlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from moisson.optout._robots import compile_pattern, pattern_matches
from moisson.optout._urls import encode_path

etree: Any = importlib.import_module("lxml.etree")

__all__ = (
    "TdmLayer",
    "TdmRule",
    "TdmRules",
    "parse_tdmrep_json",
    "resolve_chain",
    "tdm_from_epub",
    "tdm_from_headers",
    "tdm_from_meta",
    "tdm_from_pdf",
)

TDM_NS_EPUB = "http://www.w3.org/ns/tdmrep#"
TDM_NS_PDF = "http://www.w3.org/ns/tdmrep/"


@dataclass(slots=True)
class TdmLayer:
    """What one technique said: reservation 1/0/None (unset), policy, and where it came from."""

    source: str  # "file" | "header" | "html" | "epub" | "pdf"
    reservation: int | None
    policy: str | None = None
    raw: Any = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Per-purpose signal built from this layer alone (site-file layers are shared by pages).
    signals: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "reservation": self.reservation}
        if self.policy:
            out["policy"] = self.policy
        if self.raw is not None:
            out["raw"] = self.raw
        if self.error:
            out["error"] = self.error
        out.update(self.extra)
        return out


@dataclass(slots=True)
class TdmRule:
    location: str
    reservation: Any
    policy: Any
    index: int
    compiled: tuple[str, bool, tuple[str, ...]]


@dataclass(slots=True)
class TdmRules:
    rules: list[TdmRule]

    def match_index(self, path: str) -> int | None:
        """Position of the first rule whose location matches (T-01), or None."""
        for position, rule in enumerate(self.rules):
            if pattern_matches(rule.compiled, path):
                return position
        return None

    def layer_for(self, path: str) -> TdmLayer:
        """The first rule in sequence whose location matches the encoded path (T-01)."""
        for rule in self.rules:
            if pattern_matches(rule.compiled, path):
                raw = {"location": rule.location, "tdm-reservation": rule.reservation}
                value, error = _reservation(rule.reservation)
                policy = rule.policy if isinstance(rule.policy, str) else None
                return TdmLayer("file", value, policy, raw, error, {"rule_index": rule.index})
        return TdmLayer("file", None, None, None, None, {"rule_index": None})


def _reservation(value: Any) -> tuple[int | None, str | None]:
    # JSON numbers 0 and 1 only; true/"1"/2/null are protocol errors, so unset (T-05).
    if type(value) is int and value in (0, 1):
        return value, None
    return None, f"invalid tdm-reservation {value!r}: protocol error, treated as unset"


def parse_tdmrep_json(body: bytes) -> TdmRules:
    """Parse ``/.well-known/tdmrep.json``; raises ValueError when it is not a rule array."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except RecursionError:
        msg = "tdmrep.json is nested too deeply to be a rule array"
        raise ValueError(msg) from None
    if not isinstance(data, list):
        msg = "tdmrep.json is not a JSON array"
        raise ValueError(msg)
    rules: list[TdmRule] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("location"), str):
            continue
        pattern = encode_path(item["location"], pattern=True)
        rules.append(
            TdmRule(
                item["location"],
                item.get("tdm-reservation"),
                item.get("tdm-policy"),
                index,
                compile_pattern(pattern),
            )
        )
    return TdmRules(rules)


def tdm_from_headers(pairs: list[tuple[str, str]]) -> TdmLayer | None:
    """``tdm-reservation``/``tdm-policy`` headers (field names case-insensitive, T-06)."""
    values = [v for k, v in pairs if k == "tdm-reservation"]
    policies = [v for k, v in pairs if k == "tdm-policy"]
    if not values and not policies:
        return None
    return _text_layer("header", values, policies)


def tdm_from_meta(meta: list[tuple[str, str]]) -> TdmLayer | None:
    """``<meta name="tdm-reservation" content="1">`` (+ ``tdm-policy``)."""
    values = [c for n, c in meta if n.strip().lower() == "tdm-reservation"]
    policies = [c for n, c in meta if n.strip().lower() == "tdm-policy"]
    if not values and not policies:
        return None
    return _text_layer("html", values, policies)


def _text_layer(source: str, values: list[str], policies: list[str]) -> TdmLayer:
    reservation: int | None = None
    error: str | None = None
    for value in values:
        text = value.strip()
        if text in ("0", "1"):
            # Repeated lines: a refusal among them is kept (any explicit reservation wins).
            reservation = 1 if text == "1" or reservation == 1 else 0
        else:
            error = f"invalid tdm-reservation {value!r}: protocol error, treated as unset"
    policy = policies[-1].strip() if policies else None
    return TdmLayer(
        source, reservation, policy, {"tdm-reservation": values, "tdm-policy": policies}, error
    )


# The XMP packet of a PDF: an x:xmpmeta element, or a bare rdf:RDF one.
_PACKET_TAGS = ((b"<x:xmpmeta", b"</x:xmpmeta>"), (b"<rdf:RDF", b"</rdf:RDF>"))


def xmp_packets(data: bytes) -> Iterator[bytes]:
    """The XMP packets of ``data``, in order, as ``re.findall`` of
    ``<x:xmpmeta.*?</x:xmpmeta>|<rdf:RDF.*?</rdf:RDF>`` (DOTALL) finds them, in linear time.

    That regex, retried at every opening tag, reads to the end of the file each time an
    element is never closed: a 2 MB file of unclosed tags would hold the opt-out check for
    hours. A kind of element that is not closed after one opening is not closed after any
    later one either, so it is looked for no more.
    """
    kinds = list(_PACKET_TAGS)
    position = 0
    while kinds:
        found = [(data.find(opening, position), opening, closing) for opening, closing in kinds]
        found = [f for f in found if f[0] != -1]
        if not found:
            return
        start, opening, closing = min(found)
        end = data.find(closing, start + len(opening))
        if end == -1:
            kinds.remove((opening, closing))
            continue
        position = end + len(closing)
        yield data[start:position]


def _xmp_value(xml: bytes, namespace: str, name: str) -> str | None:
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    tag = f"{{{namespace}}}{name}"
    for element in root.iter():
        value = element.get(tag)
        if value is not None:
            return str(value)
        if element.tag == tag:
            return str(element.text or "")
    return None


def tdm_from_pdf(data: bytes) -> TdmLayer | None:
    """TDMRep in the XMP packet of a PDF (namespace with a trailing slash, T-14)."""
    for packet in xmp_packets(data):
        value = _xmp_value(packet, TDM_NS_PDF, "reservation")
        if value is not None:
            policy = _xmp_value(packet, TDM_NS_PDF, "policy")
            return _text_layer("pdf", [value], [policy] if policy else [])
    return None


# An OPF package document is a few kB of metadata and manifest, the metadata first (OPF 3.3
# §5.4). Only its first MiB is read: a 500 kB EPUB inflated to a 500 MB .opf held 1 GB of
# memory. A refusal in that first MiB still counts (conservative, like R-09 for robots.txt).
_OPF_MAX_BYTES = 1024 * 1024
# An EPUB names one package document (rarely a few, EPUB Multiple-Rendition): at most this many
# are read, so a ZIP of a thousand 1 MiB .opf entries cannot cost a GiB either.
_OPF_MAX_ENTRIES = 8
# Every way a damaged or hostile archive entry fails to read: a bad CRC or header, a corrupt
# deflate stream, an encrypted entry, an unknown compression method, a truncated stream.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    EOFError,
    OSError,
    ValueError,
)


def _read_opf(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, bool]:
    """The first ``_OPF_MAX_BYTES`` of one package document, and whether there was more."""
    with archive.open(info) as stream:
        data = stream.read(_OPF_MAX_BYTES + 1)  # the declared size may lie: read, then judge
    return data[:_OPF_MAX_BYTES], len(data) > _OPF_MAX_BYTES


def tdm_from_epub(data: bytes) -> TdmLayer | None:
    """TDMRep in the OPF package metadata of an EPUB 2 or EPUB 3 file (T-14).

    An archive that is not a ZIP at all says nothing (None). A package document that cannot be
    read (corrupt, encrypted) leaves the reservation unset with the reason recorded,
    as an invalid value does (T-05): the less local layers still decide (§4.3).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return None
    errors: list[str] = []
    read = 0
    with archive:
        for info in archive.infolist():
            name = info.filename
            if not name.lower().endswith(".opf"):
                continue
            if read == _OPF_MAX_ENTRIES:
                errors.append(f"more than {_OPF_MAX_ENTRIES} package documents, rest not read")
                break
            read += 1
            try:
                opf, truncated = _read_opf(archive, info)
            except _ZIP_ERRORS as exc:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            try:
                root = etree.fromstring(
                    opf, parser=etree.XMLParser(recover=True, resolve_entities=False)
                )
            except etree.XMLSyntaxError:
                continue
            if root is None:
                continue
            values: list[str] = []
            policies: list[str] = []
            prefix_map = _epub_prefixes(root.get("prefix") or "")
            for meta in root.iter("{*}meta"):
                name_attr = (meta.get("name") or "").strip().lower()
                prop = (meta.get("property") or "").strip()
                if name_attr == "tdm:reservation":  # EPUB 2
                    values.append(meta.get("content") or "")
                elif name_attr == "tdm:policy":
                    policies.append(meta.get("content") or "")
                elif ":" in prop:
                    prefix, _, local = prop.partition(":")
                    if prefix_map.get(prefix) == TDM_NS_EPUB or (
                        prefix == "tdm" and not prefix_map
                    ):
                        if local == "reservation":
                            values.append(meta.text or "")
                        elif local == "policy":
                            policies.append(meta.text or "")
            if values or policies:
                layer = _text_layer("epub", values, policies)
                layer.extra["package"] = name
                if truncated:
                    layer.extra["truncated_at_bytes"] = _OPF_MAX_BYTES
                if errors:
                    layer.extra["unreadable_packages"] = errors
                return layer
    if errors:
        return TdmLayer(
            "epub",
            None,
            error=f"package document unreadable, treated as unset: {'; '.join(errors)}",
        )
    return None


def _epub_prefixes(declaration: str) -> dict[str, str]:
    parts = declaration.split()
    return {
        parts[i].rstrip(":"): parts[i + 1]
        for i in range(0, len(parts) - 1, 2)
        if parts[i].endswith(":")
    }


def resolve_chain(layers: list[TdmLayer]) -> tuple[int | None, str | None, TdmLayer | None]:
    """Most local wins; an unset value never resets an earlier one (§4.3)."""
    reservation: int | None = None
    policy: str | None = None
    decided: TdmLayer | None = None
    for layer in layers:
        if layer.reservation is not None:
            reservation, decided = layer.reservation, layer
            policy = layer.policy if layer.policy else (policy if layer.reservation == 1 else None)
        elif layer.policy:
            policy = layer.policy
    return reservation, policy, decided
