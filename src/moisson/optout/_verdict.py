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
    "Decision",
    "Purpose",
    "Signal",
    "SignalDecision",
    "Verdict",
    "combine",
)

Decision = Literal["allow", "disallow", "unknown"]
SignalDecision = Literal["allow", "disallow", "unknown", "error"]
Purpose = Literal["train-ai", "search", "ai-input", "tdm-research"]

DECISIONS: tuple[Decision, ...] = ("allow", "disallow", "unknown")
PURPOSES: tuple[Purpose, ...] = ("train-ai", "search", "ai-input", "tdm-research")


@dataclass(slots=True)
class Signal:
    """What one family said about one URL, with the evidence that supports it (SCR-05)."""

    family: str
    decision: SignalDecision
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "decision": self.decision, "evidence": self.evidence}


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
