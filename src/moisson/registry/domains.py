"""Domain names and crawler user agents as the register indexes them (REG-02).

A declaration of ``example.org`` covers ``www.example.org``: a search for a host returns the
campaigns declaring the host or any parent domain (never the bare top-level domain).
"""

from __future__ import annotations

import re

__all__ = ("agent_token", "domain_candidates", "normalise_domain")

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_domain(text: str) -> str:
    """Lower-case IDNA (punycode) form of a host name; raises ValueError naming the reason."""
    value = text.strip().lower().rstrip(".")
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split(":", 1)[0]
    if not value:
        msg = "empty domain name"
        raise ValueError(msg)
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        msg = f"not a valid domain name: {text!r}"
        raise ValueError(msg) from None
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        msg = f"not a valid domain name: {text!r}"
        raise ValueError(msg)
    return value


def domain_candidates(domain: str) -> list[str]:
    """``a.b.example.org`` -> ``[a.b.example.org, b.example.org, example.org]``."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def agent_token(user_agent: str) -> str:
    """The product token of a user agent (RFC 9110 §10.1.5): ``Moisson-Bot/1.0 (+url)`` -> ``moisson-bot``."""
    first = user_agent.strip().split(" ", 1)[0] if user_agent.strip() else ""
    return first.split("/", 1)[0].lower()
