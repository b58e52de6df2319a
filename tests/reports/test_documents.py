"""Golden tests: each document's sections and figures match the recorded facts (DOC-01, DOC-02)."""

from __future__ import annotations

import re

import pytest
from huggingface_hub import DatasetCard, ModelCard
from reports_workspace import DOMAINS

from moisson.reports.build import BuildResult
from moisson.reports.collect import collect_facts
from moisson.reports.documents import DOCUMENTS, get_spec
from moisson.reports.facts import Missing
from moisson.reports.render import render_document
from moisson.workspace import Workspace

SECTIONS = {
    "legitimate-interest": {
        "en": [
            "## 1. Legitimacy of the interest",
            "## 2. Necessity",
            "## 3. Balancing of rights and interests",
        ],
        "fr": [
            "## 1. Légitimité de l'intérêt",
            "## 2. Nécessité",
            "## 3. Mise en balance des droits et intérêts",
        ],
    },
    "dpia": {
        "en": [
            "## Screening",
            "## Outline of the DPIA (GDPR art. 35(7))",
            "### 4. Measures envisaged",
        ],
        "fr": [
            "## Analyse préalable",
            "## Plan de l'AIPD (RGPD art. 35(7))",
            "### 4. Mesures envisagées",
        ],
    },
    "information-notice": {
        "en": [
            "## Who is responsible",
            "## Risk that the model memorised personal data",
            "## Your rights and how to object",
        ],
        "fr": [
            "## Qui est responsable",
            "## Risque de mémorisation de données personnelles par le modèle",
            "## Vos droits et comment vous opposer",
        ],
    },
    "model-card": {
        "en": ["## Model details", "## Data protection", "## Memorisation audit"],
        "fr": [
            "## Présentation du modèle",
            "## Protection des données",
            "## Audit de mémorisation",
        ],
    },
    "dataset-card": {
        "en": ["## Versions", "## Sources", "## Personal and sensitive information"],
        "fr": ["## Versions", "## Sources", "## Informations personnelles et sensibles"],
    },
    "ai-act-summary": {
        "en": [
            "## 1. General information",
            "### 1.1 Provider identification",
            "### 1.2 Model identification",
            "### 1.3 Modalities",
            "## 2. List of data sources",
            "### 2.1 Publicly available datasets",
            "### 2.2 Private",
            "### 2.3 Data crawled and scraped from online sources",
            "### 2.4 User data",
            "### 2.5 Synthetic data",
            "### 2.6 Other sources of data",
            "## 3. Data processing aspects",
            "### 3.1 Respect of reservation of rights",
            "### 3.2 Removal of illegal content",
        ],
        "fr": [
            "## 1. Informations générales",
            "### 1.1 Identification du fournisseur",
            "### 1.2 Identification du modèle",
            "### 1.3 Modalités",
            "## 2. Liste des sources de données",
            "### 2.1 Jeux de données publics",
            "### 2.2 Jeux de données privés",
            "### 2.3 Données collectées par moissonnage",
            "### 2.4 Données des utilisateurs",
            "### 2.5 Données synthétiques",
            "### 2.6 Autres sources de données",
            "## 3. Aspects du traitement des données",
            "### 3.1 Respect de la réserve de droits",
            "### 3.2 Suppression des contenus illicites",
        ],
    },
    "release-checklist": {
        "en": ["## Memorisation statement", "## Version feed"],
        "fr": ["## Déclaration sur la mémorisation", "## Flux de versions"],
    },
}

# (document, English figure, French figure): figures computed from the facts in reports_workspace.
FIGURES = [
    (
        "legitimate-interest",
        "3 families with refusals, 1,204 pages refused",
        "3 familles de signaux avec refus, 1\u00a0204 pages refusées",
    ),
    ("legitimate-interest", "1,706 documents dropped", "1\u00a0706 documents écartés"),
    (
        "legitimate-interest",
        "refused behind a login: 11, CAPTCHA: 3",
        "refusées derrière une connexion : 11, CAPTCHA : 3",
    ),
    (
        "dpia",
        "**Result: a DPIA is required** (3 criteria met",
        "**Résultat : une AIPD est obligatoire** (3 critères remplis",
    ),
    (
        "dpia",
        "2,090 documents kept, 2,008 identifiers detected",
        "2\u00a0090 documents conservés, 2\u00a0008 identifiants détectés",
    ),
    ("information-notice", "from 20 websites", "sur 20 sites"),
    ("information-notice", "1,204 pages were refused", "1\u00a0204 pages ont été refusées"),
    ("information-notice", "objection window 14 days", "délai d'opposition de 14 jours"),
    (
        "model-card",
        "| exemple-lm #1 | personal_data | retraining_due |",
        "| exemple-lm #1 | personal_data | retraining_due |",
    ),
    ("dataset-card", "| corpus | 1 | — | 6 |", "| corpus | 1 | — | 6 |"),
    ("dataset-card", "| withdrawn |", "| retirée |"),
    (
        "ai-act-summary",
        "top 5% of 20 domains (SME rule, at most 1,000), 20 MB of 210 MB",
        "5\u00a0% supérieurs de 20 domaines (règle PME, au plus 1\u00a0000), 20 Mo sur 210 Mo",
    ),
    (
        "ai-act-summary",
        "| 1 | site-00.example | 20 MB | 100 |",
        "| 1 | site-00.example | 20 Mo | 100 |",
    ),
    (
        "ai-act-summary",
        "ai-txt: 204, robots: 700, tdmrep: 300 (1,204 in total)",
        "ai-txt: 204, robots: 700, tdmrep: 300 (1\u00a0204 au total)",
    ),
    ("release-checklist", "**Not ready:** 1 of 8 items", "**Pas prêt :** 1 points sur 8"),
]


def _md(built: BuildResult, slug: str, lang: str) -> str:
    return built.path(slug, lang, "md").read_text(encoding="utf-8")  # type: ignore[arg-type]


@pytest.mark.parametrize("slug", [s.slug for s in DOCUMENTS])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_document_has_its_sections_facts_and_state(
    built: BuildResult, slug: str, lang: str
) -> None:
    md = _md(built, slug, lang)
    spec = get_spec(slug)
    assert f"# {spec.titles[lang]}" in md  # type: ignore[index]
    for heading in SECTIONS[slug][lang]:
        assert heading in md, heading
    state = "## Workspace state" if lang == "en" else "## État de l'espace de travail"
    assert "## Facts used" in md if lang == "en" else "## Faits utilisés" in md
    assert state in md
    head = built.documents[0].ledger_head
    assert f"`{head}`" in md
    for ext in ("html", "pdf"):
        assert built.path(slug, lang, ext).stat().st_size > 1000  # type: ignore[arg-type]


@pytest.mark.parametrize(("slug", "en", "fr"), FIGURES)
def test_figures_match_the_facts_in_both_languages(
    built: BuildResult, slug: str, en: str, fr: str
) -> None:
    assert en in _md(built, slug, "en")
    assert fr in _md(built, slug, "fr")


def _numbers(text: str, lang: str) -> list[str]:
    if lang == "fr":
        text = re.sub(r"(?<=\d)\u00a0(?=\d{3})", "", text).replace("\u00a0", " ")
        text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    else:
        text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return sorted(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("slug", [s.slug for s in DOCUMENTS])
def test_french_and_english_carry_the_same_figures(built: BuildResult, slug: str) -> None:
    assert _numbers(_md(built, slug, "fr"), "fr") == _numbers(_md(built, slug, "en"), "en")


def test_the_top_domain_table_is_ranked_by_content_size(built: BuildResult) -> None:
    md = _md(built, "dataset-card", "en")
    rows = re.findall(r"^\| (site-\d\d\.example) \|", md, flags=re.MULTILINE)
    assert rows == list(DOMAINS)[: len(rows)]
    assert rows  # the SME rule keeps the largest domain


# (fact removed, document, claim that must disappear, language)
REMOVALS = [
    ("optout_refusals", "legitimate-interest", "1,204 pages refused"),
    (
        "optout_refusals",
        "ai-act-summary",
        "honours robots.txt and the other machine-readable opt-outs",
    ),
    ("optout_refusals", "information-notice", "pages were refused on these grounds"),
    ("domains", "ai-act-summary", "site-00.example"),
    ("models", "information-notice", "memorisation audit status"),
    ("models", "model-card", "personal_data"),
    ("interests", "legitimate-interest", "Developing a conversational assistant"),
    ("special_categories", "dpia", "9 documents flagged with special-category data"),
    ("provider", "ai-act-summary", "Exemple SAS"),
]


@pytest.mark.parametrize(("fact", "slug", "claim"), REMOVALS)
def test_removing_a_fact_turns_the_claim_into_missing(
    facts_workspace: Workspace, fact: str, slug: str, claim: str
) -> None:
    facts = collect_facts(facts_workspace)
    before = render_document(get_spec(slug), facts, "en")
    assert claim in before.body
    gap = Missing(fact, f"moisson test-command-for-{fact}")
    if fact == "provider":  # the controller's name appears elsewhere: remove it too
        facts = facts.replace(controller=Missing("controller", "moisson docs init"))
    after = render_document(get_spec(slug), facts.replace(**{fact: gap}), "en")
    assert claim not in after.body
    assert f"**MISSING: {fact}** (run `moisson test-command-for-{fact}`)" in after.body
    fr = render_document(get_spec(slug), facts.replace(**{fact: gap}), "fr")
    assert f"**MANQUANT : {fact}** (lancer `moisson test-command-for-{fact}`)" in fr.body
    assert fact in after.used


def test_documents_list_the_facts_they_used_with_provenance(built: BuildResult) -> None:
    md = _md(built, "ai-act-summary", "en")
    footer = md.split("## Facts used", 1)[1]
    assert (
        "| optout_refusals | ai-txt: 204, robots: 700, tdmrep: 300 | ledger runs #1 (stats optout/refused/*) |"
        in footer
    )
    assert "| provider | Exemple SAS | docs/questionnaire.toml [model].provider |" in footer
    notice = next(
        d for d in built.documents if d.spec.slug == "information-notice" and d.lang == "en"
    )
    assert "provider" not in notice.used  # only what the document read is listed


def test_cards_parse_with_huggingface_hub(built: BuildResult) -> None:
    for lang in ("en", "fr"):
        model = ModelCard(_md(built, "model-card", lang)).data
        assert model["language"] == ["fr", "en"]
        assert model["base_model"] == "gpt2"
        assert model["datasets"] == ["corpus"]
        assert model["license"] == "other"
        dataset = DatasetCard(_md(built, "dataset-card", lang)).data
        assert dataset["license"] == "cc-by-4.0"
        assert dataset["size_categories"] == ["n<1K"]
    assert "## Data protection" in ModelCard(_md(built, "model-card", "en")).text


def test_version_feed_is_written_with_the_documents(built: BuildResult) -> None:
    import json

    assert built.feed is not None
    feed = json.loads(built.feed.read_text(encoding="utf-8"))
    assert {i["id"]: i["_moisson"]["status"] for i in feed["items"]}[
        "dataset:corpus:1"
    ] == "withdrawn"


@pytest.mark.parametrize("slug", [s.slug for s in DOCUMENTS])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_tables_are_not_broken_by_blank_lines(built: BuildResult, slug: str, lang: str) -> None:
    lines = _md(built, slug, lang).splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            assert lines[i + 1].startswith("| "), f"{slug}.{lang}: table at line {i} has no rows"
    html = built.path(slug, lang, "html").read_text(encoding="utf-8")  # type: ignore[arg-type]
    metadata = 1 if slug.endswith("-card") else 0  # the card's YAML metadata, shown as a table
    assert html.count("<table>") == sum(1 for line in lines if line.startswith("|---")) + metadata
    assert "<p>|" not in html


def test_lia_risk_table_lists_five_risks(built: BuildResult) -> None:
    md = _md(built, "legitimate-interest", "en")
    risks = md.split("### Risks for the people concerned", 1)[1].split("## Conclusion", 1)[0]
    rows = [
        line for line in risks.splitlines() if line.startswith("| ") and "Risk (CNIL" not in line
    ]
    assert len(rows) == 5
    assert rows[0].startswith("| Loss of control over data published online |")
    assert rows[0].endswith("| ✔ yes; ⚠ missing; ✔ yes |")  # opt-out, register (missing), window


@pytest.mark.parametrize("slug", [s.slug for s in DOCUMENTS])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_with_no_fact_at_all_no_document_makes_a_claim(
    facts_workspace: Workspace, slug: str, lang: str
) -> None:
    facts = collect_facts(facts_workspace)
    nothing = facts.replace(
        **{name: Missing(name, f"moisson record-{name}") for name in facts.names()}
    )
    doc = render_document(get_spec(slug), nothing, lang)  # type: ignore[arg-type]
    body = doc.body.split("## Facts used" if lang == "en" else "## Faits utilisés", 1)[0]
    assert "✔" not in body  # no measure is claimed as done
    assert "✘" not in body  # nor as not done: that too would be a claim
    assert all(isinstance(f, Missing) for f in doc.used.values())
    for name in doc.used:
        assert f"record-{name}" in doc.body, name  # every fact it needed is shown as missing
    for value in (
        "1,204",
        "1\u00a0204",
        "site-00.example",
        "Exemple SAS",
        "2,090",
        "personal_data",
    ):
        assert value not in doc.body
