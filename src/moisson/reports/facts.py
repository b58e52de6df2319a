"""What the workspace knows, as typed facts that carry where they come from (DOC-01, DOC-02).

A fact is either :class:`Known` (a value plus its provenance: the policy key, the ledger runs,
the dataset versions, the questionnaire line it was read from) or :class:`Missing` (the name
of the fact and the command that would produce it). Documents are rendered from :class:`Facts`
only, so a statement can appear only where a recorded fact supports it; a :class:`Missing`
value renders as a "missing" marker, never as a claim (DOC-02).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

__all__ = (
    "DatasetFact",
    "DatasetVersionFact",
    "DomainStat",
    "Fact",
    "Facts",
    "Known",
    "Missing",
    "ModelFact",
    "RightsSummary",
    "SourceFile",
    "fact_to_json",
)

T = TypeVar("T")


@dataclass(frozen=True)
class Known(Generic[T]):
    """A recorded fact: ``value`` and the places it was read from (``sources``)."""

    name: str
    value: T
    sources: tuple[str, ...]

    is_known = True

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Missing:
    """A fact the workspace cannot show yet, and the command that would record it (DOC-02).

    Attribute access and iteration give nothing claim-like back: ``missing.value`` is the
    same :class:`Missing`, iterating it yields nothing and it is falsy, so a template that
    forgets to test for it still prints the marker rather than a statement.
    """

    name: str
    command: str
    reason: str = ""

    is_known = False

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __getattr__(self, attr: str) -> Missing:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return self

    def __getitem__(self, key: object) -> Missing:
        return self

    def __call__(self, *args: object, **kwargs: object) -> Missing:
        return self


Fact = Known[T] | Missing


@dataclass(frozen=True)
class DomainStat:
    """Bytes and documents kept from one domain, summed over collection runs (SCR-12)."""

    domain: str
    documents: int
    bytes: int


@dataclass(frozen=True)
class SourceFile:
    """A file an ingest run read (ledger ``sources``): its name only, never its full path."""

    name: str
    format: str
    size_bytes: int | None
    documents: int
    run_id: int


@dataclass(frozen=True)
class DatasetVersionFact:
    version: int
    parent: int | None
    reason: str
    document_count: int
    bytes: int
    content_hash: str
    created_at: datetime
    run_id: int | None
    released_at: datetime | None


@dataclass(frozen=True)
class DatasetFact:
    name: str
    versions: tuple[DatasetVersionFact, ...]

    @property
    def latest(self) -> DatasetVersionFact:
        return self.versions[-1]


@dataclass(frozen=True)
class ModelFact:
    id: int
    name: str
    base_model: str | None
    created_at: datetime
    audit_status: str
    audit_report: str | None
    rights_status: str
    rights_note: str | None
    trained_on: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RightsSummary:
    """Rights requests by kind and by outcome (RGT-03); counts only, no identifiers."""

    total: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    open: int
    overdue: int


@dataclass(frozen=True)
class Facts:
    """Everything documents may state. Each field is a :class:`Known` or a :class:`Missing`."""

    # Policy (SCR-01): declared before collection.
    workspace_name: Fact[str]
    controller: Fact[str]
    purpose: Fact[str]
    purposes: Fact[list[str]]
    languages: Fact[list[str]]
    declared_sources: Fact[list[str]]
    declared_period: Fact[tuple[date | None, date | None]]
    crawler_agent: Fact[str]
    user_agent: Fact[str]
    notice_url: Fact[str]
    ai_tokens: Fact[list[str]]
    excluded_categories: Fact[list[str]]
    excluded_domains: Fact[list[str]]
    optout_fail_closed: Fact[bool]
    register_url: Fact[str]
    pii_default_action: Fact[str]
    pii_actions: Fact[dict[str, str]]
    pii_drop_above: Fact[int]
    special_category_mode: Fact[str]
    objection_window_days: Fact[int]
    erasure_mode: Fact[str]
    retraining_interval_days: Fact[int]
    rights_contact: Fact[str]
    data_licence: Fact[str]
    # Ledger runs (SCR-02, SCR-12 and the run-stats conventions).
    collection_runs: Fact[list[int]]
    crawl_runs: Fact[list[int]]
    observed_period: Fact[tuple[datetime, datetime]]
    documents_in: Fact[int]
    documents_out: Fact[int]
    bytes_out: Fact[int]
    dropped: Fact[dict[str, int]]
    domains: Fact[list[DomainStat]]
    ingested_files: Fact[list[SourceFile]]
    optout_refusals: Fact[dict[str, int]]
    crawl_refusals: Fact[dict[str, int]]
    pii_found: Fact[dict[str, int]]
    pii_actions_taken: Fact[dict[str, int]]
    special_categories: Fact[dict[str, int]]
    # Store and models.
    datasets: Fact[list[DatasetFact]]
    models: Fact[list[ModelFact]]
    # Other pillars.
    rights_requests: Fact[RightsSummary]
    register_campaign: Fact[str]
    # Questionnaire (what only people know).
    controller_contact: Fact[str]
    dpo_contact: Fact[str]
    is_sme: Fact[bool]
    interests: Fact[str]
    benefits: Fact[str]
    alternatives: Fact[str]
    retention: Fact[str]
    recipients: Fact[str]
    dpo_opinion: Fact[str]
    provider: Fact[str]
    model_name: Fact[str]
    placement_date: Fact[str]
    intended_use: Fact[str]
    model_licence: Fact[str]
    public_datasets: Fact[str]
    private_datasets: Fact[str]
    user_data: Fact[str]
    synthetic_data: Fact[str]
    other_sources: Fact[str]
    illegal_content_measures: Fact[str]
    code_of_practice: Fact[bool]
    evaluation_scoring: Fact[bool]
    automated_decisions: Fact[bool]
    systematic_monitoring: Fact[bool]
    prevents_rights: Fact[bool]
    # Workspace state the facts were read at (stamped in every document).
    ledger_head: str = ""

    def names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if f.name != "ledger_head"]

    def get(self, name: str) -> Known[Any] | Missing:
        value = getattr(self, name)
        if not isinstance(value, Known | Missing):
            msg = f"'{name}' is not a fact"
            raise KeyError(msg)
        return value

    def missing(self) -> list[Missing]:
        return [f for f in (self.get(n) for n in self.names()) if isinstance(f, Missing)]

    def replace(self, **changes: Any) -> Facts:
        """A copy with some facts changed (tests remove a fact to see it turn missing)."""
        return dataclasses.replace(self, **changes)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def fact_to_json(fact: Known[Any] | Missing) -> dict[str, Any]:
    """JSON form of one fact, for ``moisson docs facts --json`` and the state digest."""
    if isinstance(fact, Missing):
        return {"name": fact.name, "missing": True, "command": fact.command, "reason": fact.reason}
    return {"name": fact.name, "value": _plain(fact.value), "sources": list(fact.sources)}
