"""Machine-readable opt-outs for AI training: one evaluator a family, one combining engine.

Families (optout-signals.md §1; brief SCR-05/06/13, SCR-08): robots.txt with AI product and
control tokens plus its ``Content-Usage``/``Content-Signal`` lines, X-Robots-Tag and meta robots
(``noai``, ``noimageai``, ``noml``), TDMRep (tdmrep.json, headers, meta, EPUB, PDF), aipref
``Content-Usage`` headers, Spawning ai.txt, IPTC and C2PA media metadata, and the controller's
local opt-out list. Any explicit refusal wins; errors fail closed for training.

    engine = OptoutEngine(["moisson-bot", "GPTBot"], HttpxFetcher())
    verdict = engine.evaluate("https://example.org/page", headers=response.headers)
    if verdict.decision == "disallow": ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
    from moisson.optout._engine import OptoutEngine
    from moisson.optout._fetch import FetchResult, HttpxFetcher, SiteFileFetcher
    from moisson.optout._headers import normalise_headers
    from moisson.optout._html import extract_meta
    from moisson.optout._local import LocalOptoutList
    from moisson.optout._tokens import DEFAULT_AI_TOKENS
    from moisson.optout._verdict import PURPOSES, Decision, Purpose, Signal, Verdict, combine
    from moisson.optout.gate import OptoutGate
    from moisson.optout.recheck import RecheckReport, Removal, recheck_documents

# Imported on first use: a command that only needs the purposes or one evaluator must not pay
# for the engine, its HTTP client and the store (PEP 562, moisson/_lazy.py).
_LAZY = {
    "OptoutEngine": "moisson.optout._engine",
    "FetchResult": "moisson.optout._fetch",
    "HttpxFetcher": "moisson.optout._fetch",
    "SiteFileFetcher": "moisson.optout._fetch",
    "normalise_headers": "moisson.optout._headers",
    "extract_meta": "moisson.optout._html",
    "LocalOptoutList": "moisson.optout._local",
    "DEFAULT_AI_TOKENS": "moisson.optout._tokens",
    "PURPOSES": "moisson.optout._verdict",
    "Decision": "moisson.optout._verdict",
    "Purpose": "moisson.optout._verdict",
    "Signal": "moisson.optout._verdict",
    "Verdict": "moisson.optout._verdict",
    "combine": "moisson.optout._verdict",
    "OptoutGate": "moisson.optout.gate",
    "RecheckReport": "moisson.optout.recheck",
    "Removal": "moisson.optout.recheck",
    "recheck_documents": "moisson.optout.recheck",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())

__all__ = (
    "DEFAULT_AI_TOKENS",
    "PURPOSES",
    "Decision",
    "FetchResult",
    "HttpxFetcher",
    "LocalOptoutList",
    "OptoutEngine",
    "OptoutGate",
    "Purpose",
    "RecheckReport",
    "Removal",
    "Signal",
    "SiteFileFetcher",
    "Verdict",
    "combine",
    "extract_meta",
    "normalise_headers",
    "recheck_documents",
)
