"""Markdown to a standalone, accessible HTML page (``markdown`` package, small CSS).

Cards keep their Hugging Face YAML front matter in Markdown; for HTML and PDF that metadata is
shown as a table under the title (:func:`display_markdown`), so the three formats carry the
same content.
"""

from __future__ import annotations

import html as html_lib
from importlib import resources
from typing import TYPE_CHECKING, Any

from moisson.errors import MissingDependencyError
from moisson.reports.i18n import text

if TYPE_CHECKING:
    from moisson.reports.render import RenderedDocument

__all__ = ("display_markdown", "to_html")


def _meta_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def display_markdown(doc: RenderedDocument) -> str:
    """The body, with the card metadata (if any) as a table right after the title."""
    if not doc.front_matter:
        return doc.body
    head, _, rest = doc.body.partition("\n")
    rows = [f"## {text('metadata', doc.lang)}", "", "| key | value |", "|---|---|"]
    rows += [f"| {k} | {_meta_value(v).replace('|', '/')} |" for k, v in doc.front_matter.items()]
    return "\n".join([head, "", *rows, "", rest])


def to_html(doc: RenderedDocument) -> str:
    """A complete HTML page in the document's language."""
    try:
        import markdown
    except ImportError as exc:  # pragma: no cover - the docs extra is installed in CI
        msg = "markdown"
        raise MissingDependencyError(msg, "docs") from exc
    converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Our templates write no raw HTML, so any tag in the Markdown came from a value (a host
    # name from the corpus, a questionnaire answer): shown as text, never passed through as
    # markup, or a crawled page could put a script in the published notice (DOC-01).
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    body = converter.convert(display_markdown(doc))
    body = body.replace("⚠ <strong>", '<strong class="missing">⚠ ')
    css = resources.files("moisson.reports").joinpath("templates/style.css").read_text("utf-8")
    title = html_lib.escape(doc.title)
    return (
        f'<!doctype html>\n<html lang="{doc.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="moisson">\n<title>{title}</title>\n<style>\n{css}</style>\n'
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
