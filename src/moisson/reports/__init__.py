"""Compliance documents generated from the workspace's recorded facts (DOC-01, DOC-02).

``collect_facts`` reads what the workspace knows; ``build_documents`` renders the
legitimate-interest assessment, DPIA screening, information notice, model and dataset cards,
AI Act training-content summary and open-source release checklist, in French and English, as
Markdown, HTML and PDF; ``check_documents`` says which are stale or miss a required fact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
    from moisson.reports.build import FORMATS, BuildResult, build_documents, default_out_dir
    from moisson.reports.check import Problem, check_documents
    from moisson.reports.collect import collect_facts
    from moisson.reports.documents import DOCUMENTS, DocumentSpec
    from moisson.reports.facts import Facts, Known, Missing
    from moisson.reports.render import RenderedDocument, render_document

# Imported on first use (moisson/_lazy.py): collecting facts opens the ledger and the store,
# which ``moisson --help`` and the other commands must not pay for.
_LAZY = {
    "FORMATS": "moisson.reports.build",
    "BuildResult": "moisson.reports.build",
    "build_documents": "moisson.reports.build",
    "default_out_dir": "moisson.reports.build",
    "Problem": "moisson.reports.check",
    "check_documents": "moisson.reports.check",
    "collect_facts": "moisson.reports.collect",
    "DOCUMENTS": "moisson.reports.documents",
    "DocumentSpec": "moisson.reports.documents",
    "Facts": "moisson.reports.facts",
    "Known": "moisson.reports.facts",
    "Missing": "moisson.reports.facts",
    "RenderedDocument": "moisson.reports.render",
    "render_document": "moisson.reports.render",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())

__all__ = (
    "DOCUMENTS",
    "FORMATS",
    "BuildResult",
    "DocumentSpec",
    "Facts",
    "Known",
    "Missing",
    "Problem",
    "RenderedDocument",
    "build_documents",
    "check_documents",
    "collect_facts",
    "default_out_dir",
    "render_document",
)
