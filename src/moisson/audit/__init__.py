"""Pillar 4: the memorisation audit of trained models (MOD-01..04).

Canaries planted before training, then tests on the trained model (canary exposure,
membership inference, targeted extraction, verbatim regurgitation) and a documented status:
anonymous, personal data, or undetermined (:mod:`moisson.audit.status`). The heavy parts
(torch, transformers) load only when a model is, so importing this package stays cheap.
"""

from __future__ import annotations

from moisson.audit.canaries import Canary, make_canaries, read_canaries, write_canaries
from moisson.audit.records import Person, TextRecord, read_people, read_texts

__all__ = (
    "Canary",
    "Person",
    "TextRecord",
    "make_canaries",
    "read_canaries",
    "read_people",
    "read_texts",
    "write_canaries",
)
