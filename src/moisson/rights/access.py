"""The person's copy of their data (art. 15 GDPR, RGT-04), as JSON and a readable HTML page.

For each document: excerpts around every match, source (URL or source id), when it was
collected, which dataset versions hold it, what the PII policy did with their identifiers
there (kept, masked, pseudonymised); then the purposes of the processing and the model
versions trained on those dataset versions. The files hold personal data of the requester
only: they are written with mode 0600 under ``reports/rights/request-<id>/``.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from jinja2 import Environment, select_autoescape

from moisson.rights.find import DocumentHit, FindResult
from moisson.store import DatasetStore
from moisson.store.shards import attribute_path
from moisson.workspace import Workspace

__all__ = ("build_access_copy", "render_access_html", "write_access_copy")

_CONTEXT = 120


def _excerpts(text: str, hit: DocumentHit) -> list[str]:
    windows: list[list[int]] = []
    for m in sorted(hit.matches, key=lambda s: s.start):
        lo, hi = max(0, m.start - _CONTEXT), min(len(text), m.end + _CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return [
        ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "") for lo, hi in windows
    ]


def _texts(store: DatasetStore, hits: list[DocumentHit]) -> dict[str, str]:
    by_shard: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        if hit.shard:
            by_shard[hit.shard].add(hit.doc_id)
    texts: dict[str, str] = {}
    for shard, ids in by_shard.items():
        table = pq.read_table(
            store.shard_file(shard),
            columns=["doc_id", "text"],
            filters=pc.is_in(pc.field("doc_id"), value_set=pa.array(sorted(ids), pa.string())),
        )
        texts.update(
            zip(table.column("doc_id").to_pylist(), table.column("text").to_pylist(), strict=True)
        )
    return texts


def _policy_actions(workspace: Workspace, hit: DocumentHit) -> list[dict[str, Any]]:
    """What the PII step did with this person's identifiers in this document."""
    if not hit.shard:
        return []
    path = attribute_path(workspace.root, "pii", hit.shard)
    if not path.exists():
        return []
    keys = {m.key_hash for m in hit.matches if m.key_hash}
    table = pq.read_table(path)
    if "key_hash" not in table.column_names:
        return []
    table = table.filter(pc.equal(table.column("doc_id"), hit.doc_id))
    actions = []
    for row in table.to_pylist():
        if row.get("key_hash") in keys:
            actions.append(
                {
                    "type": row.get("label"),
                    "action": row.get("action"),
                    "detector": row.get("detector"),
                }
            )
    return actions


def build_access_copy(
    workspace: Workspace, request_id: int, results: list[FindResult], *, now: datetime
) -> dict[str, Any]:
    """The copy as a JSON-ready dict (art. 15(1)(a)-(h) items the workspace can show)."""
    policy = workspace.policy
    store = DatasetStore(workspace)
    documents: list[dict[str, Any]] = []
    models: dict[int, dict[str, Any]] = {}
    versions: dict[tuple[str, int], str] = {}
    for result in results:
        texts = _texts(store, result.documents)
        for hit in result.documents:
            info = store.get(result.dataset, hit.dataset_version)
            versions[(result.dataset, hit.dataset_version)] = info.created_at.isoformat()
            documents.append(
                {
                    **hit.to_json(),
                    "dataset": result.dataset,
                    "collected_at": hit.fetched_at.isoformat() if hit.fetched_at else None,
                    "excerpts": _excerpts(texts.get(hit.doc_id, ""), hit),
                    # matched on a name alone: may be a namesake; review before sending (art. 15(4))
                    "name_only": {m.type for m in hit.matches} == {"PERSON"},
                    "policy_actions": _policy_actions(workspace, hit),
                }
            )
        for model in result.models:
            models[model["model_id"]] = model
    return {
        "request_id": request_id,
        "generated_at": now.isoformat(),
        "controller": policy.controller,
        "contact": policy.rights.contact,
        "purposes": list(policy.collection.purposes),
        "purpose_description": policy.collection.purpose_description,
        "sources_declared": list(policy.collection.sources),
        "what_the_policy_does": {
            "default_action": policy.pii.default_action,
            "actions": dict(policy.pii.actions),
            "erasure_mode": policy.rights.erasure_mode,
        },
        "dataset_versions": [
            {"dataset": d, "version": v, "created_at": at}
            for (d, v), at in sorted(versions.items())
        ],
        "documents": documents,
        "models": list(models.values()),
        "rights": [
            "rectification (art. 16)",
            "erasure (art. 17)",
            "restriction (art. 18)",
            "objection (art. 21)",
            "complaint to the CNIL (art. 77)",
        ],
    }


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Your data in {{ copy.controller or "this workspace" }} - request {{ copy.request_id }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}
blockquote{background:#f4f4f4;border-left:4px solid #888;margin:.5rem 0;padding:.5rem 1rem;white-space:pre-wrap}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
</head><body><main>
<h1>Copy of your data (art. 15 GDPR)</h1>
<p>Request {{ copy.request_id }}, generated {{ copy.generated_at }}.
Controller: {{ copy.controller or "not declared" }}. Contact: {{ copy.contact or "not declared" }}.</p>
<h2>Why we hold it</h2>
<p>Purposes: {{ copy.purposes | join(", ") }}. {{ copy.purpose_description }}</p>
<p>What our policy does with personal data found in collected pages: default action
<strong>{{ copy.what_the_policy_does.default_action }}</strong>{% for label, action in copy.what_the_policy_does.actions.items() %};
{{ label }}: {{ action }}{% endfor %}.</p>
<h2>Documents that mention you ({{ copy.documents | length }})</h2>
{% for doc in copy.documents %}
<section><h3>{{ doc.url or doc.source_id or doc.doc_id }}</h3>
<p>Dataset {{ doc.dataset }}, version {{ doc.dataset_version }}; collected {{ doc.collected_at or "date unknown" }};
document id <code>{{ doc.doc_id }}</code>.</p>
{% if doc.name_only %}<p><em>Found by your name only: it may be about someone else with the same name.</em></p>{% endif %}
{% for action in doc.policy_actions %}<p>{{ action.type }}: {{ action.action }}</p>{% endfor %}
{% for excerpt in doc.excerpts %}<blockquote>{{ excerpt }}</blockquote>{% endfor %}
</section>
{% else %}<p>No document mentions you.</p>{% endfor %}
<h2>Models trained on these datasets</h2>
{% if copy.models %}<table><thead><tr><th>Model</th><th>Trained on</th><th>Audit status</th><th>Rights status</th></tr></thead><tbody>
{% for m in copy.models %}<tr><td>{{ m.name }} (#{{ m.model_id }})</td><td>{% for d, v in m.trained_on %}{{ d }} v{{ v }} {% endfor %}</td>
<td>{{ m.audit_status }}</td><td>{{ m.rights_status }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p>No model version was trained on them.</p>{% endif %}
<h2>Your rights</h2><ul>{% for r in copy.rights %}<li>{{ r }}</li>{% endfor %}</ul>
</main></body></html>
"""


def render_access_html(copy: dict[str, Any]) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_HTML).render(copy=copy)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def write_access_copy(workspace: Workspace, copy: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``access.json`` and ``access.html`` (mode 0600); return their paths."""
    folder = workspace.path("reports", "rights", f"request-{copy['request_id']}")
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "access.json", folder / "access.html"
    _write_private(json_path, json.dumps(copy, indent=2, ensure_ascii=False, default=str))
    _write_private(html_path, render_access_html(copy))
    return json_path, html_path
