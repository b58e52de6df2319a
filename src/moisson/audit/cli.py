"""``moisson audit ...``: canaries, the memorisation audit, the per-person check, a tiny trainer.

Commands (MOD-01..04, RGT-01)::

    moisson audit canaries make --count 4 --repetitions 0,1,4,16,64 --lang fr,en --out DIR
    moisson audit train --texts T.jsonl --out MODEL [--canaries DIR/canaries.jsonl] [--steps N]
    moisson audit run --model MODEL --members M.jsonl --non-members N.jsonl --out DIR
        [--canaries C.jsonl] [--people P.jsonl] [--budget Q] [--seed S]
        [--workspace WS --model-version ID]
    moisson audit person --model MODEL --name "..." --email ... [--phone ...]
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from moisson.errors import AuditError, MissingDependencyError

__all__ = ("app",)

app = typer.Typer(
    help="Memorisation audit of language models (canaries, membership, extraction).",
    no_args_is_help=True,
)
canaries_app = typer.Typer(help="Canaries to plant in a training set.", no_args_is_help=True)
app.add_typer(canaries_app, name="canaries")
console = Console()


def _require_extra() -> None:
    """Torch and transformers come with the ``audit`` extra; say so instead of a traceback."""
    for package in ("torch", "transformers", "tokenizers", "scipy", "matplotlib"):
        if importlib.util.find_spec(package) is None:
            raise MissingDependencyError(package, "audit")


def _int_list(value: str, option: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        msg = f"{option}: expected comma-separated integers, got '{value}'"
        raise AuditError(msg) from None


@canaries_app.command("make")
def canaries_make(
    out: Annotated[Path, typer.Option(help="Folder for canaries.jsonl and canaries-train.jsonl")],
    count: Annotated[int, typer.Option(help="Canaries per repetition level")] = 4,
    repetitions: Annotated[str, typer.Option(help="Repetition levels; 0 = negative control")] = (
        "0,1,4,16,64"
    ),
    lang: Annotated[str, typer.Option(help="Languages of the sentences")] = "fr,en",
    seed: Annotated[int, typer.Option(help="Seed of the secrets")] = 0,
) -> None:
    """Write canary records and the lines to mix into a training set (MOD-03)."""
    from moisson.audit.canaries import make_canaries, training_lines, write_canaries

    made = make_canaries(
        count,
        _int_list(repetitions, "--repetitions"),
        [x.strip() for x in lang.split(",") if x.strip()],
        seed=seed,
    )
    write_canaries(made, out / "canaries.jsonl")
    lines = training_lines(made, seed=seed)
    with (out / "canaries-train.jsonl").open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    console.print(
        f"{len(made)} canaries -> {out / 'canaries.jsonl'}; "
        f"{len(lines)} training lines -> {out / 'canaries-train.jsonl'}"
    )


@app.command("train")
def train(
    texts: Annotated[Path, typer.Option(help='JSONL of {"id", "text"} training texts')],
    out: Annotated[Path, typer.Option(help="Folder to save the model and tokenizer in")],
    canaries: Annotated[
        Path | None, typer.Option(help="canaries.jsonl to plant at their repetition counts")
    ] = None,
    steps: Annotated[int, typer.Option(help="Optimiser steps")] = 400,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Train a tiny GPT-2 from scratch (no download): for demos and for testing the audit."""
    _require_extra()
    from moisson.audit.canaries import read_canaries, training_lines
    from moisson.audit.records import read_texts
    from moisson.audit.train import train_tiny_causal_lm

    corpus = [r.text for r in read_texts(texts)]
    if canaries is not None:
        corpus += [line["text"] for line in training_lines(read_canaries(canaries), seed=seed)]
    summary = train_tiny_causal_lm(corpus, out, steps=steps, seed=seed)
    console.print(
        f"trained on {summary.documents} texts, {steps} steps, final loss "
        f"{summary.final_loss:.3f} -> {out}"
    )


@app.command("run")
def run(
    model: Annotated[Path, typer.Option(help="Local Hugging Face model folder")],
    members: Annotated[Path, typer.Option(help="JSONL of training texts")],
    non_members: Annotated[Path, typer.Option(help="JSONL of texts not trained on")],
    out: Annotated[Path, typer.Option(help="Report folder")],
    canaries: Annotated[Path | None, typer.Option(help="canaries.jsonl")] = None,
    people: Annotated[Path | None, typer.Option(help="JSONL of people to look for")] = None,
    reference: Annotated[Path | None, typer.Option(help="Reference model folder")] = None,
    budget: Annotated[int | None, typer.Option(help="Query budget (default: policy)")] = None,
    seed: Annotated[int, typer.Option()] = 0,
    candidates: Annotated[int, typer.Option(help="Random candidates per canary")] = 1000,
    device: Annotated[str | None, typer.Option(help="cpu or cuda (default: cuda if any)")] = None,
    workspace: Annotated[
        Path | None, typer.Option(help="Workspace whose policy and ledger to use")
    ] = None,
    model_version: Annotated[
        int | None, typer.Option(help="Model version id in the ledger to record the result on")
    ] = None,
) -> None:
    """Audit a model: canary exposure, membership inference, extraction, regurgitation."""
    _require_extra()
    from moisson.audit.canaries import read_canaries
    from moisson.audit.records import read_people, read_texts
    from moisson.audit.runner import AuditConfig, run_audit
    from moisson.workspace import Workspace
    from moisson.workspace.config import AuditSettings

    if model_version is not None and workspace is None:
        msg = "--model-version needs --workspace (the ledger to record the result in)"
        raise AuditError(msg)
    ws = Workspace.open(workspace) if workspace is not None else None
    settings = ws.policy.audit if ws is not None else AuditSettings()
    person_list = read_people(people) if people else []
    config = AuditConfig(
        seed=seed,
        budget=budget if budget is not None else settings.query_budget,
        candidates=candidates,
        device=device,
        settings=settings,
    )
    outcome = run_audit(
        model,
        members=read_texts(members),
        non_members=read_texts(non_members),
        canaries=read_canaries(canaries) if canaries else [],
        people=person_list,
        reference_model=reference,
        out_dir=out,
        config=config,
    )
    report = outcome.report
    console.print(f"status: [bold]{report['status']}[/]  (report: {out / 'report.html'})")
    for finding in outcome.decision.findings:
        if finding.outcome != "pass":
            console.print(f"  {finding.outcome}: {finding.rule}", highlight=False)
    if ws is not None and model_version is not None:
        from moisson.audit.ledger_link import record_audit

        record_audit(ws, model_version, report, out / "report.json", people=person_list)
        console.print(f"recorded on model version {model_version}")


@app.command("person")
def person(
    model: Annotated[Path, typer.Option(help="Local Hugging Face model folder")],
    name: Annotated[str, typer.Option(help="The person's name (used in the prompts)")],
    email: Annotated[str, typer.Option(help="E-mail address to look for")] = "",
    phone: Annotated[str, typer.Option(help="Phone number to look for")] = "",
    context: Annotated[
        list[str] | None, typer.Option(help="Prompt in which their data appeared (repeatable)")
    ] = None,
    samples: Annotated[int, typer.Option(help="Sampled continuations per prompt")] = 16,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Does the model emit this person's identifiers? (rights request, RGT-01)"""
    _require_extra()
    from moisson.audit.person import check_person

    result = check_person(
        model,
        name=name,
        email=email,
        phone=phone,
        contexts=context or (),
        samples=samples,
        seed=seed,
    )
    verdict = "EMITS" if result.emitted else "does not emit"
    console.print(
        f"the model {verdict} this person's identifiers in {result.prompts} continuations "
        f"({result.queries} queries)"
    )
    console.print(f"  exact: {', '.join(result.exact) or 'none'}")
    console.print(f"  near:  {', '.join(result.near) or 'none'}")
    if result.emitted:
        raise typer.Exit(code=1)  # exitcodes.FAILURE: a failed check
