"""collect_facts reads what the workspace recorded, with provenance, and nothing else (DOC-01/02)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_workspace import CRAWL_REFUSED, DOMAINS, OPTOUT, PII, SENSITIVE

from moisson.errors import ConfigError
from moisson.ledger import Ledger
from moisson.reports.collect import collect_facts
from moisson.reports.facts import Known, Missing
from moisson.reports.questionnaire import (
    QUESTIONS,
    load_questionnaire,
    questionnaire_path,
    write_questionnaire,
)
from moisson.workspace import Workspace


def test_run_stats_become_facts_with_their_runs(facts_workspace: Workspace) -> None:
    facts = collect_facts(facts_workspace)
    assert isinstance(facts.optout_refusals, Known)
    assert facts.optout_refusals.value == dict(sorted(OPTOUT.items()))
    assert facts.optout_refusals.sources == ("ledger runs #1 (stats optout/refused/*)",)
    assert isinstance(facts.pii_found, Known)
    assert facts.pii_found.value == dict(sorted(PII.items())), (
        "pii/action/* must not count as labels"
    )
    assert isinstance(facts.special_categories, Known)
    assert facts.special_categories.value == SENSITIVE
    assert isinstance(facts.crawl_refusals, Known)
    assert facts.crawl_refusals.value == dict(sorted(CRAWL_REFUSED.items()))
    assert isinstance(facts.domains, Known)
    assert [d.domain for d in facts.domains.value] == list(DOMAINS)  # largest first
    assert facts.domains.value[0].bytes == DOMAINS["site-00.example"]
    assert isinstance(facts.documents_out, Known)
    assert facts.documents_out.value == 2090


def test_store_models_and_questionnaire(facts_workspace: Workspace) -> None:
    facts = collect_facts(facts_workspace)
    assert isinstance(facts.datasets, Known)
    (corpus,) = facts.datasets.value
    assert [v.version for v in corpus.versions] == [1, 2]
    assert corpus.versions[1].reason == "erasure request #1"
    assert corpus.latest.document_count == 5
    assert isinstance(facts.models, Known)
    assert facts.models.value[0].audit_status == "personal_data"
    assert isinstance(facts.interests, Known)
    assert facts.interests.sources == ("docs/questionnaire.toml [purpose].interests",)
    assert isinstance(facts.is_sme, Known)
    assert facts.is_sme.value is True
    assert isinstance(facts.rights_requests, Known)
    assert facts.rights_requests.value.total == 0
    with Ledger.open(facts_workspace) as ledger:
        assert facts.ledger_head == ledger.head_hash()


def test_an_empty_workspace_has_missing_facts_with_commands(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "empty")
    facts = collect_facts(ws)
    for name in (
        "optout_refusals",
        "domains",
        "documents_out",
        "datasets",
        "models",
        "interests",
        "provider",
    ):
        fact = facts.get(name)
        assert isinstance(fact, Missing), name
        assert fact.command.startswith("moisson"), fact.command
    # Declared policy values are facts even without runs (SCR-01).
    assert isinstance(facts.crawler_agent, Known)
    # A Missing never yields a value: attribute access and iteration give nothing claim-like.
    missing = facts.domains
    assert isinstance(missing, Missing)
    assert missing.value is missing
    assert list(missing) == []
    assert not missing


def test_questionnaire_is_commented_and_empty_answers_are_missing(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = write_questionnaire(ws)
    content = path.read_text(encoding="utf-8")
    assert content.count("\n# ") >= len(QUESTIONS)
    q = load_questionnaire(ws)
    assert all(q.get(f"{s}.{k}") is None for s, k, _ in QUESTIONS)
    facts = collect_facts(ws)
    assert isinstance(facts.alternatives, Missing)
    assert "docs/questionnaire.toml" in facts.alternatives.command


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[purpose]\ninterests = 3\n", "must be a string"),
        ('[purpose]\nintrests = "x"\n', "unknown question 'purpose.intrests'"),
        ('purpose = "x"\n', "must be a [section]"),
        ("[purpose\n", "not valid TOML"),
    ],
)
def test_bad_questionnaire_names_file_and_key(tmp_path: Path, text: str, needle: str) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = questionnaire_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"questionnaire\.toml") as info:
        load_questionnaire(ws)
    assert needle in str(info.value)


def test_yes_no_answers_must_be_yes_or_no(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = write_questionnaire(ws)
    path.write_text('[controller]\nis_sme = "maybe"\n', encoding="utf-8")
    fact = collect_facts(ws).is_sme
    assert isinstance(fact, Missing)
    assert "maybe" in fact.reason


def test_rights_requests_are_counted_by_kind_and_outcome(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from moisson.reports.analysis import lia_measures
    from moisson.rights.tables import RightsRequestRow

    ws = Workspace.init(tmp_path / "ws")
    now = datetime.now(UTC)
    with Ledger.open(ws) as ledger, ledger.session() as s:
        s.add(RightsRequestRow(kind="erasure", status="closed", due_at=now, closed_at=now))
        s.add(RightsRequestRow(kind="access", status="received", due_at=now - timedelta(days=2)))
        s.add(RightsRequestRow(kind="access", status="verified", due_at=now + timedelta(days=20)))
    facts = collect_facts(ws)
    assert isinstance(facts.rights_requests, Known)
    summary = facts.rights_requests.value
    assert (summary.total, summary.open, summary.overdue) == (3, 2, 1)
    assert summary.by_kind == {"access": 2, "erasure": 1}
    rights = next(c for c in lia_measures(facts) if c.id == "rights")
    assert rights.status == "no"  # one request is past its deadline (art. 12(3))


def test_published_register_campaign_is_a_fact(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert isinstance(collect_facts(ws).register_campaign, Missing)
    (ws.root / "registry").mkdir()
    (ws.root / "registry" / "campaign.json").write_text(
        '{"register": "http://127.0.0.1:8000", "campaign_id": 7, "version": 2}', encoding="utf-8"
    )
    fact = collect_facts(ws).register_campaign
    assert isinstance(fact, Known)
    assert fact.value == "#7 v2 at http://127.0.0.1:8000"
    assert fact.sources == ("registry/campaign.json",)


def test_reports_all_lists_exactly_the_public_names() -> None:
    import moisson.reports as reports

    for name in reports.__all__:  # imported on first use (moisson/_lazy.py): resolve them all
        getattr(reports, name)
    public = {n for n in dir(reports) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(reports, n)).__name__ == "module"}
    assert set(reports.__all__) == public - modules - {
        "annotations",
        "TYPE_CHECKING",
        "lazy_attributes",
    }


def test_ingested_files_are_listed_by_name_only(tmp_path: Path) -> None:
    from moisson.ledger.models import SourceRow
    from moisson.reports.facts import SourceFile

    ws = Workspace.init(tmp_path / "ws")
    with Ledger.open(ws) as ledger:
        run = ledger.start_run("ingest", policy_hash=ws.policy.policy_hash(), params={})
        with ledger.session() as s:
            s.add(
                SourceRow(
                    run_id=run,
                    uri="/home/alice/dumps/cc-2026.warc.gz",
                    format="warc",
                    size_bytes=10,
                    documents=4,
                )
            )
        ledger.finish_run(run, status="ok", stats={"docs/in": 4, "docs/out": 3})
        failed = ledger.start_run("ingest", policy_hash=ws.policy.policy_hash(), params={})
        with ledger.session() as s:
            s.add(SourceRow(run_id=failed, uri="/tmp/broken.jsonl", format="jsonl", documents=0))
        ledger.finish_run(failed, status="failed", stats={})
    facts = collect_facts(ws)
    assert isinstance(facts.ingested_files, Known)
    assert facts.ingested_files.value == [SourceFile("cc-2026.warc.gz", "warc", 10, 4, run)]
    assert isinstance(facts.crawl_runs, Missing)  # an ingest is not a crawl
    assert isinstance(facts.domains, Missing)  # no per-domain counters recorded


@pytest.mark.postgres
def test_facts_and_check_on_postgres(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from reports_workspace import build_workspace

    from moisson.reports.build import build_documents
    from moisson.reports.check import check_documents
    from moisson.rights.tables import RightsRequestRow

    monkeypatch.setenv("MOISSON_DATABASE_URL", postgres_url)
    ws = build_workspace(tmp_path / "ws")
    with Ledger.open(ws) as ledger, ledger.session() as s:
        s.add(
            RightsRequestRow(
                kind="objection", status="received", due_at=datetime.now(UTC) - timedelta(days=1)
            )
        )
    facts = collect_facts(ws)
    assert isinstance(facts.optout_refusals, Known)
    assert sum(facts.optout_refusals.value.values()) == 1204
    assert isinstance(facts.rights_requests, Known)
    assert (facts.rights_requests.value.total, facts.rights_requests.value.overdue) == (1, 1)
    build_documents(ws, formats=("md",), facts=facts)
    assert check_documents(ws) == []
