"""The audit stage of ``moisson demo``: train a tiny model on the demo dataset, then audit it.

Canaries (MOD-03) and two invented people are planted in the training texts; a fifth of the
dataset is held out as non-members. The model is registered in the ledger as trained on the
dataset version, audited, and the status recorded on it (MOD-01, RGT-01). A model this small
trained this long memorises its training data, so the expected status is ``personal_data``:
the point of the stage is to show the evidence behind it.
"""

from __future__ import annotations

import html
import importlib.util
import random
import time

from moisson.demo.stage import DemoContext, StageReport

__all__ = ("demo_stage",)

MODEL_NAME = "demo-tiny-gpt2"


def demo_stage(ctx: DemoContext) -> StageReport:
    """Plant, train, register, audit, record; the report shows the status and the plots.

    Runs on one CPU thread: a model this small gains nothing from more, and threads that
    wait on each other cost a lot on a shared machine.
    """
    if importlib.util.find_spec("torch") is None:
        return _stage(ctx)
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _stage(ctx)
    finally:
        torch.set_num_threads(threads)


def _stage(ctx: DemoContext) -> StageReport:
    if (
        importlib.util.find_spec("torch") is None
        or importlib.util.find_spec("transformers") is None
    ):
        return StageReport(
            "Model memorisation audit",
            {"status": "not installed: pip install 'moisson[audit]'"},
            "<p>The audit needs the <code>audit</code> extra (torch, transformers).</p>",
        )
    from moisson.audit.canaries import make_canaries, training_lines
    from moisson.audit.ledger_link import record_audit
    from moisson.audit.records import TextRecord
    from moisson.audit.report import figures_html
    from moisson.audit.runner import AuditConfig, run_audit
    from moisson.audit.synthetic import make_corpus
    from moisson.audit.train import TinyModelConfig, train_tiny_causal_lm
    from moisson.ledger import Ledger
    from moisson.store import DatasetStore

    start = time.monotonic()
    dataset = str(ctx.state.get("dataset", "demo"))
    store = DatasetStore(ctx.workspace)
    version = store.get(dataset, ctx.state.get("dataset_version")).version
    docs = [TextRecord(d.doc_id, d.text) for d in store.iter_documents(dataset, version)]
    if len(docs) < 8:
        return StageReport(
            "Model memorisation audit",
            {"skipped": f"dataset {dataset} v{version} has {len(docs)} documents"},
            ok=False,
        )
    random.Random(0).shuffle(docs)
    held = max(4, len(docs) // 5)
    non_members, members = docs[:held], docs[held:]
    canaries = make_canaries(2, [0, 1, 4, 16, 64], ["fr", "en"], seed=0)
    planted = make_corpus(0, held_out=0, seed=0, person_repetitions=(0, 16))
    texts = [r.text for r in members + planted.members]
    texts += [line["text"] for line in training_lines(canaries, seed=0)]
    random.Random(1).shuffle(texts)
    model_dir = ctx.workspace.root / "models" / MODEL_NAME
    summary = train_tiny_causal_lm(
        texts,
        model_dir,
        steps=200 if ctx.quick else 400,
        seed=0,
        config=TinyModelConfig(n_positions=64, batch_size=16),
    )
    with Ledger.open(ctx.workspace) as ledger:
        model = ledger.register_model(
            MODEL_NAME, path=str(model_dir), base_model=None, trained_on=[(dataset, version)]
        )
    out_dir = ctx.out_dir / "audit"
    config = AuditConfig(
        seed=0,
        candidates=128 if ctx.quick else 256,
        excerpts=64,
        people_samples=8,
        settings=ctx.workspace.policy.audit,
        budget=max(ctx.workspace.policy.audit.query_budget, 20_000),
    )
    outcome = run_audit(
        model_dir,
        members=members,
        non_members=non_members,
        canaries=canaries,
        people=planted.people,
        out_dir=out_dir,
        config=config,
    )
    record_audit(
        ctx.workspace, model.id, outcome.report, out_dir / "report.json", people=planted.people
    )
    ctx.state["model_id"] = model.id
    ctx.state["audit_report"] = out_dir / "report.html"
    report = outcome.report
    return StageReport(
        title="Model memorisation audit",
        summary={
            "model": f"{MODEL_NAME} #{model.id}",
            "trained_on": f"{dataset} v{version} ({len(members)} documents)",
            "training_loss": round(summary.final_loss, 3),
            "status": report["status"],
            "canaries_regurgitated": sum(c["regurgitated"] for c in report["canaries"]),
            "best_membership_auc": round(max(m["auc"] for m in report["membership"]), 3),
            "people_extracted": len(report["extraction"]["confirmed"]),
            "queries": report["config"]["queries_used"],
            "seconds": round(time.monotonic() - start, 1),
        },
        html=(
            f"<p>Tiny GPT-2 trained from scratch on <code>{html.escape(dataset)}</code> "
            f"v{version} with {len(canaries)} canaries planted; full report: "
            f"<a href='audit/report.html'>audit/report.html</a>.</p>{figures_html(outcome)}"
        ),
    )
