"""Gather :class:`Facts` from a workspace: policy, ledger runs, store, models, rights, questionnaire.

Each fact records where it was read (a policy key, ledger runs, dataset versions, a
questionnaire line); a fact with nothing behind it becomes :class:`Missing` with the command
that would record it (DOC-02). Run stats follow the key conventions of the core contract:
``docs/in``, ``docs/out``, ``bytes/out``, ``dropped/<step>/<reason>``, ``domain_docs/<d>``,
``domain_bytes/<d>``, ``optout/refused/<family>``, ``pii/<LABEL>``, ``pii/action/<action>``,
``sensitive/<CATEGORY>``, ``crawl/refused/<reason>``.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, TypeVar

from sqlalchemy import select

from moisson.ledger import Ledger, RunRecord
from moisson.ledger.models import SourceRow
from moisson.reports.facts import (
    DatasetFact,
    DatasetVersionFact,
    DomainStat,
    Facts,
    Known,
    Missing,
    ModelFact,
    SourceFile,
)
from moisson.reports.questionnaire import Questionnaire, load_questionnaire
from moisson.reports.rights_source import read_rights_summary
from moisson.store import DatasetStore
from moisson.workspace import Workspace

__all__ = ("COLLECTION_KINDS", "collect_facts", "is_publishable_domain")

T = TypeVar("T")

# Run kinds that collect documents through the collection steps (opt-out gate, PII minimiser).
COLLECTION_KINDS = frozenset({"ingest", "crawl"})
_NOT_DONE = frozenset({"running", "failed", "error", "aborted", "interrupted"})

_RUN_CMD = "moisson ingest <source>  or  moisson crawl <seeds>"
_CRAWL_CMD = "moisson crawl <seeds>"
_Q = "moisson docs init, then answer {key} in docs/questionnaire.toml"


def _policy(
    name: str, value: T | None, key: str, *, empty_is_missing: bool = True
) -> Known[T] | Missing:
    if value is None or (empty_is_missing and value in ("", [], {})):
        return Missing(name, f"set {key} in moisson.toml", "not declared in the policy")
    return Known(name, value, (f"moisson.toml {key}",))


def _answer(q: Questionnaire, name: str, key: str) -> Known[str] | Missing:
    answer = q.get(key)
    if answer is None:
        return Missing(name, _Q.format(key=key), "not answered in the questionnaire")
    return Known(name, answer.value, (answer.source,))


def _yes_no(q: Questionnaire, name: str, key: str) -> Known[bool] | Missing:
    answer = q.get(key)
    if answer is None:
        return Missing(name, _Q.format(key=key), "not answered in the questionnaire")
    word = answer.value.lower()
    if word in ("yes", "oui", "true"):
        return Known(name, True, (answer.source,))
    if word in ("no", "non", "false"):
        return Known(name, False, (answer.source,))
    return Missing(name, _Q.format(key=key), f"answer '{answer.value}' is not yes/no")


def _runs_ref(runs: Iterable[RunRecord], keys: str) -> tuple[str, ...]:
    ids = ", ".join(f"#{r.id}" for r in runs)
    return (f"ledger runs {ids} (stats {keys})",)


def _sum_prefix(
    runs: list[RunRecord], prefix: str, *, exclude: str | None = None
) -> dict[str, int]:
    total: Counter[str] = Counter()
    for run in runs:
        for key, value in run.stats.items():
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if numeric and key.startswith(prefix) and not (exclude and key.startswith(exclude)):
                total[key[len(prefix) :]] += int(value)
    return dict(sorted(total.items()))


def _run_facts(runs: list[RunRecord]) -> dict[str, Known[Any] | Missing]:
    done = [r for r in runs if r.kind in COLLECTION_KINDS and r.status not in _NOT_DONE]
    crawls = [r for r in done if r.kind == "crawl"]
    out: dict[str, Known[Any] | Missing] = {}
    names = [
        "collection_runs",
        "observed_period",
        "documents_in",
        "documents_out",
        "bytes_out",
        "dropped",
        "domains",
        "optout_refusals",
        "pii_found",
        "pii_actions_taken",
        "special_categories",
    ]
    if not done:
        for name in names:
            out[name] = Missing(name, _RUN_CMD, "no finished collection run in the ledger")
        out["crawl_runs"] = Missing("crawl_runs", _CRAWL_CMD, "no finished crawl run in the ledger")
        out["crawl_refusals"] = Missing(
            "crawl_refusals", _CRAWL_CMD, "no finished crawl run in the ledger"
        )
        return out
    out["collection_runs"] = Known("collection_runs", [r.id for r in done], _runs_ref(done, "kind"))
    ends = [r.finished_at or r.started_at for r in done]
    out["observed_period"] = Known(
        "observed_period",
        (min(r.started_at for r in done), max(ends)),
        _runs_ref(done, "started_at, finished_at"),
    )
    for name, key in (
        ("documents_in", "docs/in"),
        ("documents_out", "docs/out"),
        ("bytes_out", "bytes/out"),
    ):
        have = [r for r in done if key in r.stats]
        if have:
            out[name] = Known(name, sum(int(r.stats[key]) for r in have), _runs_ref(have, key))
        else:
            out[name] = Missing(name, _RUN_CMD, f"no run recorded {key}")
    prefixed = (
        ("dropped", "dropped/", None),
        ("optout_refusals", "optout/refused/", None),
        ("pii_found", "pii/", "pii/action/"),
        ("pii_actions_taken", "pii/action/", None),
        ("special_categories", "sensitive/", None),
    )
    for name, prefix, exclude in prefixed:
        # The collection steps (opt-out gate, PII minimiser) run in every collection run, so a
        # counter that never appears means zero events in those runs, not an unknown.
        out[name] = Known(
            name, _sum_prefix(done, prefix, exclude=exclude), _runs_ref(done, f"{prefix}*")
        )
    docs = _sum_prefix(done, "domain_docs/")
    size = _sum_prefix(done, "domain_bytes/")
    if size:
        stats = [DomainStat(d, docs.get(d, 0), size[d]) for d in size if is_publishable_domain(d)]
        stats.sort(key=lambda s: (-s.bytes, s.domain))
        refs = _runs_ref(done, "domain_bytes/*, domain_docs/*")
        left_out = [d for d in size if not is_publishable_domain(d)]
        if left_out:  # flagged in the facts-used table of every document that lists domains
            refs += (
                f"{len(left_out)} recorded host name(s) left out: not valid domain names "
                f"({sum(docs.get(d, 0) for d in left_out)} documents, "
                f"{sum(size[d] for d in left_out)} bytes)",
            )
        out["domains"] = Known("domains", stats, refs)
    else:
        out["domains"] = Missing(
            "domains", _CRAWL_CMD, "no run recorded per-domain counters (domain_bytes/*)"
        )
    if crawls:
        out["crawl_runs"] = Known("crawl_runs", [r.id for r in crawls], _runs_ref(crawls, "kind"))
        out["crawl_refusals"] = Known(
            "crawl_refusals",
            _sum_prefix(crawls, "crawl/refused/"),
            _runs_ref(crawls, "crawl/refused/*"),
        )
    else:
        out["crawl_runs"] = Missing("crawl_runs", _CRAWL_CMD, "no finished crawl run in the ledger")
        out["crawl_refusals"] = Missing(
            "crawl_refusals", _CRAWL_CMD, "no finished crawl run in the ledger"
        )
    return out


_NO_DOMAIN = "(none)"  # the pipeline's counter key for documents without a URL
_LDH_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)", re.IGNORECASE)


def is_publishable_domain(name: str) -> bool:
    """Whether a recorded host name may be printed in the documents as a website.

    Host names are read from the URLs of collected pages, so the corpus controls them: a URL
    like ``http://<img src=x onerror=alert(1)>/`` records that "host". Only a real host name
    is published (DOC-01, SCR-12): an IP address, or labels that are letters, digits, hyphens
    (and the underscores some hosts use) once IDNA-encoded, 253 characters at most.
    """
    if name == _NO_DOMAIN:
        return True
    if not name or len(name) > 254:
        return False
    if "%" not in name:  # no IPv6 zone id: it may hold any character
        try:
            ipaddress.ip_address(name)
        except ValueError:
            pass
        else:
            return True
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    ascii_name = ascii_name.removesuffix(".")
    return len(ascii_name) <= 253 and all(
        _LDH_LABEL.fullmatch(label) for label in ascii_name.split(".")
    )


def _ingested_files(
    ledger: Ledger, runs: Known[Any] | Missing
) -> Known[list[SourceFile]] | Missing:
    """Files read by ingest runs (AI Act summary section 2): names, formats, documents."""
    if not isinstance(runs, Known):
        return Missing(
            "ingested_files", "moisson ingest <files>", "no finished collection run in the ledger"
        )
    ids = set(runs.value)
    with ledger.session() as s:
        rows = [
            r
            for r in s.execute(select(SourceRow).order_by(SourceRow.id)).scalars()
            if r.run_id in ids
        ]
        files = [
            SourceFile(PurePath(r.uri).name or r.uri, r.format, r.size_bytes, r.documents, r.run_id)
            for r in rows
        ]
    return Known("ingested_files", files, ("ledger sources (files read by ingest runs)",))


def _datasets(store: DatasetStore) -> Known[list[DatasetFact]] | Missing:
    found: list[DatasetFact] = []
    for name in store.datasets():
        versions = tuple(
            DatasetVersionFact(
                version=v.version,
                parent=v.parent,
                reason=v.reason,
                document_count=v.document_count,
                bytes=v.bytes,
                content_hash=v.content_hash,
                created_at=v.created_at,
                run_id=v.run_id,
                released_at=v.released_at,
            )
            for v in store.versions(name)
        )
        if versions:
            found.append(DatasetFact(name, versions))
    if not found:
        return Missing("datasets", _RUN_CMD, "no dataset version in the store")
    refs = ", ".join(f"{d.name} v1-v{d.latest.version}" for d in found)
    return Known("datasets", found, (f"ledger dataset_versions ({refs})",))


def _models(ledger: Ledger) -> Known[list[ModelFact]] | Missing:
    models = [
        ModelFact(
            id=m.id,
            name=m.name,
            base_model=m.base_model,
            created_at=m.created_at,
            audit_status=m.audit_status,
            audit_report=m.audit_report,
            rights_status=m.rights_status,
            rights_note=m.rights_note,
            trained_on=tuple(m.trained_on),
        )
        for m in ledger.models()
    ]
    if not models:
        return Missing(
            "models",
            "moisson audit (register and audit a trained model)",
            "no model in the ledger",
        )
    ids = ", ".join(f"#{m.id}" for m in models)
    return Known("models", models, (f"ledger model_versions {ids}",))


def _register_campaign(ledger: Ledger, workspace: Workspace) -> Known[str] | Missing:
    """The campaign published in the public register (SCR-11, REG-01), if one was published.

    ``moisson registry publish`` keeps ``registry/campaign.json`` (register URL, campaign id,
    public version); an audit-log entry ``registry.campaign.*`` is accepted as well.
    """
    state_path = workspace.path("registry", "campaign.json")
    if state_path.exists():
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except ValueError:
            state = {}
        if isinstance(state, dict) and state.get("campaign_id"):
            where = f"#{state['campaign_id']} v{state.get('version', '?')} at {state.get('register', '?')}"
            return Known("register_campaign", where, ("registry/campaign.json",))
    for entry in reversed(ledger.audit_entries()):
        if entry.action.startswith("registry.campaign"):
            details = entry.details or {}
            where = str(details.get("url") or details.get("campaign_id") or entry.subject)
            return Known(
                "register_campaign",
                where,
                (f"ledger audit log entry #{entry.id} ({entry.action})",),
            )
    return Missing(
        "register_campaign",
        "moisson registry publish --register URL --token TOKEN",
        "no campaign published in the public register",
    )


def collect_facts(workspace: Workspace) -> Facts:
    """Read every fact the documents may use; nothing is inferred beyond what is recorded."""
    policy = workspace.policy
    q = load_questionnaire(workspace)
    col, crawler, optout = policy.collection, policy.crawler, policy.optout
    with Ledger.open(workspace) as ledger:
        runs = _run_facts(ledger.runs())
        files = _ingested_files(ledger, runs["collection_runs"])
        datasets = _datasets(DatasetStore(workspace, ledger))
        models = _models(ledger)
        rights = read_rights_summary(ledger)
        campaign = _register_campaign(ledger, workspace)
        head = ledger.head_hash()
    controller = _answer(q, "controller", "controller.name")
    if isinstance(controller, Missing) and policy.controller:
        controller = Known("controller", policy.controller, ("moisson.toml controller",))
    period = (col.period_start, col.period_end)
    return Facts(
        workspace_name=Known("workspace_name", policy.name, ("moisson.toml name",)),
        controller=controller,
        purpose=_policy("purpose", col.purpose_description, "collection.purpose_description"),
        purposes=_policy("purposes", list(col.purposes), "collection.purposes"),
        languages=_policy("languages", list(col.languages), "collection.languages"),
        declared_sources=_policy("declared_sources", list(col.sources), "collection.sources"),
        declared_period=_policy(
            "declared_period",
            period if any(period) else None,
            "collection.period_start / period_end",
        ),
        crawler_agent=_policy("crawler_agent", crawler.agent_token, "crawler.agent_token"),
        user_agent=_policy(
            "user_agent", crawler.user_agent, "crawler.agent_token + crawler.notice_url"
        ),
        notice_url=_policy("notice_url", crawler.notice_url, "crawler.notice_url"),
        ai_tokens=_policy("ai_tokens", list(crawler.ai_tokens), "crawler.ai_tokens"),
        excluded_categories=_policy(
            "excluded_categories", list(crawler.excluded_categories), "crawler.excluded_categories"
        ),
        excluded_domains=_policy(
            "excluded_domains",
            list(crawler.excluded_domains),
            "crawler.excluded_domains",
            empty_is_missing=False,
        ),
        optout_fail_closed=_policy("optout_fail_closed", optout.fail_closed, "optout.fail_closed"),
        register_url=_policy("register_url", optout.register_url, "optout.register_url"),
        pii_default_action=_policy(
            "pii_default_action", policy.pii.default_action, "pii.default_action"
        ),
        pii_actions=_policy(
            "pii_actions", dict(policy.pii.actions), "pii.actions", empty_is_missing=False
        ),
        pii_drop_above=_policy(
            "pii_drop_above", policy.pii.drop_document_above, "pii.drop_document_above"
        ),
        special_category_mode=_policy(
            "special_category_mode", policy.pii.special_categories, "pii.special_categories"
        ),
        objection_window_days=_policy(
            "objection_window_days",
            col.objection_window_days,
            "collection.objection_window_days",
            empty_is_missing=False,
        ),
        erasure_mode=_policy("erasure_mode", policy.rights.erasure_mode, "rights.erasure_mode"),
        retraining_interval_days=_policy(
            "retraining_interval_days",
            policy.rights.retraining_interval_days,
            "rights.retraining_interval_days",
        ),
        rights_contact=_rights_contact(policy.rights.contact, q),
        data_licence=_policy("data_licence", col.licence, "collection.licence"),
        collection_runs=runs["collection_runs"],
        crawl_runs=runs["crawl_runs"],
        observed_period=runs["observed_period"],
        documents_in=runs["documents_in"],
        documents_out=runs["documents_out"],
        bytes_out=runs["bytes_out"],
        dropped=runs["dropped"],
        domains=runs["domains"],
        ingested_files=files,
        optout_refusals=runs["optout_refusals"],
        crawl_refusals=runs["crawl_refusals"],
        pii_found=runs["pii_found"],
        pii_actions_taken=runs["pii_actions_taken"],
        special_categories=runs["special_categories"],
        datasets=datasets,
        models=models,
        rights_requests=rights,
        register_campaign=campaign,
        controller_contact=_answer(q, "controller_contact", "controller.contact"),
        dpo_contact=_answer(q, "dpo_contact", "controller.dpo_contact"),
        is_sme=_yes_no(q, "is_sme", "controller.is_sme"),
        interests=_answer(q, "interests", "purpose.interests"),
        benefits=_answer(q, "benefits", "purpose.benefits"),
        alternatives=_answer(q, "alternatives", "purpose.alternatives"),
        retention=_answer(q, "retention", "purpose.retention"),
        recipients=_answer(q, "recipients", "purpose.recipients"),
        dpo_opinion=_answer(q, "dpo_opinion", "dpo.opinion"),
        provider=_answer(q, "provider", "model.provider"),
        model_name=_answer(q, "model_name", "model.name"),
        placement_date=_answer(q, "placement_date", "model.placement_date"),
        intended_use=_answer(q, "intended_use", "model.intended_use"),
        model_licence=_answer(q, "model_licence", "model.licence"),
        public_datasets=_answer(q, "public_datasets", "data.public_datasets"),
        private_datasets=_answer(q, "private_datasets", "data.private_datasets"),
        user_data=_answer(q, "user_data", "data.user_data"),
        synthetic_data=_answer(q, "synthetic_data", "data.synthetic_data"),
        other_sources=_answer(q, "other_sources", "data.other_sources"),
        illegal_content_measures=_answer(
            q, "illegal_content_measures", "data.illegal_content_measures"
        ),
        code_of_practice=_yes_no(q, "code_of_practice", "data.code_of_practice"),
        evaluation_scoring=_yes_no(q, "evaluation_scoring", "dpia.evaluation_scoring"),
        automated_decisions=_yes_no(q, "automated_decisions", "dpia.automated_decisions"),
        systematic_monitoring=_yes_no(q, "systematic_monitoring", "dpia.systematic_monitoring"),
        prevents_rights=_yes_no(q, "prevents_rights", "dpia.prevents_rights"),
        ledger_head=head,
    )


def _rights_contact(contact: str | None, q: Questionnaire) -> Known[str] | Missing:
    if contact:
        return Known("rights_contact", contact, ("moisson.toml rights.contact",))
    return _answer(q, "rights_contact", "controller.contact")
