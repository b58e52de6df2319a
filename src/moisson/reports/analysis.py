"""Language-neutral judgements computed from facts: checks, DPIA criteria, top domains, feed.

Templates turn these into sentences in French or English; the judgement itself is made once,
here, so both languages carry the same answers and figures. A check whose supporting fact is
:class:`Missing` has status ``"missing"`` and names that fact: it is never answered "yes".
Sources: CNIL sheets on legitimate interest and web scraping (measures), EDPB Opinion 28/2024
(objection window, memorisation), WP248 rev.01 (DPIA criteria), AI Office template for the
public summary of training content (top domains), CNIL open-source release recommendations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from moisson.reports.facts import (
    DatasetFact,
    DomainStat,
    Facts,
    Known,
    Missing,
    ModelFact,
)

__all__ = (
    "Check",
    "DpiaScreening",
    "TopDomains",
    "dpia_screening",
    "lia_measures",
    "release_checks",
    "top_domains",
    "version_feed",
    "withdrawn_versions",
)

Status = Literal["yes", "no", "missing"]
_RIGHTS_REASON = re.compile(
    r"erasure|objection|rights?|request|effacement|opposition", re.IGNORECASE
)


@dataclass(frozen=True)
class Check:
    """One measure or criterion: its answer, the figures behind it, and what is missing."""

    id: str
    status: Status
    figures: dict[str, Any] = field(default_factory=dict)
    missing: tuple[Missing, ...] = ()


def _missing(check_id: str, *facts: Known[Any] | Missing) -> Check | None:
    gaps = tuple(f for f in facts if isinstance(f, Missing))
    return Check(check_id, "missing", {}, gaps) if gaps else None


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def _check_optout(f: Facts) -> Check:
    gap = _missing("optout", f.optout_refusals, f.optout_fail_closed)
    if (
        gap
        or not isinstance(f.optout_refusals, Known)
        or not isinstance(f.optout_fail_closed, Known)
    ):
        return gap or Check("optout", "missing")
    refused = _nonzero(f.optout_refusals.value)
    figures = {"families": len(refused), "refused": sum(refused.values()), "by_family": refused}
    figures["fail_closed"] = f.optout_fail_closed.value
    return Check("optout", "yes", figures)


def _check_free_access(f: Facts) -> Check:
    if not isinstance(f.crawl_refusals, Known):
        return _missing("free_access", f.crawl_refusals) or Check("free_access", "missing")
    refused = f.crawl_refusals.value
    keys = ("login", "captcha", "paywall")
    return Check("free_access", "yes", {k: refused.get(k, 0) for k in keys})


def _check_categories(f: Facts) -> Check:
    if not isinstance(f.excluded_categories, Known):
        return _missing("categories", f.excluded_categories) or Check("categories", "missing")
    figures: dict[str, Any] = {"categories": f.excluded_categories.value}
    if isinstance(f.crawl_refusals, Known):
        figures["refused"] = f.crawl_refusals.value.get("category", 0)
    return Check("categories", "yes", figures)


def _check_minimisation(f: Facts) -> Check:
    gap = _missing("minimisation", f.pii_found, f.pii_actions_taken, f.pii_default_action)
    if gap or not (
        isinstance(f.pii_found, Known)
        and isinstance(f.pii_actions_taken, Known)
        and isinstance(f.pii_default_action, Known)
    ):
        return gap or Check("minimisation", "missing")
    actions = _nonzero(f.pii_actions_taken.value)
    figures = {
        "found": sum(f.pii_found.value.values()),
        "labels": _nonzero(f.pii_found.value),
        "actions": actions,
        "default_action": f.pii_default_action.value,
    }
    kept_by_default = f.pii_default_action.value == "keep"
    return Check("minimisation", "no" if kept_by_default else "yes", figures)


def _check_special(f: Facts) -> Check:
    gap = _missing("special", f.special_categories, f.special_category_mode)
    if gap or not (
        isinstance(f.special_categories, Known) and isinstance(f.special_category_mode, Known)
    ):
        return gap or Check("special", "missing")
    found = _nonzero(f.special_categories.value)
    return Check(
        "special",
        "yes",
        {"found": sum(found.values()), "by_category": found, "mode": f.special_category_mode.value},
    )


def _check_window(f: Facts) -> Check:
    if not isinstance(f.objection_window_days, Known):
        return Check("objection_window", "missing", {}, (f.objection_window_days,))
    days = f.objection_window_days.value
    return Check("objection_window", "yes" if days > 0 else "no", {"days": days})


def _check_notice(f: Facts) -> Check:
    gap = _missing("notice", f.user_agent, f.notice_url)
    if gap or not (isinstance(f.user_agent, Known) and isinstance(f.notice_url, Known)):
        return gap or Check("notice", "missing")
    return Check("notice", "yes", {"user_agent": f.user_agent.value, "url": f.notice_url.value})


def _check_register(f: Facts) -> Check:
    if not isinstance(f.register_campaign, Known):
        return Check("register", "missing", {}, (f.register_campaign,))
    return Check("register", "yes", {"campaign": f.register_campaign.value})


def _check_rights(f: Facts) -> Check:
    if not isinstance(f.rights_requests, Known):
        return Check("rights", "missing", {}, (f.rights_requests,))
    r = f.rights_requests.value
    figures = {"total": r.total, "open": r.open, "overdue": r.overdue, "by_kind": r.by_kind}
    return Check("rights", "yes" if r.overdue == 0 else "no", figures)


def _audit_counts(models: list[ModelFact]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in models:
        counts[m.audit_status] = counts.get(m.audit_status, 0) + 1
    return dict(sorted(counts.items()))


def _check_audit(f: Facts) -> Check:
    if not isinstance(f.models, Known):
        return Check("audit", "missing", {}, (f.models,))
    counts = _audit_counts(f.models.value)
    done = all(m.audit_status != "undetermined" for m in f.models.value)
    return Check(
        "audit", "yes" if done else "no", {"models": len(f.models.value), "by_status": counts}
    )


def _check_versions(f: Facts) -> Check:
    if not isinstance(f.datasets, Known):
        return Check("versions", "missing", {}, (f.datasets,))
    versions = sum(len(d.versions) for d in f.datasets.value)
    return Check("versions", "yes", {"datasets": len(f.datasets.value), "versions": versions})


def _check_retention(f: Facts) -> Check:
    if not isinstance(f.retention, Known):
        return Check("retention", "missing", {}, (f.retention,))
    return Check("retention", "yes", {"retention": f.retention.value})


def lia_measures(f: Facts) -> list[Check]:
    """Balancing-step measures (CNIL legitimate-interest and web-scraping sheets, EDPB 28/2024)."""
    return [
        _check_optout(f),
        _check_free_access(f),
        _check_categories(f),
        _check_minimisation(f),
        _check_special(f),
        _check_window(f),
        _check_notice(f),
        _check_register(f),
        _check_rights(f),
        _check_audit(f),
        _check_versions(f),
        _check_retention(f),
    ]


@dataclass(frozen=True)
class DpiaScreening:
    """WP248 criteria answered from facts; two or more met make a DPIA mandatory."""

    criteria: list[Check]
    met: int
    unknown: int
    verdict: Literal["required", "not_required", "undetermined"]


# WP248 "large scale": moisson's stated thresholds, shown in the document with the figures.
LARGE_SCALE_IDENTIFIERS = 10_000
LARGE_SCALE_DOCUMENTS = 100_000


def _answered(check_id: str, fact: Known[bool] | Missing) -> Check:
    if isinstance(fact, Missing):
        return Check(check_id, "missing", {}, (fact,))
    return Check(check_id, "yes" if fact.value else "no", {"source": "questionnaire"})


def _large_scale(f: Facts) -> Check:
    gap = _missing("large_scale", f.documents_out, f.pii_found)
    if gap or not (isinstance(f.documents_out, Known) and isinstance(f.pii_found, Known)):
        return gap or Check("large_scale", "missing")
    identifiers = sum(f.pii_found.value.values())
    met = identifiers >= LARGE_SCALE_IDENTIFIERS or f.documents_out.value >= LARGE_SCALE_DOCUMENTS
    figures = {
        "documents": f.documents_out.value,
        "identifiers": identifiers,
        "identifier_threshold": LARGE_SCALE_IDENTIFIERS,
        "document_threshold": LARGE_SCALE_DOCUMENTS,
    }
    return Check("large_scale", "yes" if met else "no", figures)


def _combining(f: Facts) -> Check:
    if isinstance(f.domains, Known):
        sources = len(f.domains.value)
    elif isinstance(f.collection_runs, Known):
        sources = len(f.collection_runs.value)
    else:
        return Check("combining", "missing", {}, (f.domains,))
    return Check("combining", "yes" if sources > 1 else "no", {"sources": sources})


def dpia_screening(f: Facts) -> DpiaScreening:
    """Answer the nine WP248 criteria (used by the CNIL) from facts and the questionnaire."""
    criteria = [
        _answered("evaluation_scoring", f.evaluation_scoring),
        _answered("automated_decisions", f.automated_decisions),
    ]
    criteria.append(_answered("systematic_monitoring", f.systematic_monitoring))
    if isinstance(f.special_categories, Known):
        found = sum(f.special_categories.value.values())
        criteria.append(Check("sensitive_data", "yes" if found else "no", {"found": found}))
    else:
        criteria.append(Check("sensitive_data", "missing", {}, (f.special_categories,)))
    criteria.append(_large_scale(f))
    criteria.append(_combining(f))
    if isinstance(f.excluded_categories, Known):
        minors_excluded = "minors" in f.excluded_categories.value
        criteria.append(
            Check(
                "vulnerable",
                "no" if minors_excluded else "yes",
                {"minors_excluded": minors_excluded},
            )
        )
    else:
        criteria.append(Check("vulnerable", "missing", {}, (f.excluded_categories,)))
    if isinstance(f.purposes, Known):
        ai = "train-ai" in f.purposes.value
        criteria.append(Check("innovative", "yes" if ai else "no", {"purposes": f.purposes.value}))
    else:
        criteria.append(Check("innovative", "missing", {}, (f.purposes,)))
    criteria.append(_answered("prevents_rights", f.prevents_rights))
    met = sum(c.status == "yes" for c in criteria)
    unknown = sum(c.status == "missing" for c in criteria)
    if met >= 2:
        verdict: Literal["required", "not_required", "undetermined"] = "required"
    elif met + unknown < 2:
        verdict = "not_required"
    else:
        verdict = "undetermined"
    return DpiaScreening(criteria, met, unknown, verdict)


@dataclass(frozen=True)
class TopDomains:
    """AI Act summary 2.3: the most relevant domains by content size."""

    domains: list[DomainStat]
    total_domains: int
    total_bytes: int
    rule: Literal["top10", "sme"]
    shown_bytes: int


def top_domains(domains: list[DomainStat], *, sme: bool) -> TopDomains:
    """Top 10% of domains by size; for SMEs the top 5% capped at 1,000 (AI Office template 2.3)."""
    ranked = sorted(domains, key=lambda d: (-d.bytes, d.domain))
    n = len(ranked)
    count = min(math.ceil(0.05 * n), 1000) if sme else math.ceil(0.10 * n)
    shown = ranked[: max(count, 1)] if n else []
    return TopDomains(
        shown,
        n,
        sum(d.bytes for d in ranked),
        "sme" if sme else "top10",
        sum(d.bytes for d in shown),
    )


def withdrawn_versions(datasets: Iterable[DatasetFact]) -> dict[tuple[str, int], str]:
    """Dataset versions replaced by a version made after a rights request (RGT-05).

    Returns ``{(dataset, version): reason of the replacing version}``.
    """
    out: dict[tuple[str, int], str] = {}
    for d in datasets:
        for v in d.versions:
            if v.parent is not None and _RIGHTS_REASON.search(v.reason):
                out[(d.name, v.parent)] = v.reason
    return out


def release_checks(f: Facts) -> list[Check]:
    """Open-source release checklist (CNIL open-source sheet; EDPB 28/2024 on memorisation)."""
    checks: list[Check] = []
    if isinstance(f.model_licence, Known):
        checks.append(Check("licence", "yes", {"licence": f.model_licence.value}))
    else:
        checks.append(Check("licence", "missing", {}, (f.model_licence,)))
    if isinstance(f.data_licence, Known):
        checks.append(Check("data_licence", "yes", {"licence": f.data_licence.value}))
    else:
        checks.append(Check("data_licence", "missing", {}, (f.data_licence,)))
    audit = _check_audit(f)
    checks.append(Check("memorisation", audit.status, audit.figures, audit.missing))
    if isinstance(f.models, Known):
        personal = [m.name for m in f.models.value if m.audit_status != "anonymous"]
        filtered = [m.name for m in f.models.value if m.rights_status == "output_filter"]
        status: Status = "yes" if not personal else "no"
        checks.append(
            Check("anonymous", status, {"not_anonymous": personal, "output_filter": filtered})
        )
    else:
        checks.append(Check("anonymous", "missing", {}, (f.models,)))
    if isinstance(f.datasets, Known):
        withdrawn = withdrawn_versions(f.datasets.value)
        models_due = (
            [m.name for m in f.models.value if m.rights_status != "ok"]
            if isinstance(f.models, Known)
            else []
        )
        checks.append(
            Check(
                "version_feed", "yes", {"withdrawn": len(withdrawn), "models_affected": models_due}
            )
        )
    else:
        checks.append(Check("version_feed", "missing", {}, (f.datasets,)))
    checks.append(_check_rights(f))
    checks.append(_check_optout(f))
    checks.append(_check_notice(f))
    return checks


def version_feed(f: Facts, *, title: str) -> dict[str, Any]:
    """A JSON Feed 1.1 of dataset and model versions, withdrawn ones flagged (CNIL open source)."""
    items: list[dict[str, Any]] = []
    if isinstance(f.datasets, Known):
        withdrawn = withdrawn_versions(f.datasets.value)
        for d in f.datasets.value:
            for v in d.versions:
                why = withdrawn.get((d.name, v.version))
                state = "withdrawn" if why else ("current" if v is d.latest else "superseded")
                items.append(
                    {
                        "id": f"dataset:{d.name}:{v.version}",
                        "title": f"{d.name} v{v.version}: {state}",
                        "date_published": v.created_at.isoformat(),
                        "content_text": (why and f"withdrawn: replaced after '{why}'") or v.reason,
                        "_moisson": {
                            "kind": "dataset",
                            "status": state,
                            "content_hash": v.content_hash,
                        },
                    }
                )
    if isinstance(f.models, Known):
        for m in f.models.value:
            state = "current" if m.rights_status == "ok" else m.rights_status
            items.append(
                {
                    "id": f"model:{m.name}:{m.id}",
                    "title": f"{m.name} (#{m.id}): {state}",
                    "date_published": m.created_at.isoformat(),
                    "content_text": m.rights_note or f"audit status: {m.audit_status}",
                    "_moisson": {"kind": "model", "status": state, "audit_status": m.audit_status},
                }
            )
    items.sort(key=lambda i: str(i["date_published"]), reverse=True)
    return {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
