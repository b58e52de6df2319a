"""The short questionnaire: what only people know (controller, purpose, interests, DPO opinion).

``moisson docs init`` writes ``docs/questionnaire.toml`` with a comment on every question. An
empty answer stays empty: the documents then show that fact as missing (DOC-02) and name this
file as the way to provide it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from moisson.errors import ConfigError
from moisson.workspace import Workspace
from moisson.workspace.config import read_toml_text

__all__ = (
    "QUESTIONNAIRE_PATH",
    "Answer",
    "Questionnaire",
    "load_questionnaire",
    "write_questionnaire",
)

QUESTIONNAIRE_PATH = ("docs", "questionnaire.toml")

# (section, key, comment). Boolean questions take "yes" / "no"; anything left "" is missing.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "controller",
        "name",
        "Legal name and address of the controller (GDPR art. 13(1)(a), 14(1)(a))",
    ),
    ("controller", "contact", "Contact for data-protection questions and rights requests"),
    ("controller", "dpo_contact", "Contact of the data protection officer (art. 13(1)(b)), if any"),
    ("controller", "is_sme", 'Is the provider an SME? "yes" / "no" (AI Act summary, section 2.3)'),
    ("purpose", "interests", "Legitimate interests pursued (art. 6(1)(f); LIA step 1, legitimacy)"),
    (
        "purpose",
        "benefits",
        "Expected benefits for the controller, users and the public (LIA step 3)",
    ),
    (
        "purpose",
        "alternatives",
        "Less intrusive alternatives considered and why they fall short (LIA step 2)",
    ),
    ("purpose", "retention", "How long training data and models are kept (art. 13(2)(a))"),
    ("purpose", "recipients", "Recipients or categories of recipients (art. 13(1)(e))"),
    ("dpo", "opinion", "The DPO's opinion on the legitimate-interest assessment and DPIA"),
    ("model", "provider", "Provider name and contact (AI Act summary, section 1.1)"),
    ("model", "name", "Versioned model name(s) (AI Act summary, section 1.2)"),
    ("model", "placement_date", "Date of placement on the market, YYYY-MM-DD (section 1.2)"),
    ("model", "intended_use", "Intended uses and out-of-scope uses (model card)"),
    (
        "model",
        "licence",
        "Model licence; for open release it should forbid re-identification and extraction",
    ),
    ("data", "public_datasets", 'Publicly available datasets used (section 2.1), or "none"'),
    (
        "data",
        "private_datasets",
        'Private or licensed datasets from third parties (section 2.2), or "none"',
    ),
    ("data", "user_data", 'Data from users of your products or services (section 2.4), or "none"'),
    ("data", "synthetic_data", 'Synthetic data (section 2.5), or "none"'),
    ("data", "other_sources", 'Other sources of data (section 2.6), or "none"'),
    ("data", "illegal_content_measures", "Measures to remove illegal content (section 3.2)"),
    (
        "data",
        "code_of_practice",
        'Signatory of the GPAI code of practice? "yes" / "no" (section 3.1)',
    ),
    (
        "dpia",
        "evaluation_scoring",
        'Does the system evaluate or score people? "yes" / "no" (WP248 criterion 1)',
    ),
    (
        "dpia",
        "automated_decisions",
        'Automated decisions with legal or similar effect? "yes" / "no" (criterion 2)',
    ),
    (
        "dpia",
        "systematic_monitoring",
        'Systematic monitoring of people? "yes" / "no" (criterion 3)',
    ),
    (
        "dpia",
        "prevents_rights",
        'Does it prevent people from using a service or right? "yes" / "no" (criterion 9)',
    ),
)

_HEADER = """\
# moisson documents questionnaire (DOC-01).
# Everything the workspace records (policy, runs, datasets, models, rights requests) is read
# from the ledger; this file holds only what people know. Leave an answer "" when you do not
# know it yet: the generated documents then show it as missing, never as a claim (DOC-02).
# Edit, then run `moisson docs build`.
"""


@dataclass(frozen=True)
class Answer:
    """One answer and where it was read (file and key), for provenance."""

    value: str
    source: str


@dataclass(frozen=True)
class Questionnaire:
    answers: dict[str, Answer]
    path: Path

    def get(self, key: str) -> Answer | None:
        """Answer to ``section.key``, or None when absent or empty."""
        answer = self.answers.get(key)
        return answer if answer is not None and answer.value.strip() else None


def questionnaire_path(workspace: Workspace) -> Path:
    return workspace.path(*QUESTIONNAIRE_PATH)


def write_questionnaire(workspace: Workspace, *, overwrite: bool = False) -> Path:
    """Write the commented questionnaire; keep an existing one unless ``overwrite``."""
    path = questionnaire_path(workspace)
    if path.exists() and not overwrite:
        return path
    lines = [_HEADER]
    section = ""
    for sec, key, comment in QUESTIONS:
        if sec != section:
            lines.append(f"\n[{sec}]")
            section = sec
        lines.append(f"# {comment}")
        lines.append(f'{key} = ""')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fill_questionnaire(workspace: Workspace, answers: dict[str, str]) -> Path:
    """Set answers (``{"section.key": "text"}``) in the questionnaire, keeping its comments."""
    path = write_questionnaire(workspace)
    known = {f"{s}.{k}" for s, k, _ in QUESTIONS}
    unknown = sorted(set(answers) - known)
    if unknown:
        msg = f"{path}: unknown question(s) {', '.join(unknown)}"
        raise ConfigError(msg, key=unknown[0], path=str(path))
    section = ""
    lines = []
    for line in read_toml_text(path).splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        key = (
            stripped.split("=", 1)[0].strip()
            if "=" in stripped and not stripped.startswith("#")
            else ""
        )
        if key and f"{section}.{key}" in answers:
            value = (
                answers[f"{section}.{key}"]
                .replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
            )
            line = f'{key} = "{value}"'
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_questionnaire(workspace: Workspace) -> Questionnaire:
    """Read the questionnaire; an absent file means every answer is missing."""
    path = questionnaire_path(workspace)
    answers: dict[str, Answer] = {}
    if not path.exists():
        return Questionnaire(answers, path)
    try:
        data = tomllib.loads(read_toml_text(path))
    except tomllib.TOMLDecodeError as err:
        msg = f"{path}: not valid TOML: {err}"
        raise ConfigError(msg, path=str(path)) from None
    known = {(s, k) for s, k, _ in QUESTIONS}
    for section, values in data.items():
        if not isinstance(values, dict):
            msg = f"{path}: '{section}' must be a [section]"
            raise ConfigError(msg, key=section, path=str(path))
        for key, value in values.items():
            if (section, key) not in known:
                msg = f"{path}: unknown question '{section}.{key}'"
                raise ConfigError(msg, key=f"{section}.{key}", path=str(path))
            if not isinstance(value, str):
                msg = f'{path}: \'{section}.{key}\' must be a string (use "yes"/"no" for questions)'
                raise ConfigError(msg, key=f"{section}.{key}", path=str(path))
            answers[f"{section}.{key}"] = Answer(
                value.strip(), f"docs/questionnaire.toml [{section}].{key}"
            )
    return Questionnaire(answers, path)
