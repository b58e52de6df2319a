"""A Scrapy DNS resolver that sends chosen host names to fixed addresses (demo and tests).

The demo sites use made-up ``*.example`` names; rather than editing ``/etc/hosts``, the crawler
installs this resolver (``TWISTED_DNS_RESOLVER``) and reads the map from the ``MOISSON_RESOLVE``
setting: a dict ``{host: ip}`` or a list of ``"host=ip"`` strings. Other names resolve normally.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from moisson.errors import ConfigError

__all__ = ("MappedResolver", "parse_resolve")


def parse_resolve(value: Mapping[str, str] | Iterable[str] | str | None) -> dict[str, str]:
    """Normalise ``{host: ip}``, ``["host=ip", ...]`` or ``"host=ip,host=ip"`` to a dict."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k).lower().rstrip("."): str(v) for k, v in value.items()}
    items = value.split(",") if isinstance(value, str) else list(value)
    out: dict[str, str] = {}
    for item in items:
        host, sep, ip = item.strip().partition("=")
        if not sep or not host or not ip:
            msg = f"--resolve '{item}': expected HOST=IP"
            raise ConfigError(msg, key="MOISSON_RESOLVE")
        out[host.strip().lower().rstrip(".")] = ip.strip()
    return out


class MappedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, answering mapped names itself (no DNS query leaves)."""

    mapping: dict[str, str]

    def __init__(self, reactor: Any, cache_size: int, timeout: float, mapping: dict[str, str]):
        super().__init__(reactor, cache_size, timeout)
        self.mapping = mapping

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> MappedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        mapping = parse_resolve(settings.get("MOISSON_RESOLVE"))
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), mapping)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        mapped = self.mapping.get(name.lower().rstrip("."))
        if mapped is not None:
            return defer.succeed(mapped)
        return super().getHostByName(name, timeout)
