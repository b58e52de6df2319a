"""Proof that a website owner controls a domain before a domain objection counts (REG-03).

Two methods, as ACME does (RFC 8555 §8.3 and §8.4): the challenge token served at
``http://<domain>/.well-known/moisson-register.txt``, or a DNS TXT record
``_moisson-register.<domain>`` with value ``moisson-register=<token>``. The host map
(``MOISSON_REGISTER_RESOLVE=host=127.0.0.1:port,...``) lets tests and demos serve domains from
loopback; the DNS resolver is pluggable (:class:`TxtResolver`).
"""

from __future__ import annotations

import secrets
import socket
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

__all__ = (
    "DNS_PREFIX",
    "WELL_KNOWN_PATH",
    "StaticTxtResolver",
    "TxtResolver",
    "UdpTxtResolver",
    "check_dns",
    "check_well_known",
    "dns_name",
    "dns_value",
    "parse_resolve_map",
)

WELL_KNOWN_PATH = "/.well-known/moisson-register.txt"
DNS_PREFIX = "_moisson-register"


class TxtResolver(Protocol):
    def txt_records(self, name: str) -> list[str]: ...


def dns_name(domain: str) -> str:
    return f"{DNS_PREFIX}.{domain}"


def dns_value(token: str) -> str:
    return f"moisson-register={token}"


def parse_resolve_map(text: str) -> dict[str, str]:
    """``a.example=127.0.0.1:8001,b.example=127.0.0.1:8002`` -> mapping host -> host:port."""
    result: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, sep, target = item.partition("=")
        if sep and host and target:
            result[host.strip().lower()] = target.strip()
    return result


# The well-known file holds one token: 4 KiB is plenty. Read raw, never decompressed, within
# one deadline for the whole exchange: anyone may ask the register to fetch their domain, and a
# double-gzip reply of 980 bytes inflated to 1.5 GB, a trickled one held a worker for minutes.
_WELL_KNOWN_MAX_BYTES = 4096


def _fetch_token_file(client: Any, url: str, domain: str, deadline: float) -> bytes | None:
    """Up to ``_WELL_KNOWN_MAX_BYTES`` raw bytes of a 200 reply without content coding."""
    with client.stream("GET", url, headers={"Host": domain, "Accept-Encoding": "identity"}) as r:
        coding = r.headers.get("content-encoding", "identity").strip().lower()
        if r.status_code != 200 or coding not in ("", "identity"):
            return None
        body = bytearray()
        for chunk in r.iter_raw():
            body += chunk
            if len(body) >= _WELL_KNOWN_MAX_BYTES or time.monotonic() > deadline:
                break
        return bytes(body[:_WELL_KNOWN_MAX_BYTES])


def check_well_known(
    domain: str, token: str, *, resolve: Mapping[str, str], timeout: float = 5.0
) -> bool:
    """True when the well-known file of ``domain`` contains ``token`` (no redirects followed;
    at most 4 KiB read, within ``timeout`` seconds for each address tried)."""
    target = resolve.get(domain)
    urls = (
        [f"http://{target}{WELL_KNOWN_PATH}"]
        if target
        else [
            f"https://{domain}{WELL_KNOWN_PATH}",
            f"http://{domain}{WELL_KNOWN_PATH}",
        ]
    )
    import httpx  # imported here: ``moisson --help`` must not pay for the HTTP client

    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for url in urls:
            try:
                body = _fetch_token_file(client, url, domain, time.monotonic() + timeout)
            except httpx.HTTPError:
                continue
            if body is not None and token in body.decode("utf-8", "replace").split():
                return True
    return False


def check_dns(domain: str, token: str, *, resolver: TxtResolver) -> bool:
    """True when a TXT record ``_moisson-register.<domain>`` carries ``moisson-register=<token>``."""
    try:
        records = resolver.txt_records(dns_name(domain))
    except OSError:
        return False
    return dns_value(token) in {record.strip() for record in records}


@dataclass
class StaticTxtResolver:
    """TXT records from a mapping (configuration-driven deployments and tests)."""

    records: dict[str, list[str]] = field(default_factory=dict)

    def txt_records(self, name: str) -> list[str]:
        return list(self.records.get(name.lower(), []))


def _system_nameserver() -> tuple[str, int]:
    try:
        for line in Path("/etc/resolv.conf").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver":
                return parts[1], 53
    except OSError:
        pass
    return "127.0.0.1", 53


@dataclass
class UdpTxtResolver:
    """A minimal stub resolver (RFC 1035 §4) asking one name server for TXT records over UDP."""

    server: tuple[str, int] = field(default_factory=_system_nameserver)
    timeout: float = 3.0

    def txt_records(self, name: str) -> list[str]:
        query_id = secrets.randbits(16)
        question = b"".join(
            bytes([len(label)]) + label.encode("idna") for label in name.rstrip(".").split(".")
        )
        packet = struct.pack(">HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question + b"\x00"
        packet += struct.pack(">HH", 16, 1)  # QTYPE=TXT, QCLASS=IN
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(self.timeout)
            sock.sendto(packet, self.server)
            reply, _ = sock.recvfrom(4096)
        return _parse_txt_reply(reply, query_id)


def _skip_name(data: bytes, offset: int) -> int:
    while True:
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:  # compression pointer (RFC 1035 §4.1.4)
            return offset + 2
        offset += length + 1


def _parse_txt_reply(data: bytes, query_id: int) -> list[str]:
    reply_id, flags, qdcount, ancount = struct.unpack(">HHHH", data[:8])
    if reply_id != query_id or flags & 0x000F:
        return []
    offset = 12
    for _ in range(qdcount):
        offset = _skip_name(data, offset) + 4
    records: list[str] = []
    for _ in range(ancount):
        offset = _skip_name(data, offset)
        rtype, _cls, _ttl, rdlength = struct.unpack(">HHIH", data[offset : offset + 10])
        offset += 10
        if rtype == 16:
            chunks, position = [], offset
            while position < offset + rdlength:
                size = data[position]
                chunks.append(data[position + 1 : position + 1 + size].decode("utf-8", "replace"))
                position += size + 1
            records.append("".join(chunks))
        offset += rdlength
    return records
