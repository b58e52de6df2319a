"""Render one document to Markdown from facts, recording which facts it used (DOC-01, DOC-02).

Templates are Jinja2, one per document and language, in ``templates/<slug>.<lang>.md.j2``.
Every printed value passes through :func:`show`, which turns a :class:`Missing` fact into a
visible marker naming the command that would record it: a template cannot print a claim in
its place. Facts are read through :class:`FactRecorder`, so the "facts used" list at the end
of each document is exactly what the template and the judgements it called read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, cast

from jinja2 import Environment, PackageLoader, StrictUndefined

from moisson.errors import MissingDependencyError
from moisson.reports import analysis
from moisson.reports.documents import DocumentSpec
from moisson.reports.facts import Facts, Known, Missing, fact_to_json
from moisson.reports.i18n import Lang, text

__all__ = (
    "FactRecorder",
    "RenderedDocument",
    "code_span",
    "facts_digest",
    "md_text",
    "render_document",
    "show",
)


class FactRecorder:
    """Read-through view of :class:`Facts` that remembers every fact read, in order."""

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        self.used: dict[str, Known[Any] | Missing] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._facts, name)
        if isinstance(value, Known | Missing):
            self.used.setdefault(name, value)
        return value


def _num(value: float, lang: Lang) -> str:
    if isinstance(value, int):
        out = f"{value:,}"
    else:
        out = f"{value:,.2f}"
    if lang == "fr":  # 1 204,5 with a no-break space
        out = out.replace(",", "\u00a0").replace(".", ",")
    return out


def size(value: int, lang: Lang) -> str:
    """Bytes in decimal units (kB, MB, GB; ko, Mo, Go in French)."""
    units = ("B", "kB", "MB", "GB", "TB") if lang == "en" else ("o", "ko", "Mo", "Go", "To")
    amount = float(value)
    for unit in units:
        if amount < 1000 or unit == units[-1]:
            shown = (
                _num(int(amount), lang)
                if unit == units[0]
                else _num(round(amount, 1), lang).rstrip("0")
            )
            return f"{shown.rstrip(',.')} {unit}"
        amount /= 1000
    return str(value)  # pragma: no cover - loop always returns


def marker(fact: Missing, lang: Lang) -> str:
    """The visible trace of a missing fact (DOC-02): its name and the command to record it."""
    return text("missing_marker", lang).format(name=fact.name, command=fact.command)


def show(value: Any, lang: Lang) -> str:
    """How any value is printed in a document; Missing never prints as a claim."""
    if isinstance(value, Missing):
        return marker(value, lang)
    if isinstance(value, Known):
        return show(value.value, lang)
    if isinstance(value, bool):
        return text("yes" if value else "no", lang)
    if isinstance(value, int | float):
        return _num(value, lang)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(show(v, lang) for v in value) if value else "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v, lang)}" for k, v in value.items()) if value else "—"
    if value is None:
        return "—"
    return str(value)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


# Text that comes from the corpus (host names, file names) is data, never markup: the published
# notice must show it as written and must not carry a script into its HTML (DOC-01). Control
# characters (NUL, newlines) become U+FFFD, so a value cannot open a new Markdown block; HTML
# specials become entities and Markdown specials are backslash-escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_text(value: Any, lang: Lang = "en") -> str:
    """``value`` as literal Markdown text: no emphasis, link, table cell break or raw HTML."""
    out = _CONTROL.sub("\ufffd", value if isinstance(value, str) else show(value, lang))
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out)


def code_span(value: Any, lang: Lang = "en") -> str:
    """``value`` as a Markdown code span whose fence no backtick inside it can close."""
    out = _CONTROL.sub("\ufffd", value if isinstance(value, str) else show(value, lang))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", out)), default=0) + 1)
    pad = " " if out.startswith("`") or out.endswith("`") else ""
    return f"{fence}{pad}{out}{pad}{fence}"


def _summary(fact: Known[Any] | Missing, lang: Lang) -> str:
    if isinstance(fact, Missing):
        return f"{marker(fact, lang)} — {fact.reason}"
    value = fact.value
    if isinstance(value, list | tuple) and (
        len(value) > 4 or any(dataclasses.is_dataclass(v) for v in value)
    ):
        return text("n_items", lang).format(n=_num(len(value), lang))
    if dataclasses.is_dataclass(value):
        return text("recorded", lang)
    shown = show(value, lang)
    return shown if len(shown) <= 120 else shown[:117] + "…"


def facts_digest(used: dict[str, Known[Any] | Missing]) -> str:
    """Digest of the facts a document used: ``docs check`` recomputes it to find stale documents."""
    blob = json.dumps([fact_to_json(used[k]) for k in sorted(used)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class RenderedDocument:
    spec: DocumentSpec
    lang: Lang
    title: str
    body: str  # Markdown, without front matter
    front_matter: dict[str, Any] | None
    used: dict[str, Known[Any] | Missing]
    ledger_head: str
    digest: str

    @property
    def missing_required(self) -> list[Missing]:
        out: list[Missing] = []
        for name in self.spec.required:
            fact = self.used.get(name)
            if isinstance(fact, Missing):
                out.append(fact)
        return out

    @property
    def markdown(self) -> str:
        if self.front_matter is None:
            return self.body
        try:
            from huggingface_hub import DatasetCardData, ModelCardData
        except ImportError as exc:  # pragma: no cover - the docs extra is installed in CI
            msg = "huggingface_hub"
            raise MissingDependencyError(msg, "docs") from exc
        card_data = ModelCardData if self.spec.slug == "model-card" else DatasetCardData
        meta = card_data(**self.front_matter).to_yaml()
        return f"---\n{meta}\n---\n\n{self.body}"


def _environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("moisson.reports", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=partial(show, lang=lang),
    )
    env.filters["num"] = partial(_num, lang=lang)
    env.filters["size"] = partial(size, lang=lang)
    env.filters["cell"] = lambda v: _cell(show(v, lang))
    env.filters["md"] = partial(md_text, lang=lang)
    env.filters["code"] = partial(code_span, lang=lang)
    env.tests["known"] = lambda v: isinstance(v, Known)
    env.tests["missing"] = lambda v: isinstance(v, Missing)
    env.globals["t"] = partial(text, lang=lang)
    env.globals["gaps"] = lambda check: "; ".join(marker(m, lang) for m in check.missing)
    return env


def _top_domains(facts: Facts) -> analysis.TopDomains | Missing:
    if not isinstance(facts.domains, Known):
        return (
            facts.domains
            if isinstance(facts.domains, Missing)
            else Missing("domains", "moisson crawl")
        )
    sme = facts.is_sme.value if isinstance(facts.is_sme, Known) else False
    return analysis.top_domains(facts.domains.value, sme=sme)


def _footer(rec: FactRecorder, lang: Lang, head: str, digest: str) -> str:
    lines = [
        "",
        f"## {text('facts_used', lang)}",
        "",
        f"| {text('fact', lang)} | {text('value', lang)} | {text('source', lang)} |",
        "|---|---|---|",
    ]
    for name, fact in rec.used.items():
        source = "; ".join(fact.sources) if isinstance(fact, Known) else fact.command
        lines.append(f"| {name} | {_cell(_summary(fact, lang))} | {_cell(source)} |")
    lines += [
        "",
        f"## {text('state', lang)}",
        "",
        f"- {text('ledger_head', lang)}: `{head}`",
        f"- {text('facts_digest', lang)}: `{digest}`",
        f"- {text('check_hint', lang)}",
        "",
    ]
    return "\n".join(lines)


def render_document(spec: DocumentSpec, facts: Facts, lang: Lang) -> RenderedDocument:
    """Render ``spec`` in ``lang``: template body, then facts used and the workspace state."""
    rec = FactRecorder(facts)
    view = cast(Facts, rec)
    env = _environment(lang)
    env.globals.update(
        lia_measures=lambda: analysis.lia_measures(view),
        dpia_screening=lambda: analysis.dpia_screening(view),
        release_checks=lambda: analysis.release_checks(view),
        top_domains=lambda: _top_domains(view),
        withdrawn=lambda: analysis.withdrawn_versions(view.datasets.value) if view.datasets else {},
    )
    title = spec.titles[lang]
    body = env.get_template(f"{spec.slug}.{lang}.md.j2").render(facts=rec, title=title, lang=lang)
    front = spec.front_matter(view) if spec.front_matter else None
    digest = facts_digest(rec.used)
    body = body.rstrip() + "\n" + _footer(rec, lang, facts.ledger_head, digest)
    return RenderedDocument(
        spec, lang, title, body, front, dict(rec.used), facts.ledger_head, digest
    )
