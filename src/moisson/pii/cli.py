"""``moisson pii detect`` and ``moisson pii redact`` (issue 4, item 5; PII-01, PII-03).

Input lines are ``{"id": ..., "text": ...}``. A bad line stops the command with an error that
names the file, the line number and the reason (``--on-error skip`` skips it and counts it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from moisson.errors import ConfigError, InputError, RecordError, WorkspaceError
from moisson.pii.redact import ACTIONS

if TYPE_CHECKING:
    from moisson.pii.analyzer import PiiAnalyzer, Tier
    from moisson.pii.redact import Pseudonymiser

__all__ = ("app", "read_records")

app = typer.Typer(
    help="Detect and minimise personal data (PII-01 to PII-05).", no_args_is_help=True
)

OnError = Literal["skip", "stop"]


def read_records(path: Path, *, on_error: str, errors: Counter[str]) -> Iterator[tuple[Any, str]]:
    """Yield ``(id, text)`` from a JSONL file; bad lines raise :class:`RecordError` or are counted."""
    try:
        handle = path.open("rb")  # decoded line by line: one bad line must not end the run
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror}"
        raise InputError(msg, path=str(path)) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            reason = None
            try:
                line = raw.decode("utf-8")
                record = json.loads(line)
            except UnicodeDecodeError as exc:
                reason = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
            except json.JSONDecodeError as exc:
                reason = f"not JSON ({exc.msg})"
            except RecursionError:
                reason = "not JSON (nested too deeply)"
            except ValueError as exc:  # an integer past Python's digit limit, for one
                reason = f"not JSON ({exc})"
            else:
                if not isinstance(record, dict) or "text" not in record:
                    reason = 'expected an object with "id" and "text"'
                elif not isinstance(record["text"], str):
                    reason = '"text" is not a string'
            if reason is not None:
                if on_error == "stop":
                    raise RecordError(reason, path=str(path), location=f"line {number}")
                errors["skipped"] += 1
                continue
            yield record.get("id"), record["text"]


def _lang(value: str) -> str | None:
    if value not in {"fr", "en", "auto"}:
        msg = f"--lang must be fr, en or auto, not '{value}'"
        raise ConfigError(msg, key="lang")
    return None if value == "auto" else value


@app.command()
def detect(
    input: Annotated[Path, typer.Option("--input", help="JSONL lines {id, text}")],
    output: Annotated[Path, typer.Option("--output", help="JSONL lines {id, spans, sensitive}")],
    lang: Annotated[str, typer.Option(help="fr, en or auto")] = "auto",
    tier: Annotated[str, typer.Option(help="fast (rules) or full (rules + NER)")] = "fast",
    model: Annotated[str | None, typer.Option(help=_MODEL_HELP)] = None,
    on_error: Annotated[str, typer.Option("--on-error", help="skip or stop")] = "stop",
) -> None:
    """Write the personal data found in each text (offsets are Python string offsets)."""
    language = _lang(lang)
    analyzer = _analyzer(tier, model)
    errors: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    count = 0
    with output.open("w", encoding="utf-8") as out:
        for doc_id, text in read_records(input, on_error=_on_error(on_error), errors=errors):
            result = analyzer.analyze(text, lang=language)
            labels.update(s.label for s in result.spans)
            out.write(json.dumps({"id": doc_id, **result.to_dict()}, ensure_ascii=False) + "\n")
            count += 1
    found = ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "nothing"
    typer.echo(f"{count} documents analysed, {errors['skipped']} skipped; found {found}")


_MODEL_HELP = "full tier's entity model: a local HF token-classification folder or a spaCy pipeline"


def _analyzer(tier: str, model: str | None) -> PiiAnalyzer:
    """``--model`` implies the full tier; the model is loaded here so a bad path fails early."""
    from moisson.pii.analyzer import PiiAnalyzer
    from moisson.pii.model import load_entity_model

    if model is None:
        return PiiAnalyzer(tier=_tier(tier))
    return PiiAnalyzer(tier="full", model=load_entity_model(model))


def _tier(value: str) -> Tier:
    if value == "fast":
        return "fast"
    if value == "full":
        return "full"
    msg = f"--tier must be fast or full, not '{value}'"
    raise ConfigError(msg, key="tier")


def _on_error(value: str) -> str:
    if value not in {"skip", "stop"}:
        msg = f"--on-error must be skip or stop, not '{value}'"
        raise ConfigError(msg, key="on-error")
    return value


def _parse_actions(pairs: list[str]) -> dict[str, str]:
    actions: dict[str, str] = {}
    for pair in pairs:
        label, sep, action = pair.partition("=")
        if not sep or action not in ACTIONS:
            msg = f"--action '{pair}': expected LABEL=ACTION with ACTION in {', '.join(ACTIONS)}"
            raise ConfigError(msg, key="action")
        actions[label.strip().upper()] = action
    return actions


@app.command()
def redact(
    input: Annotated[Path, typer.Option("--input", help="JSONL lines {id, text}")],
    output: Annotated[Path, typer.Option("--output", help="JSONL lines {id, text, pii}")],
    action: Annotated[
        list[str] | None, typer.Option("--action", help="LABEL=keep|mask|pseudonymise|drop")
    ] = None,
    default_action: Annotated[str | None, typer.Option(help="action for other labels")] = None,
    workspace: Annotated[Path | None, typer.Option(help="workspace (policy and secret)")] = None,
    lang: Annotated[str, typer.Option(help="fr, en or auto")] = "auto",
    tier: Annotated[str | None, typer.Option(help="fast or full (default: policy)")] = None,
    model: Annotated[str | None, typer.Option(help=_MODEL_HELP + " (default: policy)")] = None,
    on_error: Annotated[str, typer.Option("--on-error", help="skip or stop")] = "stop",
) -> None:
    """Apply the workspace policy's actions (or ``--action``) and write the minimised texts.

    Dropped documents are not written. Rows hold offsets, tokens and keyed hashes, never the
    clear values (PII-03, PII-05).
    """
    from moisson.pii.redact import Pseudonymiser, minimise
    from moisson.workspace import PiiSettings, Workspace

    settings = PiiSettings()
    pseudonymiser: Pseudonymiser | None = None
    try:
        ws = Workspace.open(workspace)
    except WorkspaceError:
        if workspace is not None:
            raise
        ws = None
    if ws is not None:
        settings = ws.policy.pii
        pseudonymiser = Pseudonymiser(ws.keyed_hash)
    actions = {**settings.actions, **_parse_actions(action or [])}
    default = default_action or (settings.default_action if ws is not None else "mask")
    if default not in ACTIONS:
        msg = f"--default-action must be one of {', '.join(ACTIONS)}"
        raise ConfigError(msg, key="default-action")
    if pseudonymiser is None and "pseudonymise" in {default, *actions.values()}:
        msg = "pseudonymise needs a workspace secret: pass --workspace or use mask"
        raise ConfigError(msg, key="action")
    chosen_tier = tier or settings.tier
    chosen_model = model or (settings.model if chosen_tier == "full" else None)
    analyzer = _analyzer(chosen_tier, chosen_model)
    language = _lang(lang)
    errors: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    with output.open("w", encoding="utf-8") as out:
        for doc_id, text in read_records(input, on_error=_on_error(on_error), errors=errors):
            result = analyzer.analyze(text, lang=language)
            outcome = minimise(
                text,
                result,
                actions=actions,
                default_action=default,
                drop_document_above=settings.drop_document_above,
                special_categories=settings.special_categories,
                pseudonymiser=pseudonymiser,
            )
            if outcome.drop_reason is not None:
                stats[f"dropped/{outcome.drop_reason}"] += 1
                continue
            stats.update(f"{row.action}/{row.label}" for row in outcome.rows)
            record = {
                "id": doc_id,
                "text": outcome.text,
                "pii": [r.to_dict() for r in outcome.rows],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = ", ".join(f"{k}={v}" for k, v in sorted(stats.items())) or "nothing to do"
    typer.echo(f"{summary}; {errors['skipped']} skipped")
