"""The documents moisson generates (DOC-01), with the facts each one cannot do without.

``required`` facts are those without which the document is not fit to publish:
``moisson docs check`` fails while any of them is missing, and lists them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moisson.reports.facts import Known

if TYPE_CHECKING:
    from moisson.reports.facts import Facts
    from moisson.reports.i18n import Lang

__all__ = ("DOCUMENTS", "DocumentSpec", "get_spec")


@dataclass(frozen=True)
class DocumentSpec:
    slug: str
    titles: dict[Lang, str]
    required: tuple[str, ...]
    front_matter: Callable[[Facts], dict[str, Any]] | None = None


def _licence_meta(fact: Any) -> dict[str, Any]:
    """Hub ``license`` key: a licence id when it looks like one, else ``other`` and its name."""
    if not isinstance(fact, Known):
        return {}
    value = str(fact.value).strip()
    if re.fullmatch(r"[A-Za-z0-9.+-]+", value):
        return {"license": value.lower()}
    return {
        "license": "other",
        "license_name": re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-"),
    }


def _languages(f: Facts) -> dict[str, Any]:
    return {"language": list(f.languages.value)} if isinstance(f.languages, Known) else {}


def model_card_meta(f: Facts) -> dict[str, Any]:
    """Hugging Face model card metadata, only from recorded facts."""
    meta: dict[str, Any] = {}
    meta.update(_languages(f))
    meta.update(_licence_meta(f.model_licence))
    meta["tags"] = ["moisson", "gdpr-documented"]
    if isinstance(f.models, Known):
        latest = f.models.value[-1]
        if latest.base_model:
            meta["base_model"] = latest.base_model
        meta["datasets"] = sorted({name for name, _ in latest.trained_on})
    return meta


def _size_category(count: int) -> str:
    bounds = (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    )
    for bound, label in bounds:
        if count < bound:
            return label
    return "n>1M"


def dataset_card_meta(f: Facts) -> dict[str, Any]:
    """Hugging Face dataset card metadata, only from recorded facts."""
    meta: dict[str, Any] = {}
    meta.update(_languages(f))
    meta.update(_licence_meta(f.data_licence))
    if isinstance(f.workspace_name, Known):
        meta["pretty_name"] = f.workspace_name.value
    if isinstance(f.datasets, Known):
        meta["size_categories"] = [
            _size_category(sum(d.latest.document_count for d in f.datasets.value))
        ]
    meta["tags"] = ["moisson", "gdpr-documented"]
    return meta


DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        "legitimate-interest",
        {"en": "Legitimate-interest assessment", "fr": "Analyse de l'intérêt légitime"},
        (
            "controller",
            "purpose",
            "interests",
            "alternatives",
            "optout_refusals",
            "pii_actions_taken",
        ),
    ),
    DocumentSpec(
        "dpia",
        {"en": "DPIA screening and outline", "fr": "Analyse préalable et plan d'AIPD"},
        ("controller", "purpose", "special_categories", "documents_out"),
    ),
    DocumentSpec(
        "information-notice",
        {
            "en": "Information notice (GDPR art. 13 and 14)",
            "fr": "Notice d'information (RGPD art. 13 et 14)",
        },
        ("controller", "controller_contact", "purpose", "interests", "retention"),
    ),
    DocumentSpec(
        "model-card",
        {"en": "Model card", "fr": "Fiche du modèle"},
        ("models", "datasets"),
        model_card_meta,
    ),
    DocumentSpec(
        "dataset-card",
        {"en": "Dataset card", "fr": "Fiche du jeu de données"},
        ("datasets", "pii_actions_taken"),
        dataset_card_meta,
    ),
    DocumentSpec(
        "ai-act-summary",
        {
            "en": "Public summary of training content (AI Act art. 53(1)(d))",
            "fr": "Résumé public du contenu d'entraînement (AI Act art. 53(1)(d))",
        },
        (
            "provider",
            "model_name",
            "domains",
            "observed_period",
            "optout_refusals",
            "crawler_agent",
        ),
    ),
    DocumentSpec(
        "release-checklist",
        {
            "en": "Open-source release checklist",
            "fr": "Liste de contrôle de publication en source ouverte",
        },
        ("model_licence", "models", "datasets"),
    ),
)


def get_spec(slug: str) -> DocumentSpec:
    for spec in DOCUMENTS:
        if spec.slug == slug:
            return spec
    msg = f"no document '{slug}'; known: {', '.join(s.slug for s in DOCUMENTS)}"
    raise KeyError(msg)
