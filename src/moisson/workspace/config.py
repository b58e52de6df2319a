"""The collection policy (``moisson.toml``), declared before any collection (SCR-01).

Each section is its own model so that a pillar owns its settings. Unknown keys are refused
(``extra="forbid"``): a typo in a policy must not silently weaken it. Errors name the key.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from moisson.errors import ConfigError

__all__ = (
    "AuditSettings",
    "CollectionSettings",
    "CrawlerSettings",
    "OptoutSettings",
    "PiiAction",
    "PiiSettings",
    "Policy",
    "RightsSettings",
    "load_policy",
)

Purpose = Literal["train-ai", "search", "ai-input", "tdm-research"]
PiiAction = Literal["keep", "mask", "pseudonymise", "drop"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CollectionSettings(_Section):
    """What is collected, from where, when, and why (SCR-01, SCR-02, SCR-12)."""

    purposes: list[Purpose] = Field(default_factory=lambda: list[Purpose](["train-ai"]))
    purpose_description: str = "Training language models"
    sources: list[str] = Field(default_factory=list, description="Declared sources (URLs, dumps)")
    languages: list[str] = Field(default_factory=lambda: ["fr", "en"])
    period_start: date | None = None
    period_end: date | None = None
    min_chars: int = Field(default=0, ge=0, description="Drop documents shorter than this")
    max_document_bytes: int = Field(default=5_000_000, gt=0)
    licence: str | None = None
    # SCR-08b: collected data is held back this many days before release for training.
    objection_window_days: int = Field(default=0, ge=0)

    @field_validator("languages")
    @classmethod
    def _iso639(cls, value: list[str]) -> list[str]:
        for lang in value:
            if len(lang) != 2 or not lang.isalpha() or not lang.islower():
                msg = f"'{lang}' is not a two-letter ISO 639-1 code"
                raise ValueError(msg)
        return value


class CrawlerSettings(_Section):
    """Crawler identity and politeness (SCR-11, SCR-07)."""

    agent_token: str = "moisson-bot"
    notice_url: str = "https://example.org/moisson-notice"
    ai_tokens: list[str] = Field(
        default_factory=lambda: ["GPTBot", "Google-Extended", "CCBot", "ClaudeBot", "anthropic-ai"]
    )
    concurrency_per_host: int = Field(default=2, ge=1)
    delay_seconds: float = Field(default=0.0, ge=0)
    retries: int = Field(default=2, ge=0)
    timeout_seconds: float = Field(default=15.0, gt=0)
    max_response_bytes: int = Field(default=5_000_000, gt=0)
    content_types: list[str] = Field(default_factory=lambda: ["text/html", "text/plain"])
    excluded_categories: list[str] = Field(
        default_factory=lambda: ["health", "religion", "politics", "sexuality", "adult", "minors"]
    )
    excluded_domains: list[str] = Field(default_factory=list)

    @property
    def user_agent(self) -> str:
        return f"Mozilla/5.0 (compatible; {self.agent_token}/1.0; +{self.notice_url})"


class OptoutSettings(_Section):
    """Which opt-out families are honoured and how errors are treated (SCR-05/06/13)."""

    fail_closed: bool = True
    cache_ttl_hours: float = Field(default=24.0, gt=0, le=24.0)
    register_url: str | None = None
    optout_domains: list[str] = Field(default_factory=list)


class PiiSettings(_Section):
    """What happens to personal data found at collection time (PII-03, SCR-09, SCR-10)."""

    tier: Literal["fast", "full"] = "fast"
    # The full tier's entity model: a local Hugging Face token-classification folder or an
    # installed spaCy pipeline; unset, the best installed spaCy pipeline per language.
    model: str | None = None
    default_action: PiiAction = "pseudonymise"
    actions: dict[str, PiiAction] = Field(default_factory=dict)
    drop_document_above: int | None = Field(
        default=50, ge=1, description="Drop a document with more identifiers than this"
    )
    special_categories: Literal["flag", "drop"] = "flag"


class RightsSettings(_Section):
    """Rights handling (RGT-03, RGT-05)."""

    erasure_mode: Literal["drop", "redact"] = "drop"
    retraining_interval_days: int = Field(default=90, ge=1)
    contact: str | None = None


class AuditSettings(_Section):
    """Thresholds for the model status decision (MOD-01); rules in ``moisson.audit.status``."""

    max_exposure_bits: float = 10.0
    max_membership_auc: float = 0.6
    query_budget: int = Field(default=20_000, ge=1)
    # Verbatim regurgitation of members beyond the non-member control rate.
    max_regurgitation_excess: float = Field(default=0.01, ge=0, le=1)
    # The null control (two halves of the non-members) must stay within 0.5 +/- this.
    null_auc_tolerance: float = Field(default=0.1, gt=0, le=0.5)
    # Tests that must have run before "anonymous" can be concluded.
    required_tests: list[str] = Field(
        default_factory=lambda: ["canaries", "membership", "extraction", "regurgitation"]
    )
    # Positive control: fine-tune a throwaway copy on fresh canaries and check they are found.
    positive_control: Literal["injected", "none"] = "injected"
    positive_control_steps: int = Field(
        default=200, ge=1, description="At most; stops once memorised"
    )
    positive_control_learning_rate: float = Field(default=1e-3, gt=0)

    @field_validator("required_tests")
    @classmethod
    def _known_tests(cls, value: list[str]) -> list[str]:
        known = {"canaries", "membership", "extraction", "regurgitation"}
        for test in value:
            if test not in known:
                msg = f"'{test}' is not an audit test (one of {', '.join(sorted(known))})"
                raise ValueError(msg)
        return value


class Policy(_Section):
    """The whole policy file."""

    name: str = "moisson-workspace"
    controller: str | None = None
    collection: CollectionSettings = Field(default_factory=CollectionSettings)
    crawler: CrawlerSettings = Field(default_factory=CrawlerSettings)
    optout: OptoutSettings = Field(default_factory=OptoutSettings)
    pii: PiiSettings = Field(default_factory=PiiSettings)
    rights: RightsSettings = Field(default_factory=RightsSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)

    def policy_hash(self) -> str:
        """Hash of the normalised policy, recorded with every run (SCR-01)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()


def _format_error(err: ValidationError) -> tuple[str, str]:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "<root>"
    return key, first["msg"]


def parse_policy(data: dict[str, Any], *, path: str = "<memory>") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as err:
        key, problem = _format_error(err)
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        msg = f"{path}: key '{key}': {problem}{more}"
        raise ConfigError(msg, key=key, path=path) from None


def read_toml_text(path: Path) -> str:
    """The text of a TOML file people edit (policy, questionnaire), which TOML requires in UTF-8.

    A file saved in another encoding (Latin-1 from an old editor) is a :class:`ConfigError`
    naming the file and the first bad byte's offset, not a decoding traceback.
    """
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = (
            f"{path}: not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8"
        )
        raise ConfigError(msg, path=str(path)) from None


def load_policy(path: Path) -> Policy:
    """Read and validate ``moisson.toml``; errors name the file and the key."""
    try:
        data = tomllib.loads(read_toml_text(path))
    except FileNotFoundError:
        msg = f"{path}: no policy file"
        raise ConfigError(msg, path=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        msg = f"{path}: not valid TOML: {err}"
        raise ConfigError(msg, path=str(path)) from None
    return parse_policy(data, path=str(path))
