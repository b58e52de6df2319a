"""Build every document in French and English as Markdown, HTML and PDF (DOC-01).

Output layout (default ``<workspace>/docs/generated``)::

    fr/<slug>.md  fr/<slug>.html  fr/<slug>.pdf  en/...
    version-feed.json   JSON Feed of dataset and model versions, withdrawn ones flagged
    manifest.json       per document: ledger head, digest of the facts used, missing facts

``moisson docs check`` compares the manifest with the workspace as it is now (DOC-02).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from moisson.errors import WorkspaceError
from moisson.reports.analysis import version_feed
from moisson.reports.collect import collect_facts
from moisson.reports.documents import DOCUMENTS, DocumentSpec
from moisson.reports.facts import Facts
from moisson.reports.html import to_html
from moisson.reports.i18n import LANGS, Lang
from moisson.reports.pdf import to_pdf
from moisson.reports.render import RenderedDocument, render_document
from moisson.workspace import Workspace

__all__ = (
    "FORMATS",
    "BuildResult",
    "Format",
    "build_documents",
    "default_out_dir",
    "load_manifest",
)

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")
MANIFEST = "manifest.json"
FEED = "version-feed.json"


def default_out_dir(workspace: Workspace) -> Path:
    return workspace.path("docs", "generated")


@dataclass
class BuildResult:
    out_dir: Path
    documents: list[RenderedDocument] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    feed: Path | None = None

    def path(self, slug: str, lang: Lang, fmt: Format) -> Path:
        return self.out_dir / lang / f"{slug}.{fmt}"


_REBUILD = "delete it and rebuild with 'moisson docs build'"
# What ``docs check`` reads from each entry, with the type ``_entry`` writes.
_ENTRY_STRINGS = ("slug", "lang", "ledger_head", "facts_digest")


def load_manifest(out_dir: Path) -> dict[str, Any]:
    """Read ``manifest.json``; a file or an entry that ``build`` could not have written is a
    :class:`WorkspaceError` naming the file and the entry (DOC-02: a check must not crash)."""
    path = out_dir / MANIFEST
    if not path.exists():
        return {"documents": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:  # JSONDecodeError and UnicodeDecodeError alike
        msg = f"{path}: not valid JSON ({err}); {_REBUILD}"
        raise WorkspaceError(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
        msg = f"{path}: not a moisson documents manifest; {_REBUILD}"
        raise WorkspaceError(msg)
    for key, entry in data["documents"].items():
        problem = _entry_problem(entry)
        if problem:
            msg = f"{path}: entry '{key}': {problem}; {_REBUILD}"
            raise WorkspaceError(msg)
    return data


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "not an object"
    for name in _ENTRY_STRINGS:
        if not isinstance(entry.get(name), str):
            return f"'{name}' is missing or not a string"
    if entry["slug"] not in {spec.slug for spec in DOCUMENTS}:
        return f"unknown document '{entry['slug']}'"
    if entry["lang"] not in LANGS:
        return f"unknown language '{entry['lang']}'"
    files = entry.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return "'files' is missing or not a list of paths"
    return None


def _entry(doc: RenderedDocument, files: list[Path], out_dir: Path) -> dict[str, Any]:
    return {
        "slug": doc.spec.slug,
        "lang": doc.lang,
        "title": doc.title,
        "files": [str(p.relative_to(out_dir)) for p in files],
        "ledger_head": doc.ledger_head,
        "facts_digest": doc.digest,
        "facts_used": list(doc.used),
        "missing_required": [{"name": m.name, "command": m.command} for m in doc.missing_required],
    }


def build_documents(
    workspace: Workspace,
    *,
    langs: Iterable[Lang] = LANGS,
    formats: Iterable[Format] = FORMATS,
    out_dir: Path | None = None,
    specs: Iterable[DocumentSpec] = DOCUMENTS,
    facts: Facts | None = None,
) -> BuildResult:
    """Render the documents from the workspace's facts and write them out."""
    facts = facts if facts is not None else collect_facts(workspace)
    out = out_dir or default_out_dir(workspace)
    result = BuildResult(out)
    manifest = load_manifest(out)
    wanted = tuple(formats)
    for lang in langs:
        (out / lang).mkdir(parents=True, exist_ok=True)
        for spec in specs:
            doc = render_document(spec, facts, lang)
            files: list[Path] = []
            if "md" in wanted:
                files.append(result.path(spec.slug, lang, "md"))
                files[-1].write_text(doc.markdown, encoding="utf-8")
            if "html" in wanted:
                files.append(result.path(spec.slug, lang, "html"))
                files[-1].write_text(to_html(doc), encoding="utf-8")
            if "pdf" in wanted:
                files.append(result.path(spec.slug, lang, "pdf"))
                to_pdf(doc, files[-1])
            result.documents.append(doc)
            result.files += files
            manifest["documents"][f"{lang}/{spec.slug}"] = _entry(doc, files, out)
    feed_title = f"{facts.workspace_name.value if facts.workspace_name else 'moisson'}: versions"
    result.feed = out / FEED
    result.feed.write_text(
        json.dumps(version_feed(facts, title=feed_title), indent=2, ensure_ascii=False) + "\n"
    )
    manifest["ledger_head"] = facts.ledger_head
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return result
