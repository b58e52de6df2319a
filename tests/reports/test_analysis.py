"""Language-neutral judgements: AI Act top domains, DPIA verdict, checks on missing facts."""

from __future__ import annotations

import pytest

from moisson.reports.analysis import dpia_screening, lia_measures, top_domains, version_feed
from moisson.reports.collect import collect_facts
from moisson.reports.facts import DomainStat, Known, Missing
from moisson.workspace import Workspace


def _domains(n: int) -> list[DomainStat]:
    return [DomainStat(f"d{i}.example", 1, 1000 + i) for i in range(n)]


@pytest.mark.parametrize(
    ("n", "sme", "expected"),
    [
        (20, False, 2),  # top 10%
        (25, False, 3),  # rounded up
        (20, True, 1),  # SMEs: top 5%
        (30_000, True, 1000),  # SMEs: capped at 1,000
        (30_000, False, 3000),  # no cap otherwise
        (3, False, 1),  # at least one domain
    ],
)
def test_top_domains_rule_of_the_ai_office_template(n: int, sme: bool, expected: int) -> None:
    top = top_domains(_domains(n), sme=sme)
    assert len(top.domains) == expected
    assert top.total_domains == n
    assert top.domains[0].domain == f"d{n - 1}.example"  # largest first
    assert top.shown_bytes == sum(d.bytes for d in top.domains)


def test_dpia_verdict_follows_the_criteria(facts_workspace: Workspace) -> None:
    facts = collect_facts(facts_workspace)
    screening = dpia_screening(facts)
    met = {c.id for c in screening.criteria if c.status == "yes"}
    assert met == {"sensitive_data", "combining", "innovative"}
    assert screening.verdict == "required"
    # Without the sensitive data and the domains, and with nothing recorded from the questionnaire,
    # the answer is not "not required": it is undetermined.
    gap = Missing("special_categories", "moisson crawl")
    unknown = facts.replace(
        special_categories=gap,
        domains=Missing("domains", "moisson crawl"),
        collection_runs=Missing("collection_runs", "moisson crawl"),
        evaluation_scoring=Missing("evaluation_scoring", "moisson docs init"),
    )
    screening = dpia_screening(unknown)
    assert screening.met == 1
    assert screening.verdict == "undetermined"
    no_ai = unknown.replace(
        purposes=Known("purposes", ["search"], ("test",)),
        special_categories=Known("special_categories", {}, ("test",)),
        domains=Known("domains", _domains(1), ("test",)),
        evaluation_scoring=Known("evaluation_scoring", False, ("test",)),
    )
    assert dpia_screening(no_ai).verdict == "not_required"


def test_a_check_on_a_missing_fact_is_missing_never_yes(facts_workspace: Workspace) -> None:
    facts = collect_facts(facts_workspace)
    by_id = {c.id: c for c in lia_measures(facts)}
    assert by_id["optout"].status == "yes"
    assert by_id["optout"].figures["refused"] == 1204
    assert by_id["optout"].figures["families"] == 3
    gap = Missing("optout_refusals", "moisson crawl <seeds>")
    by_id = {c.id: c for c in lia_measures(facts.replace(optout_refusals=gap))}
    assert by_id["optout"].status == "missing"
    assert by_id["optout"].missing == (gap,)
    assert by_id["optout"].figures == {}


def test_version_feed_flags_the_version_withdrawn_after_a_rights_request(
    facts_workspace: Workspace,
) -> None:
    feed = version_feed(collect_facts(facts_workspace), title="t")
    status = {item["id"]: item["_moisson"]["status"] for item in feed["items"]}
    assert status["dataset:corpus:1"] == "withdrawn"
    assert status["dataset:corpus:2"] == "current"
    assert status["model:exemple-lm:1"] == "retraining_due"
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
