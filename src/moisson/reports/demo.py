"""Demo stage: build every document (fr and en; Markdown, HTML, PDF) from the demo workspace."""

from __future__ import annotations

import html
import re

from moisson.demo.stage import DemoContext, StageReport
from moisson.reports.build import build_documents
from moisson.reports.i18n import LANGS
from moisson.reports.questionnaire import fill_questionnaire, questionnaire_path

# What a person would answer for the demo's fictitious controller; every other fact comes
# from what the demo's stages recorded.
DEMO_ANSWERS = {
    "controller.name": "Démo SAS (fictitious controller), 1 rue de l'Exemple, 75001 Paris",
    "controller.contact": "privacy@demo.example",
    "controller.dpo_contact": "dpo@demo.example",
    "controller.is_sme": "yes",
    "purpose.interests": "Developing a French and English language model for public-service questions",
    "purpose.benefits": "Better access to public information in French",
    "purpose.alternatives": "Licensed corpora only: too small and not representative of French public pages",
    "purpose.retention": "Training data kept 24 months after collection, then deleted",
    "purpose.recipients": "The controller's machine-learning team",
    "model.provider": "Démo SAS (fictitious), privacy@demo.example",
    "model.name": "demo-lm-0.1",
    "model.intended_use": "Demonstration only",
    "model.licence": "Demo RAIL licence: re-identification and extraction of personal data forbidden",
    "data.public_datasets": "none",
    "data.private_datasets": "none",
    "data.user_data": "none",
    "data.synthetic_data": "none",
    "data.other_sources": "none",
    "data.code_of_practice": "no",
    "dpia.evaluation_scoring": "no",
    "dpia.automated_decisions": "no",
    "dpia.systematic_monitoring": "no",
    "dpia.prevents_rights": "no",
}

__all__ = ("ai_act_excerpt", "demo_stage")


def ai_act_excerpt(markdown_text: str) -> str:
    """Section 2.3 of the AI Act summary (crawler and top domains), for the README and report."""
    match = re.search(r"^### 2\.3 .*?(?=^### 2\.4 )", markdown_text, flags=re.MULTILINE | re.DOTALL)
    return match.group(0).strip() if match else ""


def demo_stage(ctx: DemoContext) -> StageReport:
    """Answer the questionnaire for the demo (unless answered), then build into ``out_dir/documents``.

    Left unanswered on purpose: the DPO opinion, the placement date and the illegal-content
    measures, so the demo shows how a missing fact appears (DOC-02).
    """
    if not questionnaire_path(ctx.workspace).exists():
        fill_questionnaire(ctx.workspace, DEMO_ANSWERS)
    out = ctx.out_dir / "documents"
    result = build_documents(ctx.workspace, out_dir=out)
    summary_md = result.path("ai-act-summary", "en", "md").read_text(encoding="utf-8")
    excerpt = ai_act_excerpt(summary_md)
    (out / "ai-act-summary-excerpt.en.md").write_text(excerpt + "\n", encoding="utf-8")
    ctx.state["documents_dir"] = out
    ctx.state["ai_act_excerpt"] = excerpt
    missing = sorted({m.name for d in result.documents for m in d.missing_required})
    links = []
    for doc in result.documents:
        files = " ".join(
            f'<a href="documents/{doc.lang}/{doc.spec.slug}.{ext}">{ext}</a>'
            for ext in ("md", "html", "pdf")
        )
        links.append(f"<li>{html.escape(doc.title)} ({doc.lang}): {files}</li>")
    fragment = (
        "<p>Documents generated from the workspace's recorded facts; every missing fact is shown as "
        "missing with the command that would record it (DOC-02).</p>"
        f"<ul>{''.join(links)}</ul>"
        f"<h3>AI Act summary, section 2.3 (excerpt)</h3><pre>{html.escape(excerpt)}</pre>"
    )
    return StageReport(
        "documents",
        {
            "documents": len(result.documents) // len(LANGS),
            "files": len(result.files),
            "missing_required": ", ".join(missing) or "none",
        },
        fragment,
    )
