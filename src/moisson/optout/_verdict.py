"""Tri-state decisions, per-family signals and the cross-family combination rule (SCR-05/06/13).

Each family is evaluated with its own semantics and yields :class:`Signal` objects; the
families are then combined by one documented, conservative rule (optout-signals.md §11.3):
any explicit refusal wins, otherwise any explicit allowance, otherwise unknown. An ``error``
signal never allows: it counts as unknown unless its evaluator already failed closed.
An allowance is recorded as a *preference*, never as consent (brief SCR-05).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = (
    "DECISIONS",
    "PURPOSES",
    "SPEC_OF_FAMILY",
    "Decision",
    "Purpose",
    "Signal",
    "SignalDecision",
    "Verdict",
    "combine",
    "stronger",
)

Decision = Literal["allow", "disallow", "unknown"]
SignalDecision = Literal["allow", "disallow", "unknown", "error"]
Purpose = Literal["train-ai", "search", "ai-input", "tdm-research"]

DECISIONS: tuple[Decision, ...] = ("allow", "disallow", "unknown")
PURPOSES: tuple[Purpose, ...] = ("train-ai", "search", "ai-input", "tdm-research")


# The text each family is evaluated against, recorded with every signal (optout-signals.md §11.1).
SPEC_OF_FAMILY: dict[str, str] = {
    "robots-txt": "RFC 9309",
    "robots-content-usage": "draft-ietf-aipref-attach-05 + vocab-07",
    "content-signal": "Cloudflare Content Signals Policy (draft-romm-aipref-contentsignals)",
    "content-usage": "draft-ietf-aipref-attach-05 + vocab-07 (RFC 9651 dictionary)",
    "x-robots-tag": "X-Robots-Tag (Google syntax) with noai/noimageai/noml",
    "meta-robots": "meta robots (Google syntax) with noai/noimageai/noml",
    "tdmrep": "W3C TDM Reservation Protocol, CG Final Report",
    "ai-txt": "Spawning ai.txt (robots.txt grammar)",
    "iptc": "IPTC Photo Metadata 2023.1 plus:DataMining",
    "c2pa": "CAWG training-and-data-mining assertion 1.1",
    "local-list": "controller opt-out list (SCR-08)",
    "url": "RFC 3986 (the URL itself could not be parsed: fails closed)",
}


@dataclass(slots=True)
class Signal:
    """What one family said about one URL, with the evidence that supports it (SCR-05)."""

    family: str
    decision: SignalDecision
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        evidence = self.evidence
        spec = SPEC_OF_FAMILY.get(self.family)
        if spec is not None and "spec" not in evidence:
            evidence = {**evidence, "spec": spec}
        return {"family": self.family, "decision": self.decision, "evidence": evidence}


_RANK = {"disallow": 3, "allow": 2, "unknown": 1, "error": 0}


def stronger(new: str, old: str) -> bool:
    """Whether ``new`` outranks ``old`` under the most-restrictive rule (within one family)."""
    return _RANK[new] > _RANK[old]


def combine(signals: Iterable[Signal]) -> Decision:
    """Any disallow wins; else any allow; else unknown (aipref 'most restrictive', §11.3)."""
    seen_allow = False
    for signal in signals:
        if signal.decision == "disallow":
            return "disallow"
        if signal.decision == "allow":
            seen_allow = True
    return "allow" if seen_allow else "unknown"


@dataclass(slots=True)
class Verdict:
    """The combined decision for one URL and one purpose, with every signal that fed it."""

    url: str
    decision: Decision
    signals: list[Signal] = field(default_factory=list)
    purpose: str = "train-ai"

    @classmethod
    def of(cls, url: str, signals: list[Signal], purpose: str) -> Verdict:
        return cls(url=url, decision=combine(signals), signals=signals, purpose=purpose)

    @property
    def refusing_families(self) -> list[str]:
        """Families that said disallow, in evaluation order, without repeats."""
        out: list[str] = []
        for signal in self.signals:
            if signal.decision == "disallow" and signal.family not in out:
                out.append(signal.family)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "decision": self.decision,
            "purpose": self.purpose,
            "signals": [s.to_json() for s in self.signals],
        }
