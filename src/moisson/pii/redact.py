"""Actions on detected personal data: keep, mask, pseudonymise, drop (PII-03, SCR-09, SCR-10).

``mask`` writes ``[EMAIL]``; ``pseudonymise`` writes ``[EMAIL_3f9a2c]``, the label and six hex
digits of an HMAC of the normalised value with the workspace secret (purpose ``pseudonym``), so
the same person gets the same token within a workspace and the secret never leaves it.
``drop`` removes the whole document, as do the policy's thresholds. Nothing returned here holds
a clear value: rows carry offsets in the output text, tokens and keyed hashes only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from moisson.persons.normalise import fold_text, normalise_identifier
from moisson.pii._types import IDENTIFIER_LABELS, AnalysisResult, Span

__all__ = (
    "Action",
    "KeyedHash",
    "Minimised",
    "Pseudonymiser",
    "Redaction",
    "minimise",
    "normalise_value",
    "redact",
)

Action = Literal["keep", "mask", "pseudonymise", "drop"]
ACTIONS: tuple[str, ...] = ("keep", "mask", "pseudonymise", "drop")
_SEPARATORS = re.compile(r"[\s.\-/]")


class KeyedHash(Protocol):
    """The workspace's HMAC (``Workspace.keyed_hash`` or ``TaskContext.keyed_hash``)."""

    def __call__(self, value: str, *, purpose: str = ...) -> str: ...


def normalise_value(label: str, value: str) -> str:
    """Canonical form of a detected value, so surface variants share a token (RGT-02)."""
    if label == "PHONE":
        for region in ("FR", "GB", "US"):
            phone = normalise_identifier("PHONE", value, default_region=region)
            if phone is not None:
                return phone
    normalised = normalise_identifier(label, value)
    if normalised is not None:
        return normalised
    if label in {"FR_SIRET", "FR_SIREN", "IP_ADDRESS", "IBAN", "FR_NIR", "CREDIT_CARD"}:
        return _SEPARATORS.sub("", value).upper()
    return fold_text(value)


class Pseudonymiser:
    """Stable keyed tokens and person-index hashes for detected values."""

    def __init__(self, keyed_hash: KeyedHash) -> None:
        self._keyed_hash = keyed_hash

    def token(self, label: str, value: str) -> str:
        digest = self._keyed_hash(normalise_value(label, value), purpose="pseudonym")
        return f"[{label}_{digest[:6]}]"

    def key_hash(self, label: str, value: str) -> str | None:
        """Hash for the person index (purpose ``person``), identifier labels only."""
        if label not in IDENTIFIER_LABELS:
            return None
        return self._keyed_hash(normalise_value(label, value), purpose="person")


@dataclass(frozen=True, slots=True)
class Redaction:
    """What was done to one span; ``start``/``end`` are offsets in the output text."""

    label: str
    start: int
    end: int
    action: str
    token: str | None
    key_hash: str | None
    detector: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "action": self.action,
            "token": self.token,
            "key_hash": self.key_hash,
            "detector": self.detector,
        }


def redact(
    text: str,
    spans: Sequence[Span],
    actions: Mapping[str, str],
    *,
    default_action: str = "mask",
    pseudonymiser: Pseudonymiser | None = None,
) -> tuple[str, list[Redaction]]:
    """Apply per-label actions to non-overlapping ``spans``; ``drop`` spans are masked.

    Pseudonymisation needs a :class:`Pseudonymiser` (that is, a workspace secret).
    """
    parts: list[str] = []
    rows: list[Redaction] = []
    cursor = 0
    length = 0
    for span in sorted(spans, key=lambda s: s.start):
        action = actions.get(span.label, default_action)
        value = text[span.start : span.end]
        if action == "pseudonymise" and pseudonymiser is None:
            msg = "pseudonymise needs a workspace secret: run inside a workspace or choose mask"
            raise ValueError(msg)
        before = text[cursor : span.start]
        parts.append(before)
        length += len(before)
        if action == "keep":
            token = None
            replacement = value
        elif action == "pseudonymise" and pseudonymiser is not None:
            token = pseudonymiser.token(span.label, value)
            replacement = token
        else:
            token = f"[{span.label}]"
            replacement = token
        key_hash = pseudonymiser.key_hash(span.label, value) if pseudonymiser else None
        rows.append(
            Redaction(
                span.label,
                length,
                length + len(replacement),
                "mask" if action == "drop" else action,
                token,
                key_hash,
                span.detector,
            )
        )
        parts.append(replacement)
        length += len(replacement)
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts), rows


@dataclass(frozen=True, slots=True)
class Minimised:
    """Outcome for one document: new text and rows, or the reason it is dropped."""

    text: str
    rows: list[Redaction]
    drop_reason: str | None


def minimise(
    text: str,
    result: AnalysisResult,
    *,
    actions: Mapping[str, str],
    default_action: str,
    drop_document_above: int | None,
    special_categories: str,
    pseudonymiser: Pseudonymiser | None,
) -> Minimised:
    """Decide drop or redaction for one document under a policy (PII-03, SCR-10)."""
    if special_categories == "drop" and result.sensitive:
        return Minimised(text, [], f"sensitive/{result.sensitive[0].category}")
    for span in result.spans:
        if actions.get(span.label, default_action) == "drop":
            return Minimised(text, [], f"label/{span.label}")
    if drop_document_above is not None and len(result.spans) > drop_document_above:
        return Minimised(text, [], "too_many_identifiers")
    new_text, rows = redact(
        text,
        result.spans,
        actions,
        default_action=default_action,
        pseudonymiser=pseudonymiser,
    )
    return Minimised(new_text, rows, None)
