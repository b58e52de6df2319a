"""The reply sent to the person: what was done in the data, what happens at model level.

RGT-03 asks that the reply says both; the text is built from the recorded outcome only, so
it never claims an action that did not happen (DOC-02).
"""

from __future__ import annotations

from typing import Any

from moisson.workspace import Policy

__all__ = ("reply_text",)

_DONE = {
    "erasure": "erased",
    "objection": "removed following your objection",
    "restriction": "withdrawn from further use (restriction)",
    "rectification": "corrected by removing the inaccurate passages",
}


def _data_sentence(kind: str, item: dict[str, Any]) -> str:
    dataset = item["dataset"]
    if item["new_version"] is None:
        return (
            f"Dataset '{dataset}': its current version holds none of your data; earlier versions "
            f"{item['affected_versions']} are kept for the record and are no longer distributed."
        )
    if item["mode"] == "drop":
        what = f"{item['removed_documents']} document(s) mentioning you were removed"
    else:
        what = f"{item['redacted_spans']} passage(s) in {item['redacted_documents']} document(s) were redacted"
    return (
        f"Dataset '{dataset}': your data was {_DONE.get(kind, 'handled')}: {what}; the new version "
        f"v{item['new_version']} replaces v{item['from_version']}."
    )


def _model_sentence(model: dict[str, Any]) -> str:
    name = f"model {model['name']} (#{model['model_id']})"
    if model["audit_status"] == "anonymous":
        return (
            f"{name}: its audit concluded it is anonymous, so no action is needed at model level."
        )
    if model["rights_status"] == "output_filter":
        return f"{name}: an output filter now blocks generations containing your identifiers."
    return f"{name}: {model['note'].split(': ', 1)[-1]}."


def reply_text(kind: str, outcome: dict[str, Any], policy: Policy) -> str:
    """Plain-language reply for a completed request."""
    lines: list[str] = []
    if kind == "access":
        copy = outcome.get("copy", {})
        lines.append(
            f"Please find attached a copy of your data: {copy.get('documents', 0)} document(s) that "
            "mention you, with excerpts, sources, dates, purposes and the dataset and model versions "
            "concerned (art. 15 GDPR)."
        )
    else:
        for item in outcome.get("datasets", []):
            lines.append(_data_sentence(kind, item))
            lines.extend(_model_sentence(m) for m in item["models"])
            if not item["models"]:
                lines.append("No model version was trained on data that mentions you.")
        if not outcome.get("datasets"):
            lines.append("No dataset of this workspace holds data that mentions you.")
        if kind in {"erasure", "objection", "restriction"}:
            lines.append(
                "Your identifiers (as keyed hashes, never in clear) are on our suppression list: "
                "future collection and dataset builds leave out documents that mention you."
            )
    if policy.rights.contact:
        lines.append(f"Contact: {policy.rights.contact}.")
    return "\n".join(lines)
