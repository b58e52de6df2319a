"""The few words shared by every document, in French and English (DOC-01)."""

from __future__ import annotations

from typing import Literal

__all__ = ("LANGS", "Lang", "text")

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

_WORDS: dict[str, dict[Lang, str]] = {
    "missing_marker": {
        "en": "⚠ **MISSING: {name}** (run `{command}`)",
        "fr": "⚠ **MANQUANT : {name}** (lancer `{command}`)",
    },
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    "missing": {"en": "missing", "fr": "manquant"},
    "n_items": {"en": "{n} items", "fr": "{n} éléments"},
    "recorded": {"en": "recorded", "fr": "enregistré"},
    "facts_used": {"en": "Facts used", "fr": "Faits utilisés"},
    "fact": {"en": "Fact", "fr": "Fait"},
    "value": {"en": "Value", "fr": "Valeur"},
    "source": {"en": "Source", "fr": "Source"},
    "state": {"en": "Workspace state", "fr": "État de l'espace de travail"},
    "ledger_head": {
        "en": "Ledger head (audit log hash)",
        "fr": "Tête du registre (empreinte du journal d'audit)",
    },
    "facts_digest": {"en": "Digest of the facts used", "fr": "Empreinte des faits utilisés"},
    "check_hint": {
        "en": "`moisson docs check` fails when this state no longer matches the workspace.",
        "fr": "`moisson docs check` échoue quand cet état ne correspond plus à l'espace de travail.",
    },
    "metadata": {"en": "Metadata", "fr": "Métadonnées"},
    "status_yes": {"en": "✔ yes", "fr": "✔ oui"},
    "status_no": {"en": "✘ no", "fr": "✘ non"},
    "status_missing": {"en": "⚠ missing", "fr": "⚠ manquant"},
}


def text(key: str, lang: Lang) -> str:
    """The word or sentence ``key`` in ``lang``."""
    return _WORDS[key][lang]
