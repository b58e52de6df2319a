"""PDF from the same structured content as the Markdown: headings, paragraphs, lists, tables.

The document's Markdown (a known, small subset written by our templates) is parsed into
blocks and laid out with fpdf2 using DejaVu Sans, a Unicode TrueType font (French accents,
no-break spaces, ⚠). The font comes from matplotlib's bundled fonts, or the system's DejaVu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from moisson.errors import MissingDependencyError
from moisson.reports.html import display_markdown

if TYPE_CHECKING:
    from moisson.reports.render import RenderedDocument

__all__ = ("Block", "parse_blocks", "to_pdf")

# Regular and bold only: our templates use no italics, and each face costs ~0.2 s to load.
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class Block:
    kind: Literal["heading", "paragraph", "bullets", "table", "code"]
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def parse_blocks(markdown_text: str) -> list[Block]:
    """Parse the Markdown subset our templates write into layout blocks."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", " ".join(para)))
            para.clear()

    lines = markdown_text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            code: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            blocks.append(Block("code", "\n".join(code)))
        elif m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            flush()
            blocks.append(Block("heading", m.group(2), level=len(m.group(1))))
        elif re.match(r"^[-*]\s+", stripped):
            flush()
            item = re.sub(r"^[-*]\s+", "", stripped)
            if (
                blocks
                and blocks[-1].kind == "bullets"
                and i > 0
                and re.match(r"^\s*[-*]\s+", lines[i - 1])
            ):
                blocks[-1].items.append(item)
            else:
                blocks.append(Block("bullets", items=[item]))
        elif stripped.startswith("|"):
            flush()
            row = _split_row(stripped)
            if all(re.fullmatch(r":?-{3,}:?", c) for c in row):
                pass  # header separator
            elif blocks and blocks[-1].kind == "table" and lines[i - 1].strip().startswith("|"):
                blocks[-1].rows.append(row)
            else:
                blocks.append(Block("table", rows=[row]))
        elif not stripped or stripped == "---":
            flush()
        else:
            para.append(stripped)
        i += 1
    flush()
    return blocks


_ESCAPED = re.compile(r"\\([\\`*_\[\]|#])")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def _inline(text: str) -> str:
    """Markdown inline to fpdf2's markup: keep **bold**, drop code ticks, show link targets.

    Corpus text is escaped in the Markdown (render.md_text); the PDF shows it as written.
    """
    text = re.sub(r"(?<!\\)\[([^\]]+)(?<!\\)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = text.replace("`", "")
    text = _ESCAPED.sub(r"\1", text)
    return re.sub(r"&(?:lt|gt|amp);", lambda m: _ENTITIES[m.group(0)], text)


def _font_dir() -> Path:
    try:
        import matplotlib

        bundled = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
        if (bundled / _FONT_FILES[""]).exists():
            return bundled
    except ImportError:
        pass
    if (_SYSTEM_FONTS / _FONT_FILES[""]).exists():
        return _SYSTEM_FONTS
    msg = "matplotlib (for the DejaVu Sans font)"
    raise MissingDependencyError(msg, "docs")


def to_pdf(doc: RenderedDocument, path: Path) -> None:
    """Lay out ``doc`` as an A4 PDF at ``path``."""
    try:
        from fpdf import FPDF
        from fpdf.fonts import FontFace
    except ImportError as exc:  # pragma: no cover - the docs extra is installed in CI
        msg = "fpdf2"
        raise MissingDependencyError(msg, "docs") from exc
    fonts = _font_dir()
    pdf = FPDF(format="A4")
    # Only **bold** is markup in our text: "__init__", "--flag" or "~~" must print as written.
    pdf.MARKDOWN_ITALICS_MARKER = pdf.MARKDOWN_UNDERLINE_MARKER = "\x00\x01"
    pdf.MARKDOWN_STRIKETHROUGH_MARKER = "\x00\x02"
    pdf.set_title(doc.title)
    pdf.set_lang(doc.lang)
    pdf.set_creator("moisson")
    for style, name in _FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    sizes = {1: 18, 2: 14, 3: 12}
    for block in parse_blocks(display_markdown(doc)):
        if block.kind == "heading":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", sizes.get(block.level, 11))
            pdf.multi_cell(
                0,
                8,
                _inline(block.text).replace("**", ""),
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(1)
        elif block.kind == "paragraph":
            pdf.set_font("DejaVu", "", 10)
            line = _inline(block.text)
            pdf.multi_cell(
                0, 5.5, line, markdown="**" in line, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(2)
        elif block.kind == "bullets":
            pdf.set_font("DejaVu", "", 10)
            for item in block.items:
                pdf.set_x(pdf.l_margin + 4)
                line = "• " + _inline(item)
                pdf.multi_cell(
                    0, 5.5, line, markdown="**" in line, align="L", new_x="LMARGIN", new_y="NEXT"
                )
            pdf.ln(2)
        elif block.kind == "code":
            pdf.set_font("DejaVu", "", 9)
            pdf.multi_cell(0, 5, block.text, border=1, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            pdf.set_font("DejaVu", "", 8.5)
            width = max(len(r) for r in block.rows)
            with pdf.table(
                markdown=any("**" in c for r in block.rows for c in r),
                text_align="LEFT",
                line_height=4.5,
                headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 246)),
            ) as table:
                for row in block.rows:
                    cells = table.row()
                    for cell in row + [""] * (width - len(row)):
                        cells.cell(_inline(cell))
            pdf.ln(2)
    path.write_bytes(bytes(pdf.output()))
