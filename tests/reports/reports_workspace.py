"""Builder of a real workspace with recorded facts: policy, crawl and ingest runs, dataset versions, a model.

Built once per module with the real Workspace, Ledger and DatasetStore (no mocks). The figures
below are the ground truth the golden tests compare the documents with.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from moisson.ledger import Ledger
from moisson.reports.questionnaire import questionnaire_path, write_questionnaire
from moisson.store import DatasetStore, Document
from moisson.workspace import Workspace

POLICY = """\
name = "demo-corpus"
controller = "Exemple SAS, 1 rue de l'Exemple, 75001 Paris"

[collection]
purposes = ["train-ai"]
purpose_description = "Training a French and English language model"
sources = ["https://site-00.example/"]
languages = ["fr", "en"]
period_start = 2026-01-01
period_end = 2026-06-30
licence = "CC-BY-4.0"
objection_window_days = 14

[crawler]
agent_token = "moisson-bot"
notice_url = "https://example.org/moisson-notice"
"""

# 20 domains: site-00 is the largest; bytes decrease with the index.
DOMAINS = {f"site-{i:02d}.example": (20 - i) * 1_000_000 for i in range(20)}
DOMAIN_DOCS = {d: 100 + i for i, d in enumerate(DOMAINS)}
OPTOUT = {"robots": 700, "tdmrep": 300, "ai-txt": 204}  # 3 families, 1,204 pages
PII = {"EMAIL": 412, "PHONE": 96, "PERSON": 1500}
PII_ACTIONS = {"pseudonymise": 2008, "mask": 0}
SENSITIVE = {"HEALTH": 7, "RELIGION": 2}
CRAWL_REFUSED = {"login": 11, "captcha": 3, "category": 25}

ANSWERS = {
    "controller": {
        "name": "Exemple SAS, 1 rue de l'Exemple, 75001 Paris",
        "contact": "privacy@exemple.fr",
        "dpo_contact": "dpo@exemple.fr",
        "is_sme": "yes",
    },
    "purpose": {
        "interests": "Developing a conversational assistant for French public services",
        "benefits": "Better access to public information",
        "alternatives": "Licensed corpora only: too small for French",
        "retention": "Training data kept 24 months after collection",
        "recipients": "The controller's ML team",
    },
    "dpo": {"opinion": "Favourable, subject to the memorisation audit"},
    "model": {
        "provider": "Exemple SAS",
        "name": "exemple-lm-1.0",
        "placement_date": "2026-09-01",
        "intended_use": "Drafting answers to questions about public services",
        "licence": "Exemple RAIL licence: re-identification and extraction of personal data forbidden",
    },
    "data": {
        "public_datasets": "none",
        "private_datasets": "none",
        "user_data": "none",
        "synthetic_data": "none",
        "other_sources": "none",
        "illegal_content_measures": "Blocklists of illegal sites and a CSAM hash filter",
        "code_of_practice": "yes",
    },
    "dpia": {
        "evaluation_scoring": "no",
        "automated_decisions": "no",
        "systematic_monitoring": "no",
        "prevents_rights": "no",
    },
}


def crawl_stats() -> dict[str, int]:
    stats: dict[str, int] = {"docs/in": 5000, "docs/out": 2090, "bytes/out": sum(DOMAINS.values())}
    stats["dropped/lang/other"] = 1500
    stats["dropped/length/short"] = 206
    stats.update({f"domain_bytes/{d}": b for d, b in DOMAINS.items()})
    stats.update({f"domain_docs/{d}": n for d, n in DOMAIN_DOCS.items()})
    stats.update({f"optout/refused/{k}": v for k, v in OPTOUT.items()})
    stats.update({f"pii/{k}": v for k, v in PII.items()})
    stats.update({f"pii/action/{k}": v for k, v in PII_ACTIONS.items()})
    stats.update({f"sensitive/{k}": v for k, v in SENSITIVE.items()})
    stats.update({f"crawl/refused/{k}": v for k, v in CRAWL_REFUSED.items()})
    return stats


def answer_questionnaire(ws: Workspace, answers: dict[str, dict[str, str]]) -> None:
    write_questionnaire(ws, overwrite=True)
    lines = []
    for section, values in answers.items():
        lines.append(f"[{section}]")
        lines += [f'{k} = "{v}"' for k, v in values.items()]
    questionnaire_path(ws).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _docs(n: int) -> list[Document]:
    out = []
    for i in range(n):
        text = f"Document {i} about public services."
        h = hashlib.sha256(text.encode()).hexdigest()
        out.append(
            Document(
                doc_id=f"{i:032x}",
                text=text,
                url=f"https://site-00.example/{i}",
                domain="site-00.example",
                lang="en",
            )
        )
        del h
    return out


def build_workspace(root: Path) -> Workspace:
    ws = Workspace.init(root, policy_text=POLICY)
    with Ledger.open(ws) as ledger:
        run = ledger.start_run("crawl", policy_hash=ws.policy.policy_hash(), params={})
        ledger.finish_run(run, status="ok", stats=crawl_stats())
        store = DatasetStore(ws, ledger)
        store.create_version("corpus", _docs(6), reason=f"crawl run #{run}", run_id=run)
        store.derive_version(
            "corpus", lambda d: None if d.doc_id.endswith("1") else d, reason="erasure request #1"
        )
        model = ledger.register_model(
            "exemple-lm", path="/models/exemple-lm", base_model="gpt2", trained_on=[("corpus", 1)]
        )
        ledger.set_model_status(
            model.id, audit_status="personal_data", rights_status="retraining_due"
        )
    answer_questionnaire(ws, ANSWERS)
    return ws
