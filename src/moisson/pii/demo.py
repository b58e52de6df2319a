"""The PII part of ``moisson demo``: what was found per label, what was masked or dropped.

Documents come from the demo state (``ctx.state["documents"]``, set by the collection stage)
when present, else from a small bundled sample. They go through the same
:class:`~moisson.pii.step.PiiMinimiser` as ingest and crawl, under the workspace policy.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from importlib import resources

from moisson.demo.stage import DemoContext, StageReport
from moisson.pii._types import LABELS, SENSITIVE_CATEGORIES
from moisson.pii.step import PiiMinimiser
from moisson.pipeline.step import TaskContext
from moisson.store.document import Document

__all__ = ("demo_stage", "sample_documents")


def sample_documents() -> list[Document]:
    """The bundled sample: French and English texts with personal data and look-alikes."""
    text = resources.files("moisson.pii").joinpath("data", "demo_samples.jsonl").read_text("utf-8")
    docs = []
    for line in text.splitlines():
        record = json.loads(line)
        docs.append(Document.new(record["text"], source_id=record["id"], lang=record["lang"]))
    return docs


def _table(stats: Counter[str]) -> str:
    rows = []
    for label in LABELS:
        found = stats.get(f"pii/{label}", 0)
        if found:
            rows.append(f"<tr><td>{label}</td><td>{found}</td></tr>")
    for category in SENSITIVE_CATEGORIES:
        found = stats.get(f"sensitive/{category}", 0)
        if found:
            rows.append(f"<tr><td>{category} (special category)</td><td>{found}</td></tr>")
    actions = ", ".join(
        f"{html.escape(k.removeprefix('pii/action/'))}: {v}"
        for k, v in sorted(stats.items())
        if k.startswith("pii/action/")
    )
    drops = ", ".join(
        f"{html.escape(k.removeprefix('dropped/pii/'))}: {v}"
        for k, v in sorted(stats.items())
        if k.startswith("dropped/pii/")
    )
    return (
        "<table><thead><tr><th>label</th><th>found</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table><p>Actions: {actions or 'none'}. "
        f"Documents dropped: {drops or 'none'}.</p>"
    )


def demo_stage(ctx: DemoContext) -> StageReport:
    """Run the minimiser on the demo documents and report counts (never clear values)."""
    state_docs = ctx.state.get("documents")
    docs = list(state_docs) if state_docs else sample_documents()
    if ctx.quick:
        docs = docs[:200]
    workspace = ctx.workspace
    task = TaskContext(task_id="demo-pii", workspace_root=workspace.root, secret=workspace.secret)
    step = PiiMinimiser(workspace.policy.pii)
    kept = list(step.run(docs, task))
    ctx.state["pii_documents"] = kept
    stats = task.stats
    summary: dict[str, object] = {
        "documents": len(docs),
        "kept": len(kept),
        "dropped": stats.get("dropped", 0),
        **{k: v for k, v in sorted(stats.items()) if k.startswith(("pii/", "sensitive/"))},
    }
    example = html.escape(kept[0].text) if kept else ""
    fragment = (
        "<section><h2>Personal data minimisation (PII-01 to PII-05)</h2>"
        + _table(stats)
        + (f"<p>Example of minimised text:</p><pre>{example}</pre>" if example else "")
        + "</section>"
    )
    return StageReport(title="PII detection and minimisation", summary=summary, html=fragment)
