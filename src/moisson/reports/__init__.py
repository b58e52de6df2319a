"""Compliance documents generated from the workspace's recorded facts (DOC-01, DOC-02).

``collect_facts`` reads what the workspace knows; ``build_documents`` renders the
legitimate-interest assessment, DPIA screening, information notice, model and dataset cards,
AI Act training-content summary and open-source release checklist, in French and English, as
Markdown, HTML and PDF; ``check_documents`` says which are stale or miss a required fact.
"""

from moisson.reports.build import FORMATS, BuildResult, build_documents, default_out_dir
from moisson.reports.check import Problem, check_documents
from moisson.reports.collect import collect_facts
from moisson.reports.documents import DOCUMENTS, DocumentSpec
from moisson.reports.facts import Facts, Known, Missing
from moisson.reports.render import RenderedDocument, render_document

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
